"""The control activities in the report on internal control to the council: the annual wheel's
planned activities done, the rounds (vernerunder, egenkontroller) and the internal audits of
the period, planned against carried out."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_wheel.models import Audit, AuditFinding, Round
from annual_wheel.querysets import completion_figures
from annual_wheel.stats import occurrences
from qms.formats import percent
from qms.reports.control import Part, register_part
from qms.reports.tables import Table, date_cell


def audits(scope, period):
    """The scope's audits planned in the period, with their findings counted by kind."""
    kinds = AuditFinding.Kind
    return (
        Audit.objects.filter(
            unit__in=scope.unit_ids(), planned_date__range=(period.start, period.last_day)
        )
        .select_related("unit")
        .annotate(
            avvik=Count("findings", filter=Q(findings__kind=kinds.NONCONFORMITY)),
            observations=Count("findings", filter=Q(findings__kind=kinds.OBSERVATION)),
            strengths=Count("findings", filter=Q(findings__kind=kinds.STRENGTH)),
        )
        .order_by("planned_date", "pk")
    )


def round_figures(scope, period) -> dict[str, int]:
    """Rounds of the period in the scope: signed, and begun but not signed; one query."""
    return Round.objects.filter(
        unit__in=scope.unit_ids(), date__range=(period.start, period.last_day)
    ).aggregate(
        signed=Count("pk", filter=Q(status=Round.Status.SIGNED)),
        unsigned=Count("pk", filter=~Q(status=Round.Status.SIGNED)),
    )


@register_part("control_activities", order=30)
def control_activities_part(scope, period) -> Part:
    today = timezone.localdate()
    wheel = completion_figures(occurrences(scope), period.start, period.last_day, today)
    rounds = round_figures(scope, period)
    table = Table(
        key="control_audits",
        title=_("Internrevisjoner"),
        columns=[
            _("Revisjon"),
            _("Enhet"),
            _("Planlagt"),
            _("Status"),
            _("Avvik"),
            _("Observasjoner"),
            _("Styrker"),
        ],
    )
    reported = 0
    for audit in audits(scope, period):
        reported += audit.status == Audit.Status.REPORTED
        table.add(
            audit.title,
            audit.unit.name,
            date_cell(audit.planned_date),
            audit.get_status_display(),
            audit.avvik,
            audit.observations,
            audit.strengths,
        )
    return Part(
        key="control_activities",
        title=_("Kontrollaktiviteter"),
        intro=_(
            "Planlagte aktiviteter i årshjulet, runder med sjekkliste (vernerunder og "
            "egenkontroller) og internrevisjoner i perioden: planlagt mot gjennomført."
        ),
        figures=[
            (_("Aktiviteter i årshjulet i perioden"), wheel.total),
            (_("Gjennomført"), wheel.done),
            (_("Gjennomført til tiden"), percent(wheel.percent_on_time)),
            (_("Forfalt, ikke registrert"), wheel.overdue),
            (_("Runder signert"), rounds["signed"]),
            (_("Runder påbegynt, ikke signert"), rounds["unsigned"]),
            (_("Internrevisjoner planlagt"), len(table.rows)),
            (_("Internrevisjoner rapportert"), reported),
        ],
        tables=[table],
    )
