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
        events, which bypasses Event.save())."""
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
        may show case by case (DESIGN.md §1, §3)."""
        return self.filter(contains_personal_data=False)

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

    def escalation_due(self, today: date, days: int):
        """Open actions with a reminder or escalation step due (matches the partial index).

        Step 0 is due the day after the deadline, step 1 ``days`` later, step 2 ``days`` after
        that. Actions that have had all steps are not read at all.
        """
        from datetime import timedelta

        return self.filter(done_at__isnull=True, escalation_step__lt=3).filter(
            Q(escalation_step=0, deadline__lt=today)
            | Q(escalation_step=1, deadline__lte=today - timedelta(days=days + 1))
            | Q(escalation_step=2, deadline__lte=today - timedelta(days=2 * days + 1))
        )
