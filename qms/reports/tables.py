"""Statistics tables: the figures behind every chart, with small-count suppression.

A :class:`Table` is what the page shows beside a chart, what the CSV/XLSX export writes, what
the API returns and what the PDF prints, so the four never disagree. Suppression happens when
the table is built: a suppressed count never leaves the server, not in the chart, the export or
the JSON.

Small numbers (DESIGN.md §3, issue 7 §4): in a breakdown that could identify a person — counts
per unit, or any breakdown of a unit with few employees — a count of 1 to 4 is shown as "< 5".
Zero is shown: it identifies nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SUPPRESS_BELOW = 5
SMALL_UNIT_HEADCOUNT = 20  # a subtree with fewer employees is treated as person-level throughout


class Suppressed:
    """A count of 1–4 in a person-level cell."""

    label = "< 5"

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return "Suppressed()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Suppressed)

    def __hash__(self) -> int:
        return hash(Suppressed)


SUPPRESSED = Suppressed()


def suppress(value: int | None) -> int | Suppressed | None:
    if value is not None and 0 < value < SUPPRESS_BELOW:
        return SUPPRESSED
    return value


def is_suppressed(value: Any) -> bool:
    return isinstance(value, Suppressed)


def plain(value: Any) -> Any:
    """A cell as exported (CSV/XLSX/JSON): numbers stay numbers, "< 5" stays text."""
    if isinstance(value, Suppressed):
        return value.label
    if isinstance(value, float):
        return round(value, 2)
    return value


@dataclass
class Table:
    """A titled table: ``columns`` headers; each row a label followed by values.

    ``count_columns`` are the indexes (into a row) of the columns holding counts of deviations
    (or other reports); in a ``person_level`` table those are suppressed when built with
    :meth:`add`. ``derived`` maps a derived column (a rate) to the count column it comes from:
    when that count is suppressed, so is the rate.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    person_level: bool = False
    count_columns: tuple[int, ...] = ()
    derived: dict[int, int] = field(default_factory=dict)
    note: str = ""
    footer: list[Any] | None = None

    def add(self, *cells: Any) -> None:
        row = list(cells)
        if self.person_level:
            for index in self.count_columns:
                row[index] = suppress(row[index])
            for index, source in self.derived.items():
                if is_suppressed(row[source]):
                    row[index] = SUPPRESSED
        self.rows.append(row)

    @property
    def has_suppressed(self) -> bool:
        return any(is_suppressed(c) for row in self.rows for c in row)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def column(self, index: int) -> list[Any]:
        return [row[index] for row in self.rows]

    def labels(self) -> list[str]:
        return [str(row[0]) for row in self.rows]

    def plain_rows(self) -> list[list[Any]]:
        rows = [[plain(c) for c in row] for row in self.rows]
        if self.footer:
            rows.append([plain(c) for c in self.footer])
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "columns": [str(c) for c in self.columns],
            "rows": self.plain_rows(),
            "suppressed": self.has_suppressed,
            "note": str(self.note),
        }
