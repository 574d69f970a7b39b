"""The yearly (and tertial) report on internal control to the council (kommuneloven § 25-2).

The report is assembled, chapter by chapter, from parts the modules contribute: ``qms`` never
imports the apps (docs/style.md, "Registries instead of imports upward"), so the state
inspections (``deviations``), the control activities (``annual_wheel``) and the signed
management reviews register their part here from their own ``stats.py``::

    from qms.reports.control import Part, register_part

    @register_part("inspections", order=40)
    def inspections_part(scope, period) -> Part | None: ...

A part builder gets the chapter's scope (the municipality, or one service area with its
subtree) and the report's period, and returns a :class:`Part` (or None when it has nothing to
say for that scope). The statistics' headline figures are a part of ``qms.reports`` itself
(``assembly.statistics_part``), read from the same sections the statistics page shows.

A part is kept as plain JSON in the chapter (:meth:`Part.as_dict`): what was assembled when
the report was approved is what the PDF, the DOCX and the published page show for ever.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qms.reports.stats.registry import SectionRegistry
from qms.reports.tables import Table, plain


@dataclass
class Part:
    key: str
    title: str
    intro: str = ""
    figures: list[tuple[str, Any]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    empty: str = ""  # said instead of the tables when there is nothing to list

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "intro": str(self.intro),
            "figures": [[str(label), plain(value)] for label, value in self.figures],
            "tables": [table.as_dict() for table in self.tables if table.rows],
            "empty": str(self.empty),
        }


class PartRegistry(SectionRegistry):
    """Part builders by key, in their declared order; a module need not contribute one."""

    def problems(self) -> list[str]:
        return []


parts = PartRegistry()
register_part = parts
