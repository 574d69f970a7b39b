"""What goes into the quality committee's PDF report.

The report must explain itself: besides the figures and charts it carries the
definitions of the kinds and severity levels, who may report, how small numbers are hidden, how
the control chart is read, and for closed serious deviations the measures that justified closing
them. Sections contribute their own definitions through ``Section.definitions``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from qms.reports import snapshots
from qms.reports.periods import Period
from qms.reports.scope import Scope
from qms.reports.tables import SUPPRESS_BELOW


def general_definitions() -> list[tuple[str, str]]:
    return [
        (
            _("Små tall"),
            _(
                "Der en oppdeling kan peke ut enkeltpersoner (tall per enhet, eller enheter med få "
                "ansatte), vises antall fra 1 til %(n)s som «< %(limit)s». Et tall som ellers "
                "kunne regnes ut fra summen, skjules også og vises som «×». For perioder som "
                "ikke er hele måneder, skjules alle slike tall."
            )
            % {"n": SUPPRESS_BELOW - 1, "limit": SUPPRESS_BELOW},
        ),
        (
            _("Personopplysninger"),
            _(
                "Rapporten inneholder bare tall og saksnummer, aldri navn på melder, involverte "
                "eller beskrivelser som kan inneholde personopplysninger."
            ),
        ),
    ]


def build_context(
    scope: Scope, period: Period, *, progress: Callable[[int], None] | None = None
) -> dict:
    """The report's sections with their detail lists: the kept snapshot when the sweep (or an
    earlier view) computed it, else computed now (snapshots.py)."""
    snapshot = snapshots.get(scope, period)
    sections = snapshot.report_sections
    if progress is not None:
        progress(65)
    definitions = general_definitions()
    for section in sections:
        definitions.extend(getattr(section, "definitions", []))
    return {
        "unit": scope.unit,
        "period": period,
        "sections": sections,
        "definitions": definitions,
        "generated_at": timezone.localtime(),
        # Kept figures say when they were computed (the sweep keeps them at most minutes old).
        "computed_at": timezone.localtime(snapshot.computed_at) if snapshot.kept else None,
        "figures": [(s, f) for s in sections for f in s.figures],
    }
