"""Named queries for risk assessments and their items, and the risk profile for statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Substr

from qms.dates import DueStatus, one_month_after
from qms.permissions import RestrictedQuerySet

ROOT_PATH_LENGTH = 4  # treebeard's steplen: the municipality is the first step of every path


def threshold_subquery(unit_path_ref: str = "unit__path"):
    """The action threshold of the municipality an object's unit belongs to (or the default)."""
    from risk.models import DEFAULT_THRESHOLD, RiskMatrix

    return Coalesce(
        Subquery(
            RiskMatrix.objects.filter(
                municipality__path=Substr(OuterRef(unit_path_ref), 1, ROOT_PATH_LENGTH)
            ).values("action_threshold")[:1],
            output_field=IntegerField(),
        ),
        Value(DEFAULT_THRESHOLD),
    )


# The review rule, decided here and nowhere else, with the documents' revision rule's words and
# the project's one month (qms/dates.py): as of ``today`` an active assessment is overdue when its
# next review lies before today; due soon from one month before up to and including that date;
# current otherwise or without a date.
CURRENT, DUE_SOON, OVERDUE = DueStatus.CURRENT, DueStatus.DUE_SOON, DueStatus.OVERDUE


def review_status(assessment, today: date) -> str | None:
    """The review state of one active assessment (None when not active)."""
    if assessment.status != "active":
        return None
    if assessment.next_review is None or assessment.next_review > one_month_after(today):
        return CURRENT
    return OVERDUE if assessment.next_review < today else DUE_SOON


class RiskAssessmentQuerySet(RestrictedQuerySet):
    def for_unit_subtree(self, unit):
        return self.filter(unit__path__startswith=unit.path)

    def active(self):
        return self.filter(status="active")

    def review_due_soon(self, today: date):
        return self.active().filter(next_review__gte=today, next_review__lte=one_month_after(today))

    def review_overdue(self, today: date):
        return self.active().filter(next_review__lt=today)

    def review_due(self, today: date):
        """Due soon or overdue: the review should be under way (reminders, "Mine oppgaver")."""
        return self.active().filter(next_review__lte=one_month_after(today))

    def with_counts(self):
        """Item count, items at/above the threshold, and those still lacking a measure.

        Subquery counts, so a list page stays one query whatever its length.
        """
        from risk.models import RiskItem

        items = RiskItem.objects.filter(assessment=OuterRef("pk"))
        high = items.at_or_above(OuterRef("threshold"))
        return self.annotate(
            threshold=threshold_subquery(),
            item_count=_count(items),
            high_count=_count(high),
            untreated_count=_count(high.without_measures()),
        )


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by().values("assessment").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


class RiskItemQuerySet(RestrictedQuerySet):
    def with_threshold(self, threshold=None):
        """The action threshold rule in SQL, written once (docs/design.md §6: a score at or above the
        threshold requires measures); :meth:`risk.matrix.Matrix.requires_measures` is the same
        rule for one score in Python.

        Annotates ``threshold`` (``threshold`` when given — an int for one municipality, or an
        outer reference — else each item's municipality's), ``above_threshold`` (the inherent
        score) and ``residual_above_threshold`` (the residual score; False when not assessed).
        """
        if threshold is None:
            threshold = threshold_subquery("assessment__unit__path")
        elif isinstance(threshold, int):
            threshold = Value(threshold)
        return self.annotate(
            threshold=threshold,
            above_threshold=ExpressionWrapper(
                Q(score__gte=F("threshold")), output_field=BooleanField()
            ),
            residual_above_threshold=ExpressionWrapper(
                Q(residual_score__isnull=False, residual_score__gte=F("threshold")),
                output_field=BooleanField(),
            ),
        )

    def at_or_above(self, threshold=None):
        return self.with_threshold(threshold).filter(above_threshold=True)

    def without_measures(self):
        from risk.models import RiskMeasure

        return self.filter(~Exists(RiskMeasure.objects.filter(item=OuterRef("pk"))))

    def with_flags(self, threshold=None):
        """:meth:`with_threshold` and the two flags an item can carry, written once: the
        assessment page shows them, :func:`risk.services.activation_problems` refuses on them.

        ``untreated``: at or above the threshold without any measure. ``residual_unaccepted``:
        residual risk at or above the threshold that no leader has formally accepted.
        """
        from risk.models import RiskMeasure

        measured = Exists(RiskMeasure.objects.filter(item=OuterRef("pk")))
        return self.with_threshold(threshold).annotate(
            untreated=ExpressionWrapper(
                Q(above_threshold=True) & ~measured, output_field=BooleanField()
            ),
            residual_unaccepted=ExpressionWrapper(
                Q(residual_above_threshold=True, accepted_by__isnull=True),
                output_field=BooleanField(),
            ),
        )

    def untreated(self, threshold=None):
        """Items flagged ``untreated`` (:meth:`with_flags`): they block activation."""
        return self.with_flags(threshold).filter(untreated=True)

    def residual_unaccepted(self, threshold=None):
        """Items flagged ``residual_unaccepted`` (:meth:`with_flags`): they block activation."""
        return self.with_flags(threshold).filter(residual_unaccepted=True)


@dataclass
class RiskProfile:
    """Counts per matrix cell, inherent and residual (docs/design.md §8 "risk profile").

    ``inherent[(probability, consequence)]`` and ``residual[...]`` are item counts;
    ``no_residual`` counts items whose residual risk is not yet assessed.
    """

    inherent: Counter = field(default_factory=Counter)
    residual: Counter = field(default_factory=Counter)
    no_residual: int = 0

    @property
    def total(self) -> int:
        return sum(self.inherent.values())


def risk_profile(items) -> RiskProfile:
    """The risk profile of ``items`` (a RiskItem queryset, already restricted by the caller).

    Two grouped queries whatever the number of items. Statistics pass
    ``RiskItem.objects.restrict(user).filter(assessment__unit__path__startswith=...)``.
    """
    profile = RiskProfile()
    rows = items.order_by().values("probability", "consequence").annotate(n=Count("pk"))
    for row in rows:
        profile.inherent[(row["probability"], row["consequence"])] = row["n"]
    rows = (
        items.order_by()
        .values("residual_probability", "residual_consequence")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        key = (row["residual_probability"], row["residual_consequence"])
        if key[0] is None:
            profile.no_residual += row["n"]
        else:
            profile.residual[key] = row["n"]
    return profile


def active_filter() -> Q:
    return Q(assessment__status="active")
