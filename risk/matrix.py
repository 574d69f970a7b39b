"""The risk matrix as the pages and exports use it: labels, colours, bands, the threshold.

:func:`matrix_for` returns a :class:`Matrix` for a unit's municipality with three queries at most
(the settings row with its levels, bands and cells), or the built-in default (5×5, threshold 13)
when the municipality has not configured one. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from risk.models import DEFAULT_SIZE, DEFAULT_THRESHOLD, RiskMatrix, RiskMatrixLevel

# Default level names per size, probability and consequence (the handbooks' wording).
DEFAULT_PROBABILITY = {
    3: [
        (_("Lite sannsynlig"), _("Sjeldnere enn hvert 10. år")),
        (_("Sannsynlig"), _("Årlig eller sjeldnere")),
        (_("Svært sannsynlig"), _("Månedlig eller oftere")),
    ],
    4: [
        (_("Lite sannsynlig"), _("Sjeldnere enn hvert 10. år")),
        (_("Mindre sannsynlig"), _("Hvert 1–10 år")),
        (_("Sannsynlig"), _("Årlig")),
        (_("Svært sannsynlig"), _("Månedlig eller oftere")),
    ],
    5: [
        (_("Svært lite sannsynlig"), _("Sjeldnere enn hvert 10. år")),
        (_("Lite sannsynlig"), _("Hvert 1–10 år")),
        (_("Sannsynlig"), _("Årlig")),
        (_("Meget sannsynlig"), _("Månedlig")),
        (_("Svært sannsynlig"), _("Ukentlig eller oftere")),
    ],
    6: [
        (_("Svært lite sannsynlig"), _("Sjeldnere enn hvert 50. år")),
        (_("Lite sannsynlig"), _("Hvert 10–50 år")),
        (_("Mindre sannsynlig"), _("Hvert 1–10 år")),
        (_("Sannsynlig"), _("Årlig")),
        (_("Meget sannsynlig"), _("Månedlig")),
        (_("Svært sannsynlig"), _("Ukentlig eller oftere")),
    ],
}
DEFAULT_CONSEQUENCE = {
    3: [
        (_("Liten"), _("Kortvarig ulempe, ingen varig skade")),
        (_("Alvorlig"), _("Skade som krever behandling, betydelig tap")),
        (_("Svært alvorlig"), _("Varig skade eller død, stort tap")),
    ],
    4: [
        (_("Ubetydelig"), _("Ingen eller kortvarig ulempe")),
        (_("Mindre alvorlig"), _("Forbigående skade eller lite tap")),
        (_("Alvorlig"), _("Skade som krever behandling, betydelig tap")),
        (_("Svært alvorlig"), _("Varig skade eller død, stort tap")),
    ],
    5: [
        (_("Ubetydelig"), _("Ingen personskade, ubetydelig tap")),
        (_("Mindre alvorlig"), _("Forbigående ulempe eller lite tap")),
        (_("Alvorlig"), _("Skade som krever behandling, betydelig tap")),
        (_("Svært alvorlig"), _("Alvorlig skade, stort tap eller omdømmetap")),
        (_("Katastrofal"), _("Død eller varig skade, svært stort tap")),
    ],
    6: [
        (_("Ubetydelig"), _("Ingen personskade, ubetydelig tap")),
        (_("Liten"), _("Kortvarig ulempe")),
        (_("Mindre alvorlig"), _("Forbigående skade eller lite tap")),
        (_("Alvorlig"), _("Skade som krever behandling, betydelig tap")),
        (_("Svært alvorlig"), _("Alvorlig skade, stort tap eller omdømmetap")),
        (_("Katastrofal"), _("Død eller varig skade, svært stort tap")),
    ],
}

LOW, MEDIUM, HIGH = "#c7e9c0", "#fff1a8", "#f7b6b2"


@dataclass(frozen=True)
class Band:
    label: str
    min_score: int
    colour: str


@dataclass
class Matrix:
    size: int = DEFAULT_SIZE
    action_threshold: int = DEFAULT_THRESHOLD
    probability_labels: dict[int, tuple[str, str]] = field(default_factory=dict)
    consequence_labels: dict[int, tuple[str, str]] = field(default_factory=dict)
    bands: list[Band] = field(default_factory=list)
    cells: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    matrix_id: int | None = None

    @property
    def levels(self) -> list[int]:
        return list(range(1, self.size + 1))

    @property
    def levels_desc(self) -> list[int]:
        return list(range(self.size, 0, -1))

    @property
    def max_score(self) -> int:
        return self.size * self.size

    def probability_label(self, value: int | None) -> str:
        return str(self.probability_labels.get(value, ("", ""))[0]) if value else ""

    def consequence_label(self, value: int | None) -> str:
        return str(self.consequence_labels.get(value, ("", ""))[0]) if value else ""

    def band(self, score: int | None) -> Band | None:
        if not score:
            return None
        found = None
        for band in self.bands:
            if score >= band.min_score:
                found = band
        return found

    def cell(self, probability: int, consequence: int) -> tuple[str, str]:
        """(colour, label) of a cell: the cell's own colour if set, else its score's band."""
        score = probability * consequence
        band = self.band(score)
        own = self.cells.get((probability, consequence))
        if own:
            return own[0], own[1] or (band.label if band else "")
        return (band.colour, band.label) if band else ("#ffffff", "")

    def requires_measures(self, score: int | None) -> bool:
        """The action threshold for one score (docs/design.md §6: a score at or above it requires
        measures). ``RiskItemQuerySet.with_threshold`` is the same rule in SQL."""
        return bool(score) and score >= self.action_threshold

    def mark(self, item) -> None:
        """What a page, export or template shows of one item's scores: colours, band labels and
        whether each score is at or above the threshold (templates read these, never the
        threshold itself)."""
        item.above_threshold = self.requires_measures(item.score)
        item.residual_above_threshold = self.requires_measures(item.residual_score)
        item.colour, item.band_label = self.cell(item.probability, item.consequence)
        item.residual_colour, item.residual_band_label = (
            self.cell(item.residual_probability, item.residual_consequence)
            if item.residual_score
            else ("#ffffff", "")
        )

    def level_choices(self, axis: str) -> list[tuple[int, str]]:
        labels = self.probability_labels if axis == "probability" else self.consequence_labels
        return [(v, f"{v} – {labels.get(v, ('', ''))[0]}") for v in self.levels]


def default_bands(size: int, threshold: int) -> list[Band]:
    medium = max(2, min(threshold - 1, round(size * size / 5)))
    return [
        Band(str(_("Lav")), 1, LOW),
        Band(str(_("Middels")), medium, MEDIUM),
        Band(str(_("Høy")), threshold, HIGH),
    ]


def default_labels(size: int, axis: str) -> dict[int, tuple[str, str]]:
    source = DEFAULT_PROBABILITY if axis == "probability" else DEFAULT_CONSEQUENCE
    return {i + 1: (str(a), str(b)) for i, (a, b) in enumerate(source[size])}


def build(settings_row: RiskMatrix | None) -> Matrix:
    if settings_row is None:
        return Matrix(
            probability_labels=default_labels(DEFAULT_SIZE, "probability"),
            consequence_labels=default_labels(DEFAULT_SIZE, "consequence"),
            bands=default_bands(DEFAULT_SIZE, DEFAULT_THRESHOLD),
        )
    size = settings_row.size
    prob = default_labels(size, "probability")
    cons = default_labels(size, "consequence")
    for level in settings_row.level_rows.all():
        target = prob if level.axis == RiskMatrixLevel.Axis.PROBABILITY else cons
        if level.value <= size:
            target[level.value] = (level.label, level.description)
    bands = [Band(b.label, b.min_score, b.colour) for b in settings_row.bands.all()]
    return Matrix(
        size=size,
        action_threshold=settings_row.action_threshold,
        probability_labels=prob,
        consequence_labels=cons,
        bands=sorted(bands, key=lambda b: b.min_score)
        or default_bands(size, settings_row.action_threshold),
        cells={
            (c.probability, c.consequence): (c.colour, c.label) for c in settings_row.cells.all()
        },
        matrix_id=settings_row.pk,
    )


def municipality_path(unit) -> str:
    return unit.path[: unit.steplen]


def matrix_for(unit) -> Matrix:
    """The matrix of ``unit``'s municipality (the root of its path)."""
    row = (
        RiskMatrix.objects.filter(municipality__path=municipality_path(unit))
        .prefetch_related("level_rows", "bands", "cells")
        .first()
    )
    return build(row)
