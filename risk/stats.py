"""Risk profile: items per matrix cell, inherent against residual, and what needs a measure.

The profile is the current state of the active risk assessments (ROS) owned by the subtree's
units; it does not depend on the period.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.reports import charts as ch
from qms.reports.stats import Block, Figure, Section, limited, register
from qms.reports.tables import Table
from risk.matrix import matrix_for
from risk.models import RiskAssessment, RiskItem, RiskMeasure
from risk.querysets import risk_profile


def _matrix_table(key, title, cells, size) -> Table:
    table = Table(
        key=key,
        title=title,
        columns=[_("Sannsynlighet"), *[_("K%(n)s") % {"n": c} for c in range(1, size + 1)]],
    )
    for p in range(size, 0, -1):
        table.add(f"S{p}", *[cells.get((p, c), 0) for c in range(1, size + 1)])
    return table


@register("risk", order=40)
def section(scope, period, *, charts: bool = True, report: bool = False) -> Section:
    """Risk profile: items per matrix cell, inherent and residual; high risks without measure."""
    today = timezone.localdate()
    matrix = matrix_for(scope.unit)
    threshold = matrix.action_threshold
    assessments = RiskAssessment.objects.filter(
        unit__in=scope.unit_ids(), status=RiskAssessment.Status.ACTIVE
    )
    items = RiskItem.objects.filter(assessment__in=assessments)
    has_measure = Exists(RiskMeasure.objects.filter(item=OuterRef("pk")))
    profile = risk_profile(items)
    high_q, residual_q = Q(above_threshold=True), Q(residual_above_threshold=True)
    counts = (
        items.with_threshold(threshold)  # risk/querysets.py: the threshold rule
        .annotate(measured=has_measure)
        .aggregate(
            total=Count("pk"),
            high=Count("pk", filter=high_q),
            high_without=Count("pk", filter=high_q & Q(measured=False)),
            residual_high=Count("pk", filter=residual_q),
            residual_unaccepted=Count("pk", filter=residual_q & Q(accepted_by__isnull=True)),
        )
    )
    review_overdue = assessments.review_overdue(today).count()
    result = _section(threshold, assessments.count(), counts, review_overdue)
    size = matrix.size
    axis = {"x": _("Konsekvens"), "y": _("Sannsynlighet")}
    inherent = _matrix_table(
        "risk_matrix_inherent", _("Risikomatrise før tiltak"), profile.inherent, size
    )
    residual = _matrix_table(
        "risk_matrix_residual", _("Risikomatrise etter tiltak (restrisiko)"), profile.residual, size
    )
    residual.note = _("Ikke vurdert etter tiltak: %(n)s.") % {"n": profile.no_residual}
    for table, cells in ((inherent, profile.inherent), (residual, profile.residual)):
        chart = (
            ch.heat_grid(table.title, size, dict(cells), matrix.requires_measures, axis)
            if charts
            else None
        )
        result.blocks.append(Block(table, chart))
    result.blocks.append(unit_block(scope, items, has_measure, threshold, charts))
    if report:
        result.lists.append(high_list(items, threshold))
    return result


def _section(threshold: int, assessments: int, counts: dict, review_overdue: int) -> Section:
    return Section(
        key="risk",
        title=_("Risiko (ROS-analyser)"),
        intro=_(
            "Gjeldende ROS-analyser for enhetene i utvalget, per i dag. Tiltaksgrensen er "
            "%(threshold)s: risikoforhold med score på eller over grensen krever tiltak."
        )
        % {"threshold": threshold},
        figures=[
            Figure(_("Gjeldende ROS-analyser"), assessments),
            Figure(_("Risikoforhold"), counts["total"]),
            Figure(_("Over tiltaksgrensen"), counts["high"]),
            Figure(_("Over tiltaksgrensen uten tiltak"), counts["high_without"]),
            Figure(_("Restrisiko over grensen"), counts["residual_high"]),
            Figure(_("Restrisiko over grensen, ikke akseptert"), counts["residual_unaccepted"]),
            Figure(_("Analyser over dato for gjennomgang"), review_overdue),
        ],
        definitions=[
            (
                _("Risiko og restrisiko"),
                _(
                    "Risiko = sannsynlighet × konsekvens, der den verste av konsekvenstypene "
                    "(liv og helse, miljø og materielle verdier, økonomi, omdømme) teller. "
                    "Restrisiko er vurdert etter at tiltakene er gjennomført."
                ),
            )
        ],
    )


def unit_block(scope, items, has_measure, threshold: int, charts: bool) -> Block:
    """Risk items per child group of the scope: above the threshold, without measure."""
    high_q, residual_q = Q(above_threshold=True), Q(residual_above_threshold=True)
    by_group = {
        r["prefix"]: r
        for r in items.with_threshold(threshold)
        .annotate(prefix=scope.group_of("assessment__unit__path"), measured=has_measure)
        .values("prefix")
        .annotate(
            n=Count("pk"),
            high=Count("pk", filter=high_q),
            without=Count("pk", filter=high_q & Q(measured=False)),
            residual=Count("pk", filter=residual_q),
        )
        .order_by()
    }
    groups = scope.groups()
    by_unit = Table(
        key="risk_by_unit",
        title=_("Risikoforhold per enhet"),
        columns=[
            _("Enhet"),
            _("Risikoforhold"),
            _("Over tiltaksgrensen"),
            _("Over grensen uten tiltak"),
            _("Restrisiko over grensen"),
        ],
    )
    for prefix, name in groups:
        row = by_group.get(prefix)
        if row:
            by_unit.add(name, row["n"], row["high"], row["without"], row["residual"])
    return Block(
        by_unit,
        ch.bar(
            by_unit.title,
            by_unit.labels(),
            [
                (_("Over tiltaksgrensen"), by_unit.column(2)),
                (_("Restrisiko over grensen"), by_unit.column(4)),
            ],
            horizontal=True,
        )
        if charts and by_unit.rows
        else None,
    )


def high_list(items, threshold: int) -> Table:
    high = Table(
        key="risk_high",
        title=_("Høy risiko (på eller over tiltaksgrensen)"),
        columns=[
            _("Analyse"),
            _("Enhet"),
            _("Uønsket hendelse"),
            _("Risiko"),
            _("Restrisiko"),
            _("Tiltak"),
        ],
    )
    for title, unit, number, hazard, score, residual_score, measures in limited(
        high,
        items.at_or_above(threshold)
        .annotate(measures_n=Count("measures"))
        .order_by("-score", "assessment_id", "number")
        .values_list(
            "assessment__title",
            "assessment__unit__name",
            "number",
            "hazard",
            "score",
            "residual_score",
            "measures_n",
        ),
    ):
        high.add(title, unit, f"{number}. {hazard}", score, residual_score, measures)
    return high
