"""Deviation statistics: trend, breakdowns, open vs closed, time to close, overdue actions,
the control chart and reporting culture.

Deviations are counted by when they happened (``occurred_at``, Europe/Oslo months), over the
units of the chosen subtree. Everything is a grouped query; Python only reshapes the few
aggregate rows.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deviations import tallies
from deviations.models import (
    Category,
    CorrectiveAction,
    Deviation,
    InspectionFinding,
    MonthlyDurations,
    MonthlyTally,
)
from deviations.querysets import hms_q
from qms.formats import percent
from qms.reports import charts as ch
from qms.reports import spc
from qms.reports.periods import MONTH_ABBR, Period, _add_months
from qms.reports.scope import Scope
from qms.reports.sql import DaysBetween, days_to_close, percentile_cont, percentiles
from qms.reports.stats import Block, Figure, Section, limited, percent_of, register
from qms.reports.stats.organisation import headcounts, is_person_level
from qms.reports.tables import (
    SUPPRESSED,
    Table,
    UnitCell,
    date_cell,
    is_suppressed,
    month_cell,
    suppress,
)

SERIOUS = 4  # severity 4 (alvorlig) and 5 (svært alvorlig)
CONTROL_WINDOW_MONTHS = 24
UNWANTED = [k for k in Deviation.Kind.values if k != Deviation.Kind.IMPROVEMENT]


def in_scope(scope):
    """The scope's cases; in an HMS-only scope its HMS cases (``hms_q``)."""
    cases = Deviation.objects.filter(unit__in=scope.unit_ids())
    return cases.filter(hms_q()) if scope.hms_only else cases


def _occurred_in(period: Period) -> Q:
    start, end = period.bounds()
    return Q(occurred_at__gte=start, occurred_at__lt=end)


def _month_label(day: dt.date) -> str:
    return f"{MONTH_ABBR[day.month - 1]} {day.year}"


def _days(value: float | None) -> float | str:
    return "–" if value is None else round(value, 1)


def _rounded(value: float | None) -> float | None:
    """A number of days in a table: none is an empty cell (the page shows "–")."""
    return None if value is None else round(value, 1)


def reads_tallies(period: Period) -> bool:
    """Whether the figures of ``period`` come from the monthly tallies (``MonthlyTally``): for
    every period of whole months; a custom range of other days counts the cases themselves,
    with the same results (tests/reports/test_deviation_tallies.py holds them equal)."""
    return period.whole_months


def reads_durations(period: Period) -> bool:
    """Whether the percentiles of ``period`` come from the kept durations
    (``MonthlyDurations``, PostgreSQL only), else from the cases."""
    return reads_tallies(period) and tallies.keeps_durations()


Counts = dict[str, dict[tuple[dt.date, object], int]]  # dimension -> (month, value) -> n


def _category_names() -> dict[str, str | None]:
    return {"": None} | {str(pk): name for pk, name in Category.objects.values_list("pk", "name")}


def _typed(dimension: str, value: str, names: dict[str, str | None]):
    """A tally's stored value as the case field reads (a severity is a number, a category its
    name, none of it None)."""
    if dimension in ("severity", tallies.CLOSED_SEVERITY):
        return int(value)
    if dimension == "category":
        return names.get(value, value)
    return value


def counts_from_tallies(scope: Scope, start: dt.date, end: dt.date, dimensions) -> Counts:
    """The scope's counts per dimension and month for the months ``[start, end)`` from the
    monthly tallies: one grouped query over a few rows per unit and month."""
    rows = MonthlyTally.objects.filter(
        unit__in=scope.unit_ids(), month__gte=start, month__lt=end, dimension__in=dimensions
    )
    if scope.hms_only:
        rows = rows.filter(hms=True)
    names = _category_names()
    out: Counts = {d: defaultdict(int) for d in dimensions}
    for dimension, month, value, n in (
        rows.values_list("dimension", "month", "value").annotate(total=Sum("n")).order_by()
    ):
        out[dimension][(month, _typed(dimension, value, names))] += n
    return out


def counts_from_cases(cases: QuerySet, dimensions) -> Counts:
    """The same counts as :func:`counts_from_tallies`, from the case rows themselves (a custom
    range of days): one grouped scan of the period."""
    fields = [tallies.DIMENSIONS[d] for d in dimensions if d in tallies.DIMENSIONS]
    names = _category_names()
    out: Counts = {d: defaultdict(int) for d in dimensions}
    for row in (
        cases.annotate(month=TruncMonth("occurred_at", output_field=DateField()))
        .values("month", *fields)
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(first_response_at__isnull=False)))
        .order_by()
    ):
        for dimension in dimensions:
            if dimension == tallies.ANSWERED:
                out[dimension][(row["month"], "")] += row["answered"]
                continue
            value = row[tallies.DIMENSIONS[dimension]]
            if dimension == "category":
                value = names.get(str(value) if value is not None else "", value)
            out[dimension][(row["month"], value)] += row["n"]
    return out


def counts(scope: Scope, start: dt.date, end: dt.date, dimensions) -> Counts:
    """The scope's counts per dimension and month of the cases that happened in
    ``[start, end)``: from the tallies when those are whole months (:func:`reads_tallies`),
    else from the cases."""
    if reads_tallies(Period("custom", start, end)):
        return counts_from_tallies(scope, start, end, dimensions)
    tz = timezone.get_current_timezone()
    cases = in_scope(scope).filter(
        occurred_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        occurred_at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz),
    )
    return counts_from_cases(cases, dimensions)


CURRENT = (*tallies.DIMENSIONS, tallies.ANSWERED)


@dataclass
class Facts:
    """What the deviation breakdowns read: the scope's cases, its counts per dimension and
    month for the period and for the same period last year, and the headcounts per child
    group.

    Every breakdown (kind by month, category, severity, state, cause) is summed from these
    counts: for whole months from the monthly tallies, otherwise from one grouped scan of the
    period's cases (:func:`reads_tallies`)."""

    scope: Scope
    period: Period
    today: dt.date
    base: QuerySet
    current: QuerySet
    counts: Counts
    last_counts: Counts
    employees_by_group: dict[str, int]

    @classmethod
    def gather(cls, scope: Scope, period: Period) -> Facts:
        base = in_scope(scope)
        current = base.filter(_occurred_in(period))
        previous = period.previous_year()
        now = counts(scope, period.start, period.end, CURRENT)
        last = counts(scope, previous.start, previous.end, ("category",))
        employees_by_group = headcounts(scope.path, scope.group_length)
        return cls(
            scope, period, timezone.localdate(), base, current, now, last, employees_by_group
        )

    @property
    def previous(self) -> Period:
        return self.period.previous_year()

    @property
    def employees(self) -> int:
        return sum(self.employees_by_group.values())

    @cached_property
    def small(self) -> bool:
        """A small subtree, or one whose parent holds few others, makes every breakdown
        person-level."""
        return is_person_level(self.scope, self.employees)

    @property
    def hide_counts(self) -> bool:
        """Person-level counts are shown for whole months only (qms/reports/tables.py)."""
        return not self.period.whole_months

    def tally(self, dimension: str, *, by_month: bool = False, last: bool = False) -> dict:
        """Counts per value of ``dimension`` (per (month, value) with ``by_month``)."""
        out = defaultdict(int)
        for (month, value), n in (self.last_counts if last else self.counts)[dimension].items():
            out[(month, value) if by_month else value] += n
        return out

    @cached_property
    def by_group(self) -> dict[str, dict[str, int]]:
        """Cases and open cases per row of the by-unit breakdown (path prefix)."""
        open_states = list(Deviation.OPEN_STATES)
        if reads_tallies(self.period):
            rows = MonthlyTally.objects.filter(
                unit__in=self.scope.unit_ids(),
                month__gte=self.period.start,
                month__lt=self.period.end,
                dimension="state",
            )
            if self.scope.hms_only:
                rows = rows.filter(hms=True)
            grouped = rows.values(prefix=self.scope.group_of("unit__path")).annotate(
                cases=Sum("n"), open_cases=Sum("n", filter=Q(value__in=open_states))
            )
        else:
            grouped = self.current.values(prefix=self.scope.group_of("unit__path")).annotate(
                cases=Count("pk"), open_cases=Count("pk", filter=Q(state__in=open_states))
            )
        return {
            row["prefix"]: {"n": row["cases"] or 0, "open": row["open_cases"] or 0}
            for row in grouped.order_by()
        }

    @cached_property
    def closed_counts(self) -> dict[int, int]:
        """Cases closed in the period per severity."""
        if reads_tallies(self.period):
            closed = counts_from_tallies(
                self.scope, self.period.start, self.period.end, (tallies.CLOSED_SEVERITY,)
            )
            out: dict[int, int] = defaultdict(int)
            for (_month, severity), n in closed[tallies.CLOSED_SEVERITY].items():
                out[severity] += n
            return dict(out)
        return dict(
            closed_in(self.base, self.period)
            .values_list("severity")
            .annotate(n=Count("pk"))
            .order_by()
        )

    @cached_property
    def overdue_actions(self) -> QuerySet:
        """Open actions past their deadline on the scope's cases: ``ActionQuerySet.overdue``,
        as a semi-join on the scope's cases (not a join that hashes every case of a sector),
        so they come from their partial index."""
        return CorrectiveAction.objects.overdue(self.today).filter(
            deviation__in=self.base.values("pk")
        )

    @cached_property
    def overdue_by_group(self) -> dict[str, int]:
        """Overdue actions per row of the by-unit breakdown, as they stand today: the open
        actions whose deadline fell in an earlier month, from the tallies, and those due
        earlier this month, from the actions' partial index (``ActionQuerySet.overdue``)."""
        this_month = self.today.replace(day=1)
        earlier = MonthlyTally.objects.filter(
            unit__in=self.scope.unit_ids(), month__lt=this_month, dimension=tallies.OPEN_ACTIONS
        )
        if self.scope.hms_only:
            earlier = earlier.filter(hms=True)
        out: dict[str, int] = defaultdict(int)
        for prefix, n in (
            earlier.values_list(self.scope.group_of("unit__path"))
            .annotate(total=Sum("n"))
            .order_by()
        ):
            out[prefix] += n
        # A join from the few actions due this month, not a semi-join on every case of the scope.
        recent = CorrectiveAction.objects.overdue(self.today).filter(
            deadline__gte=this_month, deviation__unit__in=self.scope.unit_ids()
        )
        if self.scope.hms_only:
            recent = recent.filter(hms_q("deviation__"))
        for prefix, n in (
            recent.values_list(self.scope.group_of("deviation__unit__path"))
            .annotate(total=Count("pk"))
            .order_by()
        ):
            out[prefix] += n
        return dict(out)

    @cached_property
    def totals(self) -> dict[str, int]:
        open_states = set(Deviation.OPEN_STATES)
        state_counts = self.tally("state")
        return {
            "total": sum(state_counts.values()),
            "closed": state_counts.get(Deviation.State.CLOSED, 0),
            "open": sum(n for k, n in state_counts.items() if k in open_states),
            "serious": sum(n for k, n in self.tally("severity").items() if k >= SERIOUS),
            "last_year": sum(self.tally("category", last=True).values()),
            "answered": sum(self.tally(tallies.ANSWERED).values()),
        }


def closed_in(base: QuerySet, period: Period) -> QuerySet:
    """The cases closed in the period (time to close)."""
    start, end = period.bounds()
    return base.filter(state=Deviation.State.CLOSED, closed_at__gte=start, closed_at__lt=end)


@register("deviations", order=20, hms=True)
def section(scope, period: Period, *, charts: bool = True, report: bool = False) -> Section:
    """Deviations: trend by kind, category, unit, severity and cause; open vs closed; time to
    close; overdue actions; the control chart; reporting culture; open inspection findings past
    the authority's deadline."""
    facts = Facts.gather(scope, period)
    close = CloseTimes.of(facts)
    control = control_chart_table(scope, period, facts.employees, facts.today)
    result = Section(
        key="deviations",
        title=_("Avvik og uønskede hendelser"),
        intro=_(
            "Tallene gjelder meldinger om avvik, uønskede hendelser, skader og nestenulykker og "
            "forbedringsforslag med hendelsestidspunkt i perioden, fordelt etter når de skjedde."
        ),
        definitions=definitions(),
    )
    if scope.hms_only:
        result.title = _("HMS-avvik")
        result.intro = _(
            "Bare HMS-saker: skader og nestenulykker og saker i kategorier merket HMS, med "
            "hendelsestidspunkt i perioden, fordelt etter når de skjedde."
        )
    inspections = inspection_block(scope, facts.today, charts)
    result.blocks = [
        trend_block(facts, charts),
        category_block(facts, charts),
        unit_block(facts, charts),
        severity_block(facts, charts),
        cause_block(facts, charts),
        source_block(facts, charts),
        state_block(facts, charts),
        close_block(facts, close, charts),
        control_block(control, charts),
        inspections,
    ]
    result.figures = headline_figures(facts, close, control[2])
    result.figures.append(Figure(_("Tilsynsfunn over fristen"), sum(inspections.table.column(2))))
    if report:
        result.lists.extend(report_lists(facts))
    return result


def trend_block(facts: Facts, charts: bool) -> Block:
    """Per month by kind, against the same month last year."""
    kinds = dict(Deviation.Kind.choices)
    months = facts.period.months()
    by_month = facts.tally("kind", by_month=True)
    last_by_month = defaultdict(int)
    for (month, _category), n in facts.tally("category", by_month=True, last=True).items():
        last_by_month[month] += n
    trend = Table(
        key="deviations_by_month",
        title=_("Meldinger per måned etter type"),
        columns=[
            _("Måned"),
            *[str(label) for label in kinds.values()],
            _("I alt"),
            _("Samme måned i fjor"),
        ],
        person_level=facts.small,
        hide_counts=facts.hide_counts,
        count_columns=tuple(range(1, len(kinds) + 3)),
        totals={len(kinds) + 1: tuple(range(1, len(kinds) + 1))},
    )
    for month in months:
        counts = [by_month.get((month, k), 0) for k in kinds]
        last = last_by_month.get(_add_months(month, -12), 0)
        trend.add(month_cell(month, _month_label(month)), *counts, sum(counts), last)
    block = Block(trend)
    if charts:
        block.chart = ch.bar(
            trend.title,
            trend.labels(),
            [(label, trend.column(i + 1)) for i, label in enumerate(kinds.values())],
            stacked=True,
        )
    if charts and len(months) > 1:
        n = len(kinds)
        block.more.append(
            ch.line(
                _("Utvikling mot samme periode i fjor"),
                trend.labels(),
                [
                    (facts.period.label, trend.column(n + 1)),
                    (facts.previous.label, trend.column(n + 2)),
                ],
            )
        )
    return block


def category_block(facts: Facts, charts: bool) -> Block:
    """By category, against last year."""
    period, previous = facts.period, facts.previous
    now_by_category = facts.tally("category")
    before_by_category = facts.tally("category", last=True)
    rows = sorted(
        (
            {"category__name": c, "now": now_by_category.get(c, 0), "before": n_before}
            for c, n_before in {**dict.fromkeys(now_by_category, 0), **before_by_category}.items()
        ),
        key=lambda r: (-r["now"], r["category__name"] or ""),
    )
    by_category = Table(
        key="deviations_by_category",
        title=_("Meldinger etter kategori"),
        columns=[_("Kategori"), period.label, previous.label],
        person_level=facts.small,
        hide_counts=facts.hide_counts,
        count_columns=(1, 2),
    )
    for row in rows:
        by_category.add(row["category__name"] or _("Uten kategori"), row["now"], row["before"])
    chart = (
        ch.bar(
            by_category.title,
            by_category.labels(),
            [(period.label, by_category.column(1)), (previous.label, by_category.column(2))],
            horizontal=True,
        )
        if charts and by_category.rows
        else None
    )
    return Block(by_category, chart)


def unit_block(facts: Facts, charts: bool) -> Block:
    """By unit: count, per 100 employees, open, overdue actions."""
    scope = facts.scope
    unit_counts = facts.by_group
    overdue_by_group = facts.overdue_by_group
    by_unit = Table(
        key="deviations_by_unit",
        title=_("Meldinger per enhet og per 100 ansatte"),
        columns=[
            _("Enhet"),
            _("Ansatte"),
            _("Meldinger"),
            _("Per 100 ansatte"),
            _("Åpne"),
            _("Tiltak over frist"),
        ],
        person_level=True,  # per unit: a small unit's counts could point at a person
        hide_counts=facts.hide_counts,
        count_columns=(2, 4, 5),
        derived={3: 2},
        note=_(
            "Enhetens egen rad gjelder saker registrert direkte på den; hver underenhet tar med "
            "hele sin del av organisasjonen."
        ),
    )
    unit_ids = scope.group_ids()
    for prefix, name in scope.groups():
        row = unit_counts.get(prefix, {})
        staff = facts.employees_by_group.get(prefix, 0)
        n = row.get("n", 0)
        if prefix == scope.path and not n and not overdue_by_group.get(prefix):
            continue  # no cases on the scope unit itself: leave its row out
        by_unit.add(
            UnitCell(name, unit_ids[prefix]),
            staff,
            n,
            round(100 * n / staff, 1) if staff else None,
            row.get("open", 0),
            overdue_by_group.get(prefix, 0),
        )
    chart = (
        ch.bar(
            _("Meldinger per 100 ansatte"),
            by_unit.labels(),
            [(_("Per 100 ansatte"), by_unit.column(3))],
            horizontal=True,
        )
        if charts and by_unit.rows
        else None
    )
    return Block(
        by_unit,
        chart,
        description=_(
            "Meldinger per 100 ansatte gjør enheter av ulik størrelse sammenlignbare. Mange "
            "meldinger er ofte et tegn på god meldekultur, ikke på flere hendelser."
        ),
    )


def severity_block(facts: Facts, charts: bool) -> Block:
    severity_counts = facts.tally("severity")
    by_severity = Table(
        key="deviations_by_severity",
        title=_("Meldinger etter alvorlighet"),
        columns=[_("Alvorlighet"), _("Antall"), _("Andel (%)")],
        person_level=facts.small,
        hide_counts=facts.hide_counts,
        count_columns=(1,),
        derived={2: 1},
    )
    for value, label in Deviation.Severity.choices:
        n = severity_counts.get(value, 0)
        by_severity.add(str(label), n, percent_of(n, facts.totals["total"]))
    chart = (
        ch.bar(by_severity.title, by_severity.labels(), [(_("Antall"), by_severity.column(1))])
        if charts
        else None
    )
    return Block(by_severity, chart)


def cause_block(facts: Facts, charts: bool) -> Block:
    """Cause classes, Pareto."""
    causes = dict(Deviation.CauseClass.choices)
    cause_rows = [
        {"cause_class": c, "n": n}
        for c, n in sorted(facts.tally("cause_class").items(), key=lambda kv: (-kv[1], kv[0] or ""))
    ]
    pareto = Table(
        key="deviations_by_cause",
        title=_("Årsaker (Pareto)"),
        columns=[_("Årsaksklasse"), _("Antall"), _("Andel (%)"), _("Kumulativ andel (%)")],
        person_level=facts.small,
        hide_counts=facts.hide_counts,
        count_columns=(1,),
        derived={2: 1},
    )
    classified = [r for r in cause_rows if r["cause_class"]]
    unclassified = sum(r["n"] for r in cause_rows if not r["cause_class"])
    total_classified = sum(r["n"] for r in classified)
    running = 0
    for row in classified:
        running += row["n"]
        pareto.add(
            str(causes.get(row["cause_class"], row["cause_class"])),
            row["n"],
            percent_of(row["n"], total_classified),
            percent_of(running, total_classified),
        )
    pareto.note = _("Ikke klassifisert ennå: %(n)s (ikke med i andelene).") % {"n": unclassified}
    chart = (
        ch.pareto(
            pareto.title, pareto.labels(), pareto.column(1), _("Antall"), _("Kumulativ andel (%)")
        )
        if charts and pareto.rows
        else None
    )
    return Block(
        pareto,
        chart,
        description=_(
            "Årsaksklassene sortert etter antall; linjen viser hvor stor del av sakene de "
            "vanligste årsakene står for."
        ),
    )


def source_block(facts: Facts, charts: bool) -> Block:
    """Where the cases came from: a report, or a finding of a round, an internal audit or an
    inspection."""
    source_counts = facts.tally("source")
    by_source = Table(
        key="deviations_by_source",
        title=_("Meldinger og funn etter kilde"),
        columns=[_("Kilde"), _("Antall"), _("Andel (%)")],
        person_level=facts.small,
        hide_counts=facts.hide_counts,
        count_columns=(1,),
        derived={2: 1},
    )
    for value, label in Deviation.Source.choices:
        n = source_counts.get(value, 0)
        by_source.add(str(label), n, percent_of(n, facts.totals["total"]))
    chart = (
        ch.bar(by_source.title, by_source.labels(), [(_("Antall"), by_source.column(1))])
        if charts
        else None
    )
    return Block(
        by_source,
        chart,
        description=_(
            "Saker fra meldinger og saker som er funn fra runder med sjekkliste, interne "
            "revisjoner og tilsyn."
        ),
    )


def state_block(facts: Facts, charts: bool) -> Block:
    """Open vs closed."""
    state_counts = facts.tally("state")
    by_state = Table(
        key="deviations_by_state",
        title=_("Åpne og lukkede"),
        columns=[_("Status"), _("Antall")],
        person_level=facts.small,
        hide_counts=facts.hide_counts,
        count_columns=(1,),
    )
    for value, label in Deviation.State.choices:
        by_state.add(str(label), state_counts.get(value, 0))
    chart = (
        ch.bar(by_state.title, by_state.labels(), [(_("Antall"), by_state.column(1))])
        if charts
        else None
    )
    return Block(by_state, chart)


@dataclass
class CloseTimes:
    """Days from report to closing of the cases closed in the period: overall and per
    severity."""

    median: float | None
    p90: float | None
    by_severity: dict[int, tuple[float | None, float | None]]
    counts: dict[int, int]

    @classmethod
    def of(cls, facts: Facts) -> CloseTimes:
        if reads_durations(facts.period):
            by_severity = kept_percentiles(facts.scope, facts.period, "close")
        else:
            by_severity = close_times(closed_in(facts.base, facts.period))
        median, p90 = by_severity.pop(None, (None, None))
        return cls(median, p90, by_severity, facts.closed_counts)


def close_block(facts: Facts, close: CloseTimes, charts: bool) -> Block:
    """Time to close, per severity."""
    time_to_close = Table(
        key="deviations_time_to_close",
        title=_("Dager fra melding til lukking"),
        columns=[
            _("Alvorlighet"),
            _("Lukket i perioden"),
            _("Median (dager)"),
            _("90-persentil (dager)"),
        ],
        person_level=facts.small,
        hide_counts=facts.hide_counts,
        count_columns=(1,),
        derived={2: 1, 3: 1},
    )
    for value, label in Deviation.Severity.choices:
        m, p = close.by_severity.get(value, (None, None))
        time_to_close.add(str(label), close.counts.get(value, 0), _rounded(m), _rounded(p))
    closed_total = sum(close.counts.values())
    time_to_close.footer = [_("Alle"), closed_total, _rounded(close.median), _rounded(close.p90)]
    if facts.small and 0 < closed_total < 5:
        time_to_close.footer = [_("Alle"), SUPPRESSED, SUPPRESSED, SUPPRESSED]
    chart = None
    if charts and close.counts:
        chart = ch.bar(
            time_to_close.title,
            time_to_close.labels(),
            [
                (
                    _("Median"),
                    [v if isinstance(v, float) else None for v in time_to_close.column(2)],
                ),
                (
                    _("90-persentil"),
                    [v if isinstance(v, float) else None for v in time_to_close.column(3)],
                ),
            ],
        )
    return Block(time_to_close, chart)


def inspection_block(scope, today: dt.date, charts: bool) -> Block:
    """Open inspection findings and those past the authority's deadline, per authority: the
    findings of the inspections whose responsible unit is in the scope, as they stand today
    (``FindingQuerySet.open`` / ``past_deadline``)."""
    findings = InspectionFinding.objects.filter(inspection__unit__in=scope.unit_ids())
    if scope.hms_only:
        findings = findings.filter(deviation__in=in_scope(scope).values("pk"))

    def per_authority(qs) -> dict[str, int]:
        grouped = qs.values("inspection__authority__name").annotate(n=Count("pk")).order_by()
        return {row["inspection__authority__name"]: row["n"] for row in grouped}

    open_ = per_authority(findings.open())
    overdue = per_authority(findings.past_deadline(today))
    table = Table(
        key="inspection_findings",
        title=_("Åpne funn fra tilsyn"),
        columns=[_("Tilsynsmyndighet"), _("Åpne funn"), _("Over tilsynets frist")],
    )
    for name in sorted(open_):
        table.add(name, open_[name], overdue.get(name, 0))
    if table.rows:
        table.footer = [_("Alle"), sum(open_.values()), sum(overdue.values())]
    chart = None
    if charts and table.rows:
        chart = ch.bar(
            table.title,
            table.labels(),
            [(_("Åpne funn"), table.column(1)), (_("Over tilsynets frist"), table.column(2))],
            horizontal=True,
        )
    return Block(
        table,
        chart,
        description=_(
            "Funn fra eksterne tilsyn som tilsynsmyndigheten ikke har lukket, og hvor mange av "
            "dem som har passert fristen tilsynet satte. Gjelder tilsyn der den ansvarlige "
            "enheten er i utvalget, slik det står i dag."
        ),
    )


def control_block(control, charts: bool) -> Block:
    return Block(
        control[0],
        control[1] if charts else None,
        description=_(
            "Kontrolldiagram (Laneys u′-diagram): uønskede hendelser per 100 ansatte per måned "
            "med senterlinje og kontrollgrenser som tar høyde for den vanlige variasjonen mellom "
            "månedene. Måneder utenfor grensene tyder på en reell endring, ikke tilfeldig "
            "variasjon; bare måneder i den valgte perioden telles."
        ),
    )


def headline_figures(facts: Facts, close: CloseTimes, signals: int) -> list[Figure]:
    """The section's headline figures, reporting culture included: each case carries the time
    of its first response (Event.save() keeps it), so this reads the period's case rows, not
    their history."""
    employees = facts.employees
    # In a person-level scope the totals are suppressed like the cells they sum (tables.py).
    count = suppress if facts.small else (lambda n: n)
    totals = {key: count(n) for key, n in facts.totals.items()}
    total = totals["total"]
    answered = facts.totals["answered"]
    if reads_durations(facts.period):
        median_response = kept_percentiles(facts.scope, facts.period, "response")[None][0]
    else:
        median_response = median_days_to_response(facts.current)

    def per_100(n):
        return n if is_suppressed(n) else round(100 * n / employees, 1) if employees else "–"

    return [
        Figure(
            _("Meldinger i perioden"),
            total,
            _("i fjor: %(n)s") % {"n": totals["last_year"]},
            previous=totals["last_year"],
            signal=signals > 0,
        ),
        Figure(
            _("Per 100 ansatte"),
            per_100(total),
            _("i fjor: %(n)s") % {"n": number_format(per_100(totals["last_year"]), 1)}
            if isinstance(per_100(totals["last_year"]), float)
            else "",
            previous=per_100(totals["last_year"]),
            signal=signals > 0,
        ),
        Figure(_("Åpne"), totals["open"]),
        Figure(_("Lukket"), totals["closed"]),
        Figure(_("Alvorlige (4–5)"), totals["serious"]),
        Figure(_("Median dager til lukking"), _days(close.median)),
        Figure(_("90-persentil dager til lukking"), _days(close.p90)),
        Figure(_("Tiltak over frist"), count(sum(facts.overdue_by_group.values()))),
        Figure(
            _("Andel som har fått tilbakemelding"),
            "–" if is_suppressed(total) or not total else percent(percent_of(answered, total)),
        ),
        Figure(_("Median dager til første tilbakemelding"), _days(median_response)),
        Figure(_("Måneder utenfor kontrollgrensene"), signals, signal=signals > 0),
    ]


def close_times(closed) -> dict[int | None, tuple[float | None, float | None]]:
    """Median and 90th percentile of days to close, per severity and overall (key None).

    Percentiles cannot be summed from monthly tallies, so they read the closed cases: on
    PostgreSQL one scan of the period's closed cases (``ROLLUP``: the per-severity and the
    overall figures from the same sort), from the covering index ``deviation_closed`` so the
    table itself is not read."""
    if connection.vendor == "postgresql":
        sql, params = (
            closed.order_by().values("severity", days=days_to_close()).query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT severity, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), "  # noqa: S608
                f"percentile_cont(0.9) WITHIN GROUP (ORDER BY days) FROM ({sql}) AS closed "
                "GROUP BY ROLLUP (severity)",
                params,
            )
            return {severity: (p50, p90) for severity, p50, p90 in cursor.fetchall()}
    out: dict[int | None, tuple[float | None, float | None]] = {
        value: tuple(percentiles(closed.filter(severity=value), days_to_close(), (0.5, 0.9)))
        for value in Deviation.Severity.values
    }
    out[None] = tuple(percentiles(closed, days_to_close(), (0.5, 0.9)))
    return out


def kept_percentiles(
    scope: Scope, period: Period, measure: str
) -> dict[int | None, tuple[float | None, float | None]]:
    """Median and 90th percentile of the kept durations (``MonthlyDurations``) of the scope's
    units in the period's months, per severity and overall (key None): the same values and
    the same ``percentile_cont`` as :func:`close_times` over the cases, from a few rows per
    unit and month."""
    rows = MonthlyDurations.objects.filter(
        unit__in=scope.unit_ids(), month__gte=period.start, month__lt=period.end, measure=measure
    )
    if scope.hms_only:
        rows = rows.filter(hms=True)
    by_severity: dict[int | None, list[float]] = defaultdict(list)
    for severity, days, n in rows.values_list("severity", "days", "n").order_by():
        by_severity[severity].extend(struct.unpack(f">{n}d", days))
    by_severity[None] = [d for values in list(by_severity.values()) for d in values]
    out = {}
    for severity, values in by_severity.items():
        values.sort()
        out[severity] = (percentile_cont(values, 0.5), percentile_cont(values, 0.9))
    return out


def median_days_to_response(cases) -> float | None:
    """The median days from report to the first response of ``cases`` that have had one."""
    answered = cases.filter(first_response_at__isnull=False)
    (median,) = percentiles(answered, DaysBetween(F("first_response_at"), F("created_at")), (0.5,))
    return median


def monthly_counts(scope: Scope, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """Unwanted events (every kind but improvement proposals) per month."""
    out: dict[dt.date, int] = defaultdict(int)
    for (month, kind), n in counts(scope, start, end, ("kind",))["kind"].items():
        if kind in UNWANTED:
            out[month] += n
    return out


def control_chart_table(scope, period: Period, employees: int, today: dt.date):
    """(table, chart, signals): Laney's u′ chart over the 24 months up to the period's end
    (never past the current month). The months before the period only steady the limits: the
    signals are the months outside the limits within the period shown."""
    end_month = min(period.end, _add_months(today.replace(day=1), 1))
    start_month = min(period.start.replace(day=1), _add_months(end_month, -CONTROL_WINDOW_MONTHS))
    months = []
    day = start_month
    while day < end_month:
        months.append(day)
        day = _add_months(day, 1)
    counts_by_month = monthly_counts(scope, start_month, end_month)
    counts = [counts_by_month.get(m, 0) for m in months]
    exposure = employees / 100 if employees else 1.0
    chart_data = spc.u_prime_chart(counts, [exposure] * len(months)) if months else None
    rate_label = _("Per 100 ansatte") if employees else _("Antall")
    table = Table(
        key="deviations_control_chart",
        title=_("Kontrolldiagram: uønskede hendelser per måned"),
        columns=[
            _("Måned"),
            _("Antall"),
            rate_label,
            _("Senterlinje"),
            _("Øvre grense"),
            _("Nedre grense"),
            _("Utenfor"),
        ],
    )
    if chart_data is None:
        return table, None, 0
    for i, month in enumerate(months):
        table.add(
            month_cell(month, _month_label(month)),
            counts[i],
            chart_data.rates[i],
            chart_data.centre,
            chart_data.upper[i],
            chart_data.lower[i],
            _("Ja") if chart_data.outside[i] else "",
        )
    chart = ch.control_chart(
        table.title,
        table.labels(),
        chart_data.rates,
        chart_data.centre,
        chart_data.upper,
        chart_data.lower,
        chart_data.outside,
        {
            "value": str(rate_label),
            "centre": _("Senterlinje"),
            "upper": _("Øvre grense"),
            "lower": _("Nedre grense"),
            "outside": _("Utenfor grensene"),
        },
    )
    shown = [period.start <= month < period.end for month in months]
    return table, chart, chart_data.signals_in(shown)


def report_lists(facts: Facts) -> list[Table]:
    """The lists the quality report prints, without personal data: case numbers, units, kinds,
    categories and severities — never a case's title or description, never a person's name, and
    no row at all of a case marked "contains personal data" (``without_personal_data``): a
    committee sees those only in the counts.

    The one text printed is what was done: the descriptions of the actions that closed a serious
    case (:func:`closing_list`). A case that names people is marked at reporting ("inneholder
    personopplysninger"), and its actions with it; the actions of an unmarked case are the
    unit's measures, not personal data, and notifications carry its texts likewise
    (``deviations.services.case_text``).

    A list longer than the report prints says how long it is in the system: the section's own
    figure (serious cases, overdue actions), which counts the cases with personal data too,
    rather than counting the list again (a third of a second for the municipality)."""
    serious, closed_ids = serious_list(
        facts.base.without_personal_data(), facts.period, facts.totals["serious"]
    )
    return [
        serious,
        closing_list(closed_ids),
        overdue_list(
            facts.overdue_actions.without_personal_data(),
            facts.today,
            sum(facts.overdue_by_group.values()),
        ),
    ]


PERSONAL_DATA_LEFT_OUT = gettext_lazy(
    "Saker merket «inneholder personopplysninger» er ikke med i listen, bare i tallene."
)


def serious_list(cases, period: Period, total: int | None = None) -> tuple[Table, list[int]]:
    """Serious cases of the period, and the ids of those closed."""
    kinds = dict(Deviation.Kind.choices)
    states = dict(Deviation.State.choices)
    serious = Table(
        key="deviations_serious",
        title=_("Alvorlige avvik (alvorlighet 4–5)"),
        columns=[
            _("Nr."),
            _("Dato"),
            _("Enhet"),
            _("Type"),
            _("Kategori"),
            _("Alvorlighet"),
            _("Status"),
        ],
        note=str(PERSONAL_DATA_LEFT_OUT),
    )
    rows = limited(
        serious,
        cases.filter(_occurred_in(period), severity__gte=SERIOUS)
        .order_by("occurred_at", "pk")
        .values_list(
            "pk",
            "number",
            "occurred_at",
            "unit__name",
            "kind",
            "category__name",
            "severity",
            "state",
        ),
        total,
    )
    for _pk, number, occurred, unit, kind, category, severity, state in rows:
        serious.add(
            number,
            date_cell(timezone.localtime(occurred).date()),
            unit,
            str(kinds.get(kind, kind)),
            category or "",
            severity,
            str(states.get(state, state)),
        )
    return serious, [r[0] for r in rows if r[7] == Deviation.State.CLOSED]


def closing_list(closed_ids: list[int]) -> Table:
    """The measures that justified closing the listed serious cases: their descriptions, of
    cases not marked as holding personal data only (see :func:`report_lists`), whatever ids the
    caller passes."""
    closing = Table(
        key="deviations_serious_closed_measures",
        title=_("Lukkede alvorlige avvik: tiltakene som begrunnet lukkingen"),
        columns=[_("Nr."), _("Tiltak"), _("Utført"), _("Effekt")],
        note=str(PERSONAL_DATA_LEFT_OUT),
    )
    effects = dict(CorrectiveAction.Effect.choices)
    for number, description, done_at, effect in (
        CorrectiveAction.objects.without_personal_data()
        .filter(deviation_id__in=closed_ids)
        .order_by("deviation__occurred_at", "deviation_id", "pk")
        .values_list("deviation__number", "description", "done_at", "effect")
    ):
        closing.add(
            number,
            description,
            date_cell(timezone.localtime(done_at).date()) if done_at else None,
            str(effects.get(effect, effect or "")),
        )
    return closing


def overdue_list(actions, today: dt.date, total: int | None = None) -> Table:
    overdue = Table(
        key="deviations_overdue_actions",
        title=_("Tiltak over frist"),
        columns=[_("Sak"), _("Enhet"), _("Frist"), _("Dager over frist")],
        note=str(PERSONAL_DATA_LEFT_OUT),
    )
    for number, unit, deadline in limited(
        overdue,
        actions.order_by("deadline", "pk").values_list(
            "deviation__number", "deviation__unit__name", "deadline"
        ),
        total,
    ):
        overdue.add(number, unit, date_cell(deadline), (today - deadline).days)
    return overdue


def definitions() -> list[tuple[str, str]]:
    kinds = dict(Deviation.Kind.choices)
    texts = {
        Deviation.Kind.DEVIATION: _(
            "Brudd på krav i lov, forskrift eller egne rutiner (mislighold av et krav)."
        ),
        Deviation.Kind.ADVERSE_EVENT: _(
            "En hendelse som førte til, eller kunne ha ført til, skade på personer, miljø, "
            "materiell eller omdømme, eller tap av informasjon."
        ),
        Deviation.Kind.INJURY: _(
            "Personskade på ansatt eller bruker, eller en hendelse der det nesten skjedde en skade."
        ),
        Deviation.Kind.IMPROVEMENT: _(
            "Forslag til bedre praksis; teller ikke som uønsket hendelse i kontrolldiagrammet."
        ),
    }
    severities = {
        1: _("Ingen eller ubetydelig konsekvens."),
        2: _("Liten konsekvens, rettet straks."),
        3: _("Moderat konsekvens; krever tiltak og oppfølging av leder."),
        4: _("Alvorlig konsekvens for person, tjeneste eller informasjonssikkerhet."),
        5: _("Svært alvorlig: død, varig skade, eller alvorlig brudd som må varsles tilsyn."),
    }
    out = [(str(kinds[k]), str(t)) for k, t in texts.items() if k in kinds]
    out += [
        (str(label), str(severities.get(value, ""))) for value, label in Deviation.Severity.choices
    ]
    out += [
        (
            _("Hvem kan melde"),
            _(
                "Alle ansatte kan melde avvik og uønskede hendelser for enhver enhet, og enheter "
                "kan ha et åpent skjema for innbyggere og brukere. Melderen får beskjed ved hver "
                "statusendring."
            ),
        ),
        (
            _("Lukking"),
            _("En sak lukkes av nærmeste leder når alle tiltak er utført og effekten vurdert."),
        ),
        (
            _("Tid til lukking"),
            _("Dager fra saken ble meldt til den ble lukket, for saker lukket i perioden."),
        ),
        (
            _("Tilbakemelding"),
            _(
                "En sak har fått tilbakemelding når leder har startet behandling, kommentert, lagt "
                "til tiltak, videresendt, avvist eller lukket den."
            ),
        ),
        (
            _("Kontrolldiagram"),
            _(
                "Laneys u′-diagram over 24 måneder: senterlinjen er gjennomsnittlig antall "
                "uønskede hendelser per 100 ansatte per måned. Grensene er ± 3 standardavvik, "
                "justert for den variasjonen som faktisk er mellom månedene, slik at en stor "
                "kommune ikke får signal av vanlig variasjon. Bare måneder i den valgte perioden "
                "telles som signaler. Uten kjent antall ansatte brukes antall per måned."
            ),
        ),
    ]
    return out
