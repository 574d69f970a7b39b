"""The control activities in the report on internal control to the council: the annual wheel's
planned activities done, the rounds (vernerunder, egenkontroller) and the internal audits of
the period, planned against carried out; the signed management reviews; and the committees'
meetings (quality committees, AMU) with what they decided."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_wheel.models import Audit, AuditFinding, Meeting, Review, Round
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


def reviews(scope, year: int):
    """The management reviews of ``year`` of the scope's units, with their decisions counted."""
    return (
        Review.objects.filter(unit__in=scope.unit_ids(), year=year)
        .select_related("unit")
        .annotate(decision_count=Count("decisions"))
        .order_by("unit__path")
    )


def assessments_table(review: Review) -> Table:
    """The leader's assessment per agenda heading of a signed review, the headings named as the
    review kept them at sign-off (its snapshot)."""
    titles = {s["key"]: s["title"] for s in review.snapshot.get("sections", [])}
    table = Table(
        key=f"control_review_{review.pk}",
        title=_("Vurderinger i ledelsens gjennomgåelse for %(unit)s") % {"unit": review.unit.name},
        columns=[_("Punkt"), _("Vurdering")],
    )
    if review.summary:
        table.add(_("Samlet vurdering"), review.summary)
    for assessment in review.assessments.order_by("pk"):
        if assessment.text:
            table.add(titles.get(assessment.section, assessment.section), assessment.text)
    return table


@register_part("management_reviews", order=20)
def management_reviews_part(scope, period) -> Part:
    """Whether the units' systems work, in their own leaders' words: the signed management
    reviews of the period's year — the chapter's unit's own with its assessments, and how many
    of the units below have signed theirs."""
    year = period.start.year
    listed = list(reviews(scope, year))
    table = Table(
        key="control_reviews",
        title=_("Ledelsens gjennomgåelser %(year)s") % {"year": year},
        columns=[_("Enhet"), _("Møtedato"), _("Status"), _("Vedtak")],
    )
    for review in listed:
        table.add(
            review.unit.name,
            date_cell(review.date),
            review.get_status_display(),
            review.decision_count,
        )
    own = next((r for r in listed if r.unit_id == scope.unit.pk and r.is_signed), None)
    tables = [assessments_table(own), table] if own else [table]
    signed = sum(r.is_signed for r in listed)
    return Part(
        key="management_reviews",
        title=_("Ledelsens gjennomgåelse"),
        intro=_(
            "Hver enhet går minst én gang i året gjennom om styringen og kontrollen virker. "
            "Vurderingene er slik de sto da gjennomgåelsen ble signert."
        ),
        figures=[
            (_("Gjennomgåelser signert"), signed),
            (_("Gjennomgåelser som pågår"), len(listed) - signed),
            (_("Vedtak"), sum(r.decision_count for r in listed)),
        ],
        tables=tables,
        empty=_("Ingen ledelsens gjennomgåelse for %(year)s.") % {"year": year},
    )


def meetings(scope, period):
    """The meetings of the scope's committees in the period, with their items, decisions and
    actions counted (what the published minutes carry; never the referred cases themselves)."""
    return (
        Meeting.objects.filter(
            committee__unit__in=scope.unit_ids(), date__range=(period.start, period.last_day)
        )
        .select_related("committee")
        .annotate(
            item_count=Count("items"),
            decision_count=Count("items", filter=~Q(items__decision="")),
            action_count=Count("items", filter=Q(items__action__isnull=False)),
        )
        .order_by("date", "pk")
    )


@register_part("committee_meetings", order=25)
def committee_meetings_part(scope, period) -> Part:
    """How the committees prioritised and set measures: their meetings of the period, held or
    not, with the number of cases, decisions and actions; the minutes themselves are published
    on their own pages without personal data."""
    table = Table(
        key="control_meetings",
        title=_("Møter i utvalgene"),
        columns=[_("Utvalg"), _("Dato"), _("Status"), _("Saker"), _("Vedtak"), _("Tiltak")],
    )
    held = published = 0
    done = {Meeting.Status.HELD, Meeting.Status.APPROVED, Meeting.Status.PUBLISHED}
    for meeting in meetings(scope, period):
        held += meeting.status in done
        published += meeting.status == Meeting.Status.PUBLISHED
        table.add(
            meeting.committee.name,
            date_cell(meeting.date),
            meeting.get_status_display(),
            meeting.item_count,
            meeting.decision_count,
            meeting.action_count,
        )
    return Part(
        key="committee_meetings",
        title=_("Utvalgenes arbeid"),
        intro=_(
            "Kvalitetsutvalgene og arbeidsmiljøutvalget prioriterer og setter i verk tiltak. "
            "Protokollene er publisert uten personopplysninger."
        ),
        figures=[
            (_("Møter i perioden"), len(table.rows)),
            (_("Møter avholdt"), held),
            (_("Protokoller publisert"), published),
        ],
        tables=[table],
        empty=_("Ingen utvalgsmøter i perioden."),
    )
