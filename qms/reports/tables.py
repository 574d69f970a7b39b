"""Statistics tables: the figures behind every chart, with small-count suppression.

A :class:`Table` is what the page shows beside a chart, what the CSV/XLSX export writes, what
the API returns and what the PDF prints, so the four never disagree. Suppression happens when
the table is built: a suppressed count never leaves the server, not in the chart, the export or
the JSON.

Small numbers (docs/design.md §3): in a breakdown that could identify a person — counts
per unit, or any breakdown of a unit with few employees — a count of 1 to 4 is shown as "< 5"
(primary suppression). Zero is shown: it identifies nobody.

A hidden count must not be recoverable by subtraction either (complementary suppression, issue
13 §5). The choices, one per route a reader could take:

- **Totals in the table.** Every count column is taken to have a published total (the section's
  headline figure, a footer, the parent scope's row), and a row's ``totals`` columns are the sum
  of their parts. Wherever a column, or a row's total with its parts, would hold exactly one
  hidden cell, the smallest other count in that line is hidden too ("×", secondary suppression;
  zeros included, as a zero beside one hidden cell gives it away), repeated until no line has a
  single hidden cell. Chosen over hiding the total because the totals are printed elsewhere
  (figures, other scopes) and cannot all be withdrawn.
- **A one-day period.** Person-level counts are shown only for periods of whole months
  (``Period.whole_months``): for a custom period of other days every count of a person-level
  table is hidden (``hide_counts``), so neither a single day nor the difference of two
  overlapping ranges isolates a case. Whole months are what the month, tertial and year
  periods already are, and the difference of two of them is itself a whole-month period.
- **A neighbouring scope.** Minimum scope population: a scope is person-level throughout when
  it, or what is left of its parent without it, has fewer than ``SMALL_UNIT_HEADCOUNT``
  employees (``qms.reports.stats.organisation.is_person_level``), and in a person-level scope
  the headline counts are suppressed like the cells. So a small unit's count is hidden in its
  own scope, in its parent's breakdown, and in the sibling scope whose difference from the
  parent would isolate it. Left open, on purpose: the difference of two published counts that
  are both 5 or more between scopes that are both large; rounding every count would close it
  but make a leader's own figures inexact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

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


class Masked(Suppressed):
    """A count hidden so that a suppressed one cannot be worked out from a total (secondary
    suppression); it may be any size, so it does not say "< 5". Equal to SUPPRESSED: both are
    hidden."""

    label = "×"

    def __repr__(self) -> str:
        return "Masked()"


MASKED = Masked()


def suppress(value: int | None) -> int | Suppressed | None:
    if value is not None and 0 < value < SUPPRESS_BELOW:
        return SUPPRESSED
    return value


def is_suppressed(value: Any) -> bool:
    return isinstance(value, Suppressed)


@dataclass(frozen=True)
class DateCell:
    """A date in a table: read as ``label`` on the page, in the PDF and the API, and exported
    as a real date (a month as its first day, shown as a month by the spreadsheet)."""

    value: dt.date
    label: str
    month: bool = False

    def __str__(self) -> str:
        return self.label


class UnitCell(str):
    """A unit's name heading a row of a by-unit breakdown: read as its name everywhere, and on
    the statistics page a link to that unit's own statistics (drill-down)."""

    unit_id: int

    def __new__(cls, name: str, unit_id: int) -> UnitCell:
        cell = super().__new__(cls, name)
        cell.unit_id = unit_id
        return cell

    def __reduce__(self):  # kept snapshots are pickled
        return (UnitCell, (str(self), self.unit_id))


def month_cell(first_day: dt.date, label: str) -> DateCell:
    return DateCell(first_day, label, month=True)


def date_cell(day: dt.date) -> DateCell:
    return DateCell(day, day.strftime("%d.%m.%Y"))


def plain(value: Any) -> Any:
    """A cell as the API and the page read it: numbers stay numbers, "< 5" and dates text."""
    if isinstance(value, Suppressed | DateCell | UnitCell):
        return str(value)
    if isinstance(value, float):
        return round(value, 2)
    return value


def typed(value: Any) -> Any:
    """A cell as a spreadsheet gets it (CSV/XLSX): numbers as numbers, dates as dates, and a
    hidden count as an empty cell — never text in a number column; the row's note says why
    (:meth:`Table.export`)."""
    if isinstance(value, Suppressed):
        return None
    if isinstance(value, DateCell):
        return value
    return plain(value)


def _hidden_note(columns: list[Any], row: list[Any]) -> str:
    cells = []
    for column, value in zip(columns, row, strict=False):
        if isinstance(value, Masked):
            cells.append(
                _("%(column)s (skjult så et annet skjult tall ikke kan regnes ut)")
                % {"column": column}
            )
        elif isinstance(value, Suppressed):
            cells.append(_("%(column)s (færre enn 5)") % {"column": column})
    if not cells:
        return ""
    return _("Skjult for å verne enkeltpersoner: %(cells)s") % {"cells": "; ".join(cells)}


def _lines(table: Table) -> list[list[tuple[int, int]]]:
    """The (row, column) cells of each line whose sum is published: each count column, and
    each row's total with its parts."""
    lines = [[(r, c) for r in range(len(table.raw))] for c in table.count_columns]
    for total, parts in table.totals.items():
        lines += [[(r, c) for c in (*parts, total)] for r in range(len(table.raw))]
    return lines


def protect(table: Table) -> list[list[Any]]:
    """The table's rows with primary and complementary suppression (module docstring)."""
    rows = [list(r) for r in table.raw]
    for row in rows:
        for index in table.count_columns:
            row[index] = SUPPRESSED if table.hide_counts else suppress(row[index])
    lines = _lines(table)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [cell for cell in line if is_suppressed(rows[cell[0]][cell[1]])]
            shown = [cell for cell in line if not is_suppressed(rows[cell[0]][cell[1]])]
            if len(hidden) == 1 and shown:
                r, c = min(shown, key=lambda cell: (table.raw[cell[0]][cell[1]] or 0, cell))
                rows[r][c] = MASKED
                changed = True
    for row in rows:
        for index, source in table.derived.items():
            if is_suppressed(row[source]):
                row[index] = row[source]
    return rows


@dataclass
class Table:
    """A titled table: ``columns`` headers; each row a label followed by values.

    ``count_columns`` are the indexes (into a row) of the columns holding counts of deviations
    (or other reports); in a ``person_level`` table those are suppressed when built with
    :meth:`add`, primary and complementary (module docstring). ``derived`` maps a derived
    column (a rate) to the count column it comes from: when that count is suppressed, so is the
    rate. ``totals`` maps a row-total column to the count columns it sums; ``hide_counts``
    hides every count of a person-level table (a period shorter than whole months).
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
    totals: dict[int, tuple[int, ...]] = field(default_factory=dict)
    hide_counts: bool = False
    raw: list[list[Any]] = field(default_factory=list, repr=False)  # before suppression

    def add(self, *cells: Any) -> None:
        self.raw.append(list(cells))
        self.rows = protect(self) if self.person_level else [list(r) for r in self.raw]

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

    def export(self) -> tuple[list[str], list[list[Any]]]:
        """The columns and rows a spreadsheet gets: typed cells (:func:`typed`) and, when a
        count is hidden, a last column saying in each row which cells are hidden and why."""
        columns = [str(c) for c in self.columns]
        rows = [*self.rows, *([self.footer] if self.footer else [])]
        typed_rows = [[typed(c) for c in row] for row in rows]
        if not any(is_suppressed(c) for row in rows for c in row):
            return columns, typed_rows
        notes = [_hidden_note(columns, row) for row in rows]
        return [*columns, _("Merknad")], [
            [*row, note] for row, note in zip(typed_rows, notes, strict=True)
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "columns": [str(c) for c in self.columns],
            "rows": self.plain_rows(),
            "suppressed": self.has_suppressed,
            "note": str(self.note),
        }
