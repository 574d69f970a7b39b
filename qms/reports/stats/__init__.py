"""The statistics, section by section (one per module), computed in the database.

Every section is a function ``(scope, period, *, charts, report) -> Section`` that its module
registers in its own ``stats.py`` (``@register("deviations", order=20)``, see registry.py);
``qms.reports`` composes the registered sections without importing the modules. A section holds
headline figures and blocks (a table, with the chart drawn from the same table). The statistics
page, the exports, the API and the PDF all render these same objects.

Rules every section follows: aggregate in SQL (``values(...).annotate(Count(...))``,
``TruncMonth``), over objects in the scope's units only (``unit__in=scope.unit_ids()``, the
subtree subquery of units the permission layer let the viewer choose), never loop over rows in
Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qms.reports.charts import Chart
from qms.reports.periods import Period
from qms.reports.scope import Scope
from qms.reports.stats.registry import SectionRegistry
from qms.reports.tables import Table


@dataclass
class Figure:
    label: str
    value: Any
    hint: str = ""
    previous: Any = None  # the same figure a year before, when the section knows it
    signal: bool = False  # a control chart shows a real change (not noise) behind it

    @property
    def trend(self) -> str:
        """ "up", "down" or "same" against ``previous``; "" when either is not a number (none,
        or a suppressed count)."""
        numbers = (int, float)
        if not isinstance(self.value, numbers) or not isinstance(self.previous, numbers):
            return ""
        if self.value == self.previous:
            return "same"
        return "up" if self.value > self.previous else "down"


@dataclass
class Block:
    table: Table
    chart: Chart | None = None
    description: str = ""
    more: list[Chart] = field(default_factory=list)  # further charts drawn from the same table

    @property
    def key(self) -> str:
        return self.table.key


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    intro: str = ""
    lists: list[Table] = field(default_factory=list)  # detail lists (PDF/exports), no chart
    definitions: list[tuple[str, str]] = field(default_factory=list)  # explained in the PDF

    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks] + self.lists

    def table(self, key: str) -> Table | None:
        for table in self.tables():
            if table.key == key:
                return table
        return None


SectionBuilder = Callable[..., Section]

# The one registry of sections; each module's stats.py registers into it (registry.py).
sections = SectionRegistry()
register = sections


def builders(hms_only: bool = False) -> list[tuple[str, SectionBuilder]]:
    """The registered sections, in report order (``hms_only``: those registered ``hms``)."""
    return [(entry.key, entry.build) for entry in sections if entry.hms or not hms_only]


def compute(
    scope: Scope,
    period: Period,
    *,
    only: str | None = None,
    charts: bool = True,
    report: bool = False,
) -> list[Section]:
    """Every section (or just ``only``) for the scope and period; ``report`` adds the detail
    lists the PDF prints."""
    return [
        build(scope, period, charts=charts, report=report)
        for key, build in builders(scope.hms_only)
        if not only or key == only
    ]


def find_table(sections: list[Section], key: str) -> Table | None:
    for section in sections:
        table = section.table(key)
        if table is not None:
            return table
    return None


LIST_LIMIT = 40  # rows per list in the PDF: readable, and the report renders in seconds


def percent_of(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole`` to one decimal (None of nothing): the figure every
    section shows as a rate; people read it through ``qms.formats.percent``."""
    return round(100 * part / whole, 1) if whole else None


def limited(table: Table, queryset, total: int | None = None) -> list:
    """The first rows of a report list; the table's note says how many there are in all:
    ``total`` when the section already has that figure (the whole list in the system is that
    long), otherwise counted."""
    from django.utils.translation import gettext as _

    rows = list(queryset[:LIST_LIMIT])
    if len(rows) == LIST_LIMIT:
        total = queryset.count() if total is None else total
        if total > LIST_LIMIT:
            note = _("Viser de %(n)s første av %(total)s; hele listen finnes i kvalitetssystemet.")
            table.note = " ".join(
                filter(None, [note % {"n": LIST_LIMIT, "total": total}, table.note])
            )
    return rows
