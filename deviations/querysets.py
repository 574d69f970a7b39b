"""Named queries for deviations and corrective actions."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from qms.permissions import RestrictedQuerySet
from qms.querysets import subtree_q


class DeviationQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(state__in=self.model.OPEN_STATES)

    def closed(self):
        return self.filter(state=self.model.State.CLOSED)

    def refresh_first_responses(self) -> int:
        """Set ``first_response_at`` from the history in one UPDATE (after a bulk insert of
        events, which bypasses Event.save()). Like every bulk write, follow it with
        ``deviations.tallies.rebuild()`` (the statistics' "answered" counts)."""
        from django.db.models import Min, OuterRef, Subquery

        from deviations.models import Event

        first = (
            Event.objects.filter(deviation=OuterRef("pk"), kind__in=Event.RESPONSE_KINDS)
            .order_by()
            .values("deviation")
            .annotate(first=Min("at"))
            .values("first")
        )
        return self.update(first_response_at=Subquery(first))

    def for_unit_subtree(self, unit):
        from qms.models import OrgUnit

        return self.filter(unit__in=OrgUnit.objects.filter(subtree_q([unit.path])).values("pk"))

    def reported_by(self, user):
        return self.filter(reporter=user)

    def without_personal_data(self):
        """Cases not marked "contains personal data": the only ones a report for a committee
        may show case by case (docs/design.md §1, §3)."""
        return self.filter(contains_personal_data=False)

    def hms(self):
        """HMS cases (``hms_q``): injuries and near misses, and cases in an HMS category."""
        return self.filter(hms_q())

    def with_overdue_actions(self, today: date):
        from deviations.models import CorrectiveAction

        return self.filter(
            pk__in=CorrectiveAction.objects.overdue(today)
            .filter(deviation__isnull=False)
            .values("deviation_id")
        )


class ActionQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def done(self):
        return self.filter(done_at__isnull=False)

    def overdue(self, today: date):
        return self.filter(done_at__isnull=True, deadline__lt=today)

    def assigned_to(self, user):
        return self.filter(responsible=user)

    def without_personal_data(self):
        """Actions not on a case marked "contains personal data" (risk measures have none)."""
        return self.filter(Q(deviation__isnull=True) | Q(deviation__contains_personal_data=False))

    def escalation_due(self, today: date, policy=None):
        """Open actions with a reminder or escalation step due today (deviations.escalation)."""
        from deviations.escalation import EscalationPolicy

        return self.filter((policy or EscalationPolicy.from_settings()).due_q(today))


def responsible_candidates(unit, deviation=None):
    """The people who may be made responsible for an action in ``unit`` (and, through
    :func:`handler_candidates`, handler of a case): the active members of the unit's sector (of
    the whole unit when it is a sector or the municipality), the leaders above it, and those the
    case is explicitly shared with.

    Being chosen opens the case to that person (docs/design.md §3: the handler and the responsible see
    it), so the choice must not open what the layer keeps closed: a case with personal data is
    hidden from quality advisors unless granted, so an advisor is a candidate for it only through
    a grant or as a leader above the unit. Web forms offer exactly these people and the services
    refuse anyone else, so the API cannot choose around it.
    """
    from django.contrib.auth.models import Group

    from deviations.models import DeviationGroupObjectPermission, DeviationUserObjectPermission
    from qms.models import Membership, OrgUnit, User
    from qms.permissions import ADVISOR_GROUP

    step = OrgUnit.steplen
    prefix = unit.path[: 2 * step] if len(unit.path) > 2 * step else unit.path
    leaders_above = Membership.objects.filter(
        unit__path__in=unit.ancestor_paths, role__in=Membership.LEADERSHIP
    ).values("user_id")
    pool = Q(pk__in=Membership.objects.filter(unit__path__startswith=prefix).values("user_id"))
    pool |= Q(pk__in=leaders_above)
    if deviation is not None:
        codename = "view_deviation"
        granted_groups = DeviationGroupObjectPermission.objects.filter(
            content_object=deviation, permission__codename=codename
        ).values("group_id")
        granted = Q(
            pk__in=DeviationUserObjectPermission.objects.filter(
                content_object=deviation, permission__codename=codename
            ).values("user_id")
        ) | Q(pk__in=User.groups.through.objects.filter(group__in=granted_groups).values("user_id"))
        pool |= granted
        if deviation.contains_personal_data:
            advisors = User.groups.through.objects.filter(
                group__in=Group.objects.filter(name=ADVISOR_GROUP)
            ).values("user_id")
            pool &= ~Q(pk__in=advisors) | Q(pk__in=leaders_above) | granted
    return (
        User.objects.filter(is_active=True)
        .filter(pool)
        .order_by("first_name", "last_name", "username")
        .only("pk", "first_name", "last_name", "username")
    )


def handler_candidates(deviation):
    """The people a case may be handed to: the same as may be made responsible for one of its
    actions (:func:`responsible_candidates`); the handler, too, comes to see the case."""
    return responsible_candidates(deviation.unit, deviation)


class InspectionQuerySet(RestrictedQuerySet):
    def open(self):
        return self.exclude(status=self.model.Status.CLOSED)

    def in_year(self, year: int):
        """The inspections of a year: by the visit, else the opening, else when recorded (the
        same order as ``Inspection.year``)."""
        return self.in_period(date(year, 1, 1), date(year, 12, 31))

    def in_period(self, first: date, last: date):
        """The inspections whose day (the visit, else the opening, else when recorded) is from
        ``first`` to ``last``: a year's, or a tertial's for the report to the council."""
        return self.filter(
            Q(visit_on__range=(first, last))
            | Q(visit_on__isnull=True, opened_on__range=(first, last))
            | Q(
                visit_on__isnull=True, opened_on__isnull=True, created_at__date__range=(first, last)
            )
        )

    def with_finding_counts(self, today: date):
        """Each inspection with its open findings and those of them past the authority's
        deadline (``FindingQuerySet.past_deadline``), as subquery counts."""
        from django.db.models import Count, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        from deviations.models import InspectionFinding

        def count(qs):
            counted = (
                qs.filter(inspection=OuterRef("pk"))
                .order_by()
                .values("inspection")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(counted), 0)

        findings = InspectionFinding.objects
        return self.annotate(
            open_findings=count(findings.open()),
            overdue_findings=count(findings.past_deadline(today)),
        )


class FindingQuerySet(RestrictedQuerySet):
    def open(self):
        """Not yet confirmed closed by the authority."""
        return self.filter(confirmed_closed_at__isnull=True)

    def past_deadline(self, today: date):
        """Open findings whose authority's deadline has passed (statistics, the register)."""
        return self.filter(confirmed_closed_at__isnull=True, deadline__lt=today)

    def deadline_near(self, today: date, policy=None):
        """Findings not yet replied to whose deadline is inside the reminder window or passed:
        the leaders' task on "Min side" (the window of ``FindingDeadlinePolicy``)."""
        from deviations.escalation import FindingDeadlinePolicy

        policy = policy or FindingDeadlinePolicy.from_settings()
        return self.filter(
            confirmed_closed_at__isnull=True,
            replied_at__isnull=True,
            deadline__lte=policy.window_end(today),
        )

    def reminder_due(self, today: date, policy=None):
        """Findings with a deadline reminder step due today (deviations.escalation)."""
        from deviations.escalation import FindingDeadlinePolicy

        return self.filter((policy or FindingDeadlinePolicy.from_settings()).due_q(today))


def hms_q(prefix: str = "") -> Q:
    """What HMS means for a case (docs/design.md §1, §5): an injury or near miss, or a case in
    a category marked HMS. Verneombud see these cases of their units, and the HMS statistics
    count them; nothing else decides it."""
    from deviations.models import Deviation

    return Q(**{f"{prefix}kind": Deviation.Kind.INJURY}) | Q(**{f"{prefix}category__is_hms": True})
