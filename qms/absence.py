"""A leader's absence and who receives their work meanwhile (docs/design.md §12).

Registering, cancelling and reading absences happens here; where work goes on a given day is
decided by ``qms.organisation.acting_leader`` alone, and what went elsewhere is kept as
``RoutedWork`` rows, read back as the "Mens du var borte" list.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qms import permissions
from qms.models import Absence, Membership, OrgUnit, RoutedWork, User

# An absence is a holiday or a leave, not a resignation: longer ones are a new leader.
MAX_DAYS = 366
# The "Mens du var borte" list shows the absences that ended within this many days.
AWAY_LIST_DAYS = 30


def absent_leaders(user: User) -> QuerySet[User]:
    """The leaders ``user`` may register an absence for: themself when they lead a unit, every
    active leader for a quality advisor or an administrator."""
    actor = permissions.actor_for(user)
    leaders = User.objects.filter(
        is_active=True,
        memberships__role=Membership.Role.LEADER,
        memberships__unit__is_active=True,
    ).distinct()
    if actor.is_admin or actor.is_advisor:
        return leaders.order_by("first_name", "last_name", "username")
    return leaders.filter(pk=user.pk)


def deputy_candidates(leader: User) -> QuerySet[User]:
    """Who may be named to act for ``leader``: an active leader or deputy of one of the units
    ``leader`` leads or of a unit above them — people who already have the leader's rights
    there (docs/design.md §12: "the deputy, who already has the leader's rights")."""
    led = Membership.objects.filter(
        user=leader, role=Membership.Role.LEADER, unit__is_active=True
    ).values_list("unit__path", flat=True)
    above: set[str] = set()
    step = OrgUnit.steplen
    for path in led:
        above.update(path[:i] for i in range(step, len(path) + 1, step))
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=Membership.LEADERSHIP,
            memberships__unit__path__in=sorted(above),
        )
        .exclude(pk=leader.pk)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def register_absence(
    *,
    actor: User,
    leader: User,
    starts: date,
    ends: date,
    deputy: User | None = None,
    note: str = "",
) -> Absence:
    """Register ``leader``'s absence from ``starts`` to ``ends`` (both included). The leader
    registers their own, a quality advisor or an administrator anyone's; the deputy must be one
    of :func:`deputy_candidates`; periods of one leader do not overlap."""
    if not absent_leaders(actor).filter(pk=leader.pk).exists():
        raise PermissionDenied(_("Du kan ikke registrere fravær for denne personen."))
    errors: dict[str, str] = {}
    if ends < starts:
        errors["ends"] = _("Siste dag kan ikke være før første dag.")
    elif (ends - starts).days >= MAX_DAYS:
        errors["ends"] = _("Et fravær kan vare høyst ett år.")
    if ends < timezone.localdate():
        errors.setdefault("ends", _("Fraværet er allerede over."))
    if deputy is not None and not deputy_candidates(leader).filter(pk=deputy.pk).exists():
        errors["deputy"] = _("Stedfortrederen må være leder eller stedfortreder for enheten.")
    if errors:
        raise ValidationError(errors)
    # Lock the leader's row: two registrations at once cannot both pass the overlap check.
    User.objects.select_for_update().filter(pk=leader.pk).first()
    overlap = Absence.objects.filter(user=leader, starts__lte=ends, ends__gte=starts)
    if overlap.exists():
        raise ValidationError({"starts": _("Det er allerede registrert fravær i denne perioden.")})
    absence = Absence(
        user=leader,
        starts=starts,
        ends=ends,
        deputy=deputy,
        note=note.strip(),
        created_by=actor,
    )
    absence.full_clean()
    absence.save()
    return absence


@transaction.atomic
def cancel_absence(*, actor: User, absence: Absence) -> None:
    """Remove an absence that has not begun, or end a running one yesterday (what was routed
    while it ran stays on the list)."""
    if not absent_leaders(actor).filter(pk=absence.user_id).exists():
        raise PermissionDenied(_("Du kan ikke endre dette fraværet."))
    today = timezone.localdate()
    if absence.starts >= today:
        absence.delete()
    elif absence.ends >= today:
        Absence.objects.filter(pk=absence.pk).update(ends=today - timedelta(days=1))


def absences_of(user: User) -> QuerySet[Absence]:
    """``user``'s absences that have not ended yet, soonest first."""
    return (
        Absence.objects.filter(user=user, ends__gte=timezone.localdate())
        .select_related("deputy")
        .order_by("starts")
    )


def managed_absences(user: User) -> QuerySet[Absence]:
    """The current and coming absences ``user`` may change (their own; everyone's for an
    advisor), soonest first."""
    return (
        Absence.objects.filter(
            user__in=absent_leaders(user).values("pk"), ends__gte=timezone.localdate()
        )
        .select_related("user", "deputy")
        .order_by("starts", "user__first_name")
    )


def routed_while_away(user: User, today: date | None = None) -> QuerySet[RoutedWork]:
    """ "Mens du var borte": what went to someone else during ``user``'s absences that are
    running or ended in the last :data:`AWAY_LIST_DAYS` days, newest first."""
    today = today or timezone.localdate()
    since = today - timedelta(days=AWAY_LIST_DAYS)
    return (
        RoutedWork.objects.filter(Q(absence__user=user) & Q(absence__ends__gte=since))
        .select_related("recipient", "unit", "absence")
        .order_by("-created_at")
    )


def away_today(unit: OrgUnit, today: date | None = None) -> QuerySet[Absence]:
    """Absences running today of the leaders of ``unit`` and the units above it (the unit
    page says who acts for them)."""
    today = today or timezone.localdate()
    leaders = Membership.objects.filter(
        role=Membership.Role.LEADER, unit__path__in=unit.ancestor_paths
    ).values("user_id")
    return Absence.objects.filter(
        user__in=leaders, starts__lte=today, ends__gte=today
    ).select_related("user", "deputy")
