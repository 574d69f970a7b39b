"""The heat map: counts per matrix cell, inherent and residual, for the SVG and its data table.

Colour is never the only cue: every cell carries its count, its score and its band name, and the
cells at or above the action threshold are marked with a thick border and a "!" in the SVG and
the words "over tiltaksgrensen" in the table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from risk.matrix import Matrix

CELL = 56  # px of one cell in the SVG
AXIS = 34  # px for the axis numbers


@dataclass
class Cell:
    probability: int
    consequence: int
    count: int
    colour: str
    band: str
    score: int
    over_threshold: bool
    key: str
    x: int = 0
    y: int = 0

    @property
    def text_x(self) -> int:
        return self.x + CELL // 2

    @property
    def text_y(self) -> int:
        return self.y + CELL // 2 + 6


@dataclass
class HeatMap:
    kind: str  # "i" (inherent) or "r" (residual)
    title: str
    rows: list[tuple[int, str, list[Cell]]]  # (probability, label, cells by consequence)
    columns: list[tuple[int, str]]  # (consequence, label)
    total: int
    missing: int  # items without a residual assessment (residual map only)
    width: int
    height: int

    @property
    def row_labels(self) -> list[tuple[int, int, int]]:
        """(probability, x, y) of the axis numbers left of each row."""
        return [(p, AXIS // 2, i * CELL + CELL // 2 + 5) for i, (p, _l, _c) in enumerate(self.rows)]

    @property
    def column_labels(self) -> list[tuple[int, int, int]]:
        """(consequence, x, y) of the axis numbers under each column."""
        y = len(self.rows) * CELL + 22
        return [(c, AXIS + i * CELL + CELL // 2, y) for i, (c, _l) in enumerate(self.columns)]

    @property
    def cells(self) -> list[Cell]:
        return [cell for _p, _label, cells in self.rows for cell in cells]


def build(matrix: Matrix, items, kind: str) -> HeatMap:
    """Counts from the items already loaded for the page (no extra query)."""
    counts: Counter = Counter()
    missing = 0
    for item in items:
        if kind == "i":
            counts[(item.probability, item.consequence)] += 1
        elif item.residual_probability is None:
            missing += 1
        else:
            counts[(item.residual_probability, item.residual_consequence)] += 1
    rows = []
    for r, p in enumerate(matrix.levels_desc):
        cells = []
        for c_index, c in enumerate(matrix.levels):
            colour, band = matrix.cell(p, c)
            cells.append(
                Cell(
                    probability=p,
                    consequence=c,
                    count=counts[(p, c)],
                    colour=colour,
                    band=band,
                    score=p * c,
                    over_threshold=matrix.requires_measures(p * c),
                    key=f"{kind}-{p}-{c}",
                    x=AXIS + c_index * CELL,
                    y=r * CELL,
                )
            )
        rows.append((p, matrix.probability_label(p), cells))
    return HeatMap(
        kind=kind,
        title=_("Risiko før tiltak") if kind == "i" else _("Restrisiko etter tiltak"),
        rows=rows,
        columns=[(c, matrix.consequence_label(c)) for c in matrix.levels],
        total=sum(counts.values()),
        missing=missing,
        width=AXIS + matrix.size * CELL + 2,
        height=matrix.size * CELL + AXIS,
    )


def parse_cell(value: str | None, size: int) -> tuple[str, int, int] | None:
    """``?celle=i-4-3`` -> ("i", 4, 3); anything else (or out of range) -> None."""
    if not value:
        return None
    parts = value.split("-")
    if len(parts) != 3 or parts[0] not in ("i", "r"):
        return None
    try:
        p, c = int(parts[1]), int(parts[2])
    except ValueError:
        return None
    if not (1 <= p <= size and 1 <= c <= size):
        return None
    return parts[0], p, c


def in_cell(item, cell: tuple[str, int, int]) -> bool:
    kind, p, c = cell
    if kind == "i":
        return (item.probability, item.consequence) == (p, c)
    return (item.residual_probability, item.residual_consequence) == (p, c)
