"""The state inspections in the report on internal control to the council (kommuneloven
§ 25-2: «om resultater fra statlig tilsyn»): every inspection of the period, and every earlier
one with findings still open, with each finding and how it was followed up."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from deviations.models import Inspection, InspectionFinding
from qms.reports.control import Part, register_part
from qms.reports.tables import Table, date_cell


def follow_up(finding: InspectionFinding, today) -> str:
    """How a finding stands: closed by the authority, replied to and awaiting the authority,
    past the authority's deadline (``InspectionFinding.is_past_deadline``), or open."""
    if finding.is_closed:
        day = date_format(timezone.localdate(finding.confirmed_closed_at), "SHORT_DATE_FORMAT")
        return _("Lukket av tilsynet %(day)s") % {"day": day}
    if finding.replied_at:
        day = date_format(timezone.localdate(finding.replied_at), "SHORT_DATE_FORMAT")
        return _("Svar sendt %(day)s, venter på tilsynet") % {"day": day}
    if finding.is_past_deadline(today):
        return _("Over tilsynets frist, ikke besvart")
    return _("Åpen, under oppfølging")


def inspections(scope, period):
    """The scope's inspections of the period and the earlier ones with open findings, with
    their findings and cases (three queries)."""
    findings = InspectionFinding.objects.select_related("deviation").order_by("pk")
    still_open = Q(
        pk__in=InspectionFinding.objects.open().values("inspection_id"),
        created_at__date__lte=period.last_day,
    )
    in_period = Inspection.objects.in_period(period.start, period.last_day).values("pk")
    return (
        Inspection.objects.filter(unit__in=scope.unit_ids())
        .filter(Q(pk__in=in_period) | still_open)
        .select_related("authority", "unit")
        .prefetch_related(Prefetch("findings", queryset=findings))
        .order_by("visit_on", "opened_on", "pk")
    )


def _day(inspection: Inspection):
    day = inspection.visit_on or inspection.opened_on
    return date_cell(day) if day else ""


@register_part("inspections", order=40)
def inspections_part(scope, period) -> Part:
    today = timezone.localdate()
    listed = list(inspections(scope, period))
    overview = Table(
        key="control_inspections",
        title=_("Tilsyn"),
        columns=[_("Tilsyn"), _("Tilsynsmyndighet"), _("Enhet"), _("Dato"), _("Status")],
    )
    found = Table(
        key="control_inspection_findings",
        title=_("Funn og oppfølging"),
        columns=[_("Tilsyn"), _("Type funn"), _("Funn"), _("Frist"), _("Oppfølging"), _("Sak")],
    )
    counts = {"findings": 0, "closed": 0, "late": 0}
    for inspection in listed:
        overview.add(
            inspection.theme,
            inspection.authority.name,
            inspection.unit.name,
            _day(inspection),
            inspection.get_status_display(),
        )
        for finding in inspection.findings.all():
            counts["findings"] += 1
            counts["closed"] += finding.is_closed
            counts["late"] += finding.is_past_deadline(today)
            found.add(
                inspection.theme,
                finding.get_kind_display(),
                finding.title,
                date_cell(finding.deadline) if finding.deadline else "",
                follow_up(finding, today),
                f"{finding.deviation.number} ({finding.deviation.get_state_display()})",
            )
    in_period = (
        Inspection.objects.in_period(period.start, period.last_day)
        .filter(unit__in=scope.unit_ids())
        .count()
    )
    return Part(
        key="inspections",
        title=_("Statlige tilsyn og oppfølgingen av dem"),
        intro=_(
            "Tilsyn i perioden der den ansvarlige enheten hører hit, og tidligere tilsyn med funn "
            "som ikke er lukket. Hvert funn følges opp som et avvik med tiltak, og lukkes når "
            "tilsynsmyndigheten har bekreftet det."
        ),
        figures=[
            (_("Tilsyn i perioden"), in_period),
            (_("Funn"), counts["findings"]),
            (_("Funn lukket av tilsynet"), counts["closed"]),
            (_("Åpne funn over tilsynets frist"), counts["late"]),
        ],
        tables=[overview, found],
        empty=_("Ingen statlige tilsyn i perioden."),
    )
