"""Assembling the report's chapters: the municipality first, then one per service area.

KS recommends that the chief executive's report on internal control gives an overall picture
first and then one chapter per service area (kommunalsjefområde / sector). A chapter's figures
are the registered parts (``qms.reports.control.parts``) computed for the chapter's unit and its
subtree, plus the statistics' headline figures, computed by the statistics sections themselves
(``qms.reports.snapshots.live``) so nothing here recomputes a rule the statistics already apply.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from qms.models import OrgUnit
from qms.reports import snapshots
from qms.reports.control import Part, parts, register_part
from qms.reports.periods import Period
from qms.reports.scope import Scope
from qms.reports.tables import Table


def chapter_units(root: OrgUnit) -> list[OrgUnit]:
    """The chapters' units in report order: the municipality, then its active service areas
    (the units one level below it) in tree order. One query."""
    areas = OrgUnit.objects.filter(
        path__startswith=root.path, depth=root.depth + 1, is_active=True
    ).order_by("path")
    return [root, *areas]


def chapter_title(root: OrgUnit, unit: OrgUnit) -> str:
    if unit.pk == root.pk:
        return _("Samlet for %(name)s") % {"name": unit.name}
    return unit.name


@register_part("statistics", order=90)
def statistics_part(scope: Scope, period: Period) -> Part:
    """The headline figures of every statistics section, beside the same period a year
    before: the figures the statistics page and the quality report show for the scope."""
    table = Table(
        key="control_statistics",
        title=_("Nøkkeltall"),
        columns=[_("Område"), _("Nøkkeltall"), _("Perioden"), _("Året før")],
    )
    # Figures only: computed now without charts or the PDF's lists (a fraction of the cost).
    for section in snapshots.live(scope, period, charts=False).sections:
        for figure in section.figures:
            table.add(section.title, figure.label, figure.value, figure.previous)
    return Part(
        key="statistics",
        title=_("Avvik, dokumenter, risiko og årshjul i tall"),
        intro=_(
            "Tallene er de samme som statistikken i kvalitetssystemet viser for perioden, "
            "med små tall skjult."
        ),
        tables=[table],
    )


def assemble_chapter(unit: OrgUnit, period: Period) -> dict:
    """The parts of one chapter as plain JSON (what the chapter keeps)."""
    scope = Scope(unit)
    built = [entry.build(scope, period) for entry in parts]
    return {
        "assembled_at": timezone.now().isoformat(),
        "parts": [part.as_dict() for part in built if part is not None],
    }
