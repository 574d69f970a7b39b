"""Named queries of the annual wheel, and the completion figures statistics use.

Statistics (docs/design.md §8) call :func:`completion_figures` / :func:`completion_by` with an
occurrence queryset that has already been through the permission layer
(``Occurrence.objects.restrict(user)``), optionally narrowed with ``.for_unit_subtree(unit)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from qms.permissions import RestrictedQuerySet


class ActivityQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_wheel_of(self, unit):
        """The unit's own activities, its ancestors' and the whole municipality's (inherited)."""
        if unit is None:
            return self.filter(unit__isnull=True)
        return self.filter(Q(unit__isnull=True) | Q(unit__path__in=unit.ancestor_paths))

    def for_unit_subtree(self, unit):
        return self.filter(unit__path__startswith=unit.path)

    def needing_horizon(self, horizon_end: date):
        """Active activities whose occurrences stop before ``horizon_end`` (indexed)."""
        return self.active().filter(
            Q(materialised_until__isnull=True) | Q(materialised_until__lt=horizon_end)
        )


class OccurrenceQuerySet(RestrictedQuerySet):
    def in_period(self, start: date, end: date):
        """Occurrences due from ``start`` to ``end``, both included."""
        return self.filter(due_date__gte=start, due_date__lte=end)

    def in_year(self, year: int):
        return self.in_period(date(year, 1, 1), date(year, 12, 31))

    def for_wheel_of(self, unit):
        if unit is None:
            return self.filter(activity__unit__isnull=True)
        return self.filter(
            Q(activity__unit__isnull=True) | Q(activity__unit__path__in=unit.ancestor_paths)
        )

    def for_unit_subtree(self, unit):
        return self.filter(activity__unit__path__startswith=unit.path)

    def planned(self):
        return self.filter(status="planned")

    def overdue(self, today: date):
        return self.filter(status="planned", due_date__lt=today)

    def reminder_due(self, today: date):
        """Planned occurrences whose reminder date has come and that were not yet reminded."""
        return self.filter(status="planned", reminded_at__isnull=True, remind_on__lte=today)

    def overdue_unflagged(self, today: date):
        return self.filter(status="planned", overdue_flagged_at__isnull=True, due_date__lt=today)


def responsible_candidates(user, activity=None):
    """The people ``user`` may make responsible for an activity: the active members of the units
    in which they may add activities (``qms.permissions.creatable_units``; an advisor's are all
    units), and the activity's current responsible, whom an edit keeps (keeping is not choosing).

    Being responsible lets a person record the activity's occurrences outside their own units
    (``annual_wheel/permissions.py``), so the choice is the editor's own people. The form offers
    exactly these and the services refuse anyone else, so the API cannot choose around it.
    """
    from annual_wheel.models import Activity
    from qms import permissions
    from qms.models import Membership, User

    units = permissions.creatable_units(user, Activity)
    members = Membership.objects.filter(unit__in=units.values("pk")).values("user_id")
    chosen = Q(is_active=True, pk__in=members)
    if activity is not None and activity.responsible_id:
        chosen |= Q(pk=activity.responsible_id)
    return User.objects.filter(chosen)


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


@dataclass(frozen=True)
class Completion:
    """Completion of the occurrences due in a period (docs/design.md §8).

    ``due`` counts occurrences whose date has passed (or is today): only those can be late.
    ``share_on_time`` is done-on-time / due, None when nothing was due.
    """

    total: int
    due: int
    done: int
    done_on_time: int
    not_done: int
    overdue: int

    @property
    def share_on_time(self) -> float | None:
        return self.done_on_time / self.due if self.due else None

    @property
    def percent_on_time(self) -> int | None:
        share = self.share_on_time
        return None if share is None else round(share * 100)


def _aggregates(today: date) -> dict:
    done = Q(status="done")
    return {
        "total": Count("pk"),
        "due": Count("pk", filter=Q(due_date__lte=today)),
        "done": Count("pk", filter=done),
        "done_on_time": Count(
            "pk", filter=done & Q(due_date__lte=today, completed_on__lte=F("due_date"))
        ),
        "not_done": Count("pk", filter=Q(status="not_done")),
        "overdue": Count("pk", filter=Q(status="planned", due_date__lt=today)),
    }


def _with_completed_on(queryset):
    # Dates users see are Europe/Oslo: "on time" compares the local date of the registration.
    return queryset.annotate(
        completed_on=TruncDate("completed_at", tzinfo=timezone.get_current_timezone())
    )


def completion_figures(
    occurrences, start: date, end: date, today: date | None = None
) -> Completion:
    """Completion of ``occurrences`` (already restricted) due from ``start`` to ``end``; one query."""
    today = today or timezone.localdate()
    qs = _with_completed_on(occurrences.in_period(start, end).order_by())
    row = qs.aggregate(**_aggregates(today))
    return Completion(**row)


def completion_by(
    occurrences, start: date, end: date, group, today: date | None = None
) -> dict[object, Completion]:
    """Completion per value of ``group`` (an expression over an occurrence, e.g. the row of a
    by-unit breakdown its activity's unit belongs to, ``Scope.group_of``); one query."""
    today = today or timezone.localdate()
    qs = _with_completed_on(occurrences.in_period(start, end).order_by())
    rows = qs.values(key=group).annotate(**_aggregates(today)).order_by()
    return {row.pop("key"): Completion(**row) for row in rows}


class ChecklistQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_published(self):
        """Checklists that have a published version (the ones a round can be started with)."""
        return self.filter(versions__status="published")


class RoundQuerySet(RestrictedQuerySet):
    def in_progress(self):
        return self.filter(status="in_progress")

    def signed(self):
        return self.filter(status="signed")

    def for_unit_subtree(self, unit):
        return self.filter(unit__path__startswith=unit.path)


class RoundAnswerQuerySet(RestrictedQuerySet):
    pass


class ReviewQuerySet(RestrictedQuerySet):
    def in_progress(self):
        return self.filter(status="in_progress")

    def signed(self):
        return self.filter(status="signed")

    def below(self, unit):
        """Reviews of the units under ``unit`` (not its own): a sector's and the municipality's
        review page lists them."""
        return self.filter(unit__path__startswith=unit.path, unit__depth__gt=unit.depth)


def participant_candidates(unit):
    """Who may take part in a round for ``unit``: those who may be made responsible for an action
    there (the unit's sector and the leaders above it, ``responsible_candidates``) and the quality
    advisors. Forms offer them; the service refuses anyone else."""
    from deviations.querysets import responsible_candidates
    from qms.models import User
    from qms.permissions import ADVISOR_GROUP

    advisors = User.groups.through.objects.filter(group__name=ADVISOR_GROUP).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=responsible_candidates(unit).values("pk")) | Q(pk__in=advisors))
        .order_by("first_name", "last_name", "username")
    )


class AuditProgrammeQuerySet(RestrictedQuerySet):
    pass


class AuditQuerySet(RestrictedQuerySet):
    def in_year(self, year: int):
        return self.filter(programme__year=year)

    def not_reported(self):
        """Planned or in progress."""
        return self.exclude(status="reported")

    def audited_by(self, user):
        """Audits ``user`` leads or takes part in as an auditor (a semi-join: no duplicates)."""
        through = self.model.auditors.through
        return self.filter(
            Q(lead_auditor=user)
            | Q(pk__in=through.objects.filter(user_id=user.pk).values("audit_id"))
        )


class AuditFindingQuerySet(RestrictedQuerySet):
    pass


class CommitteeQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_unit(self, unit):
        """Committees a case of ``unit`` may be referred to: those of the unit and its ancestors."""
        return self.filter(is_active=True, unit__path__in=unit.ancestor_paths)


class MeetingQuerySet(RestrictedQuerySet):
    def upcoming(self, today: date | None = None):
        """Meetings that still take referrals: not yet held, today or later."""
        today = today or timezone.localdate()
        return self.filter(status__in=["planned", "agenda"], date__gte=today)

    def with_seat(self, user, *roles: str):
        """Meetings of committees where ``user`` has a seat (of one of ``roles``, if given)."""
        from annual_wheel.models import CommitteeMember

        seats = CommitteeMember.objects.filter(user_id=user.pk)
        if roles:
            seats = seats.filter(role__in=roles)
        return self.filter(committee__in=seats.values("committee_id"))


class AgendaItemQuerySet(RestrictedQuerySet):
    def referring(self, obj):
        """The agenda items that refer ``obj`` (a case of a registered kind)."""
        from qms import referrals

        kind = referrals.kind_for(obj)
        if kind is None:
            return self.none()
        return self.filter(kind=kind.key, object_id=obj.pk)
