"""Annual-wheel completion: planned control activities done, done on time, overdue; rounds
with a checklist and internal audits, planned against carried out, with their findings."""

from __future__ import annotations

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from annual_wheel.models import Audit, AuditFinding, Occurrence, Round, RoundAnswer
from annual_wheel.querysets import completion_by, completion_figures
from qms.formats import percent
from qms.reports import charts as ch
from qms.reports.stats import Block, Figure, Section, limited, percent_of, register
from qms.reports.tables import Table, UnitCell, date_cell


def occurrences(scope):
    """Occurrences of activities owned by the subtree's units; the municipality-wide ones
    (no owning unit) count when the scope is the whole municipality."""
    q = Q(activity__unit__in=scope.unit_ids())
    if scope.unit.depth == 1:
        q |= Q(activity__unit__isnull=True)
    return Occurrence.objects.filter(q, activity__is_active=True)


@register("annual_wheel", order=50)
def section(scope, period, *, charts: bool = True, report: bool = False) -> Section:
    """Annual-wheel completion: occurrences due in the period, done, on time and overdue."""
    today = timezone.localdate()
    qs = occurrences(scope)
    total = completion_figures(qs, period.start, period.last_day, today)
    result = _section(total)
    result.blocks.append(unit_block(scope, qs, period, today, charts))
    result.blocks.append(category_block(qs, period, today, charts))
    rounds = rounds_block(scope, qs, period, charts)
    if rounds.table.rows:
        result.blocks.append(rounds)
    audits = audits_block(scope, period, charts)
    if audits.table.rows:
        result.blocks.append(audits)
    if report:
        result.lists.append(overdue_list(qs, period, today))
    return result


def _section(total) -> Section:
    return Section(
        key="annual_wheel",
        title=_("Årshjul"),
        intro=_(
            "Forekomster av planlagte aktiviteter i årshjulet med dato i perioden. «Til tiden» "
            "betyr registrert gjennomført senest på datoen."
        ),
        figures=[
            Figure(_("Aktiviteter i perioden"), total.total),
            Figure(_("Forfalt til nå"), total.due),
            Figure(_("Gjennomført"), total.done),
            Figure(
                _("Gjennomført til tiden"),
                percent(total.percent_on_time),
            ),
            Figure(_("Forfalt, ikke registrert"), total.overdue),
        ],
        definitions=[
            (
                _("Årshjul – gjennomføring"),
                _(
                    "Andel av forekomstene med dato fram til i dag som er registrert gjennomført "
                    "senest på datoen. Forfalte er planlagte forekomster med dato før i dag som "
                    "ikke er registrert."
                ),
            )
        ],
    )


def unit_block(scope, qs, period, today, charts: bool) -> Block:
    """Completion per row of the scope's by-unit breakdown (``Scope.groups``): the scope
    unit's own activities, then each child unit with its whole subtree, as in the other
    sections; a unit's row opens its own breakdown (drill-down). The municipality-wide
    activities (no owning unit) are the municipality's own."""
    columns = [
        _("Enhet"),
        _("Planlagt"),
        pgettext("occurrences whose date has come", "Forfalt"),
        _("Gjennomført"),
        _("Til tiden"),
        _("Ikke gjennomført"),
        _("Forfalt, ikke registrert"),
        _("Andel til tiden (%)"),
    ]
    by_unit = Table(key="wheel_by_unit", title=_("Gjennomføring per enhet"), columns=columns)
    # Municipality-wide occurrences (no unit) are only in the municipality's scope.
    group = Coalesce(scope.group_of("activity__unit__path"), Value(scope.path))
    by_group = completion_by(qs, period.start, period.last_day, group, today)
    unit_ids = scope.group_ids()
    for prefix, name in scope.groups():
        c = by_group.get(prefix)
        if c is None or not c.total:
            continue
        by_unit.add(
            UnitCell(name, unit_ids[prefix]),
            c.total,
            c.due,
            c.done,
            c.done_on_time,
            c.not_done,
            c.overdue,
            percent_of(c.done_on_time, c.due),
        )
    chart = None
    if charts and ch.readable(by_unit.rows):
        late = [r[3] - r[4] for r in by_unit.rows]
        chart = ch.bar(
            by_unit.title,
            by_unit.labels(),
            [
                (_("Til tiden"), by_unit.column(4)),
                (_("For sent"), late),
                (_("Ikke gjennomført"), by_unit.column(5)),
                (_("Forfalt, ikke registrert"), by_unit.column(6)),
            ],
            horizontal=True,
            stacked=True,
        )
    return Block(by_unit, chart)


def category_block(qs, period, today, charts: bool) -> Block:
    """Completion per activity category."""
    rows = (
        qs.in_period(period.start, period.last_day)
        .order_by()
        .values("activity__category__name")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status="done")),
            overdue=Count("pk", filter=Q(status="planned", due_date__lt=today)),
        )
        .order_by("activity__category__name")
    )
    by_category = Table(
        key="wheel_by_category",
        title=_("Gjennomføring per kategori"),
        columns=[_("Kategori"), _("Planlagt"), _("Gjennomført"), _("Forfalt, ikke registrert")],
    )
    for row in rows:
        by_category.add(row["activity__category__name"], row["total"], row["done"], row["overdue"])
    chart = None
    if charts and by_category.rows:
        chart = ch.bar(
            by_category.title,
            by_category.labels(),
            [
                (_("Gjennomført"), by_category.column(2)),
                (_("Forfalt"), by_category.column(3)),
            ],
            horizontal=True,
        )
    return Block(by_category, chart)


def overdue_list(qs, period, today) -> Table:
    overdue = Table(
        key="wheel_overdue",
        title=_("Forfalte aktiviteter i årshjulet"),
        columns=[_("Aktivitet"), _("Enhet"), _("Kategori"), _("Dato")],
    )
    for row in limited(
        overdue,
        qs.in_period(period.start, period.last_day)
        .overdue(today)
        .order_by("due_date", "pk")
        .values_list(
            "activity__title", "activity__unit__name", "activity__category__name", "due_date"
        ),
    ):
        overdue.add(row[0], row[1] or _("Hele kommunen"), row[2], date_cell(row[3]))
    return overdue


def rounds_block(scope, qs, period, charts: bool) -> Block:
    """Rounds with a checklist per unit: planned in the wheel, signed, in progress, and their
    findings (failed answers) — reported as deviations or put in the action plan."""
    start, end = period.start, period.last_day
    names: dict[int | None, str] = {}
    counts: dict[int | None, dict[str, int]] = {}

    def bump(unit_id, name, key, value):
        names[unit_id] = name or _("Hele kommunen")
        counts.setdefault(unit_id, {}).setdefault(key, 0)
        counts[unit_id][key] += value

    planned = (
        qs.in_period(start, end)
        .filter(activity__checklist__isnull=False)
        .order_by()
        .values("activity__unit", "activity__unit__name")
        .annotate(n=Count("pk"))
    )
    for row in planned:
        bump(row["activity__unit"], row["activity__unit__name"], "planned", row["n"])
    rounds = (
        Round.objects.filter(unit__in=scope.unit_ids(), date__gte=start, date__lte=end)
        .order_by()
        .values("unit", "unit__name")
        .annotate(
            signed=Count("pk", filter=Q(status=Round.Status.SIGNED)),
            open=Count("pk", filter=Q(status=Round.Status.IN_PROGRESS)),
        )
    )
    for row in rounds:
        bump(row["unit"], row["unit__name"], "signed", row["signed"])
        bump(row["unit"], row["unit__name"], "open", row["open"])
    findings = (
        RoundAnswer.objects.filter(
            round__unit__in=scope.unit_ids(),
            round__date__gte=start,
            round__date__lte=end,
            question__kind="yes_no",
            value=F("question__fail_answer"),
        )
        .order_by()
        .values("round__unit", "round__unit__name")
        .annotate(
            n=Count("pk"),
            reported=Count("pk", filter=Q(deviation__isnull=False)),
            planned=Count("pk", filter=Q(action__isnull=False)),
        )
    )
    for row in findings:
        unit, name = row["round__unit"], row["round__unit__name"]
        bump(unit, name, "findings", row["n"])
        bump(unit, name, "reported", row["reported"])
        bump(unit, name, "in_plan", row["planned"])
    table = Table(
        key="wheel_rounds",
        title=_("Runder med sjekkliste per enhet"),
        columns=[
            _("Enhet"),
            _("Planlagt i årshjulet"),
            _("Signerte runder"),
            _("Runder som pågår"),
            _("Funn"),
            _("Meldt som avvik"),
            _("I handlingsplan"),
        ],
    )
    keys = ("planned", "signed", "open", "findings", "reported", "in_plan")
    for unit_id in sorted(counts, key=lambda u: (u is None, names[u])):
        table.add(names[unit_id], *(counts[unit_id].get(k, 0) for k in keys))
    chart = None
    if charts and ch.readable(table.rows):
        chart = ch.bar(
            table.title,
            table.labels(),
            [(_("Planlagt i årshjulet"), table.column(1)), (_("Signerte runder"), table.column(2))],
            horizontal=True,
        )
    return Block(table, chart)


def audits_block(scope, period, charts: bool) -> Block:
    """Internal audits of the subtree's units planned in the period: reported against planned,
    and their findings by kind (an avvik is also a case, counted with the deviations)."""
    start, end = period.start, period.last_day
    audits = Audit.objects.filter(
        unit__in=scope.unit_ids(), planned_date__gte=start, planned_date__lte=end
    )
    rows = (
        audits.order_by()
        .values("unit", "unit__name")
        .annotate(planned=Count("pk"), reported=Count("pk", filter=Q(status=Audit.Status.REPORTED)))
    )
    kinds = AuditFinding.Kind
    findings = {
        row["audit__unit"]: row
        for row in AuditFinding.objects.filter(audit__in=audits.values("pk"))
        .order_by()
        .values("audit__unit")
        .annotate(
            avvik=Count("pk", filter=Q(kind=kinds.NONCONFORMITY)),
            observations=Count("pk", filter=Q(kind=kinds.OBSERVATION)),
            strengths=Count("pk", filter=Q(kind=kinds.STRENGTH)),
        )
    }
    table = Table(
        key="wheel_audits",
        title=_("Interne revisjoner per enhet"),
        columns=[
            _("Enhet"),
            _("Planlagt"),
            _("Rapportert"),
            pgettext("audit finding", "Avvik"),
            _("Observasjoner"),
            _("Styrker"),
        ],
    )
    for row in sorted(rows, key=lambda r: r["unit__name"]):
        found = findings.get(row["unit"], {})
        table.add(
            row["unit__name"],
            row["planned"],
            row["reported"],
            *(found.get(k, 0) for k in ("avvik", "observations", "strengths")),
        )
    chart = None
    if charts and ch.readable(table.rows):
        chart = ch.bar(
            table.title,
            table.labels(),
            [(_("Planlagt"), table.column(1)), (_("Rapportert"), table.column(2))],
            horizontal=True,
        )
    return Block(table, chart)
