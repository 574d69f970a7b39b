"""Questions about the organisation that every module asks.

All answers are single queries against the materialised path; nothing walks the tree in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from qms.models import Absence, Membership, OrgUnit, RoutedWork, User


@dataclass(frozen=True)
class Leader:
    user: User
    unit: OrgUnit  # the unit whose leader this is (the unit itself or the ancestor that has one)
    # When the work reaches ``user`` because the leader was away: that leader's absence.
    instead_of: Absence | None = None


def leader_chain(unit: OrgUnit) -> list[Leader]:
    """Leaders from ``unit`` upwards: the unit's own leader first, then each ancestor's.

    Units without a leader are skipped. One query.
    """
    rows = (
        Membership.objects.filter(
            role=Membership.Role.LEADER,
            unit__path__in=unit.ancestor_paths,
            user__is_active=True,
        )
        .select_related("user", "unit")
        .order_by("-unit__depth")
    )
    return [Leader(user=m.user, unit=m.unit) for m in rows]


def nearest_leader(unit: OrgUnit) -> Leader | None:
    """The leader of ``unit``; if it has none, the leader of the closest ancestor that has one.

    docs/design.md §2: a deviation goes to the nearest leader of the unit where it happened.
    """
    chain = leader_chain(unit)
    return chain[0] if chain else None


def absences_on(users: list[User], on: date) -> dict[int, Absence]:
    """The absence covering ``on`` of each of ``users`` who is away that day (one query)."""
    rows = Absence.objects.filter(
        user__in=[u.pk for u in users], starts__lte=on, ends__gte=on
    ).select_related("deputy", "user")
    return {a.user_id: a for a in rows}


def acting_chain(unit: OrgUnit, on: date | None = None) -> list[Leader]:
    """:func:`leader_chain` as it stands on ``on`` (today): a leader who is away is replaced by
    who acts for them — the deputy named on the absence, else the unit's standing deputy, when
    that person is active and not away too — or, with nobody, left out, so the next leader up
    comes first. A replacement carries the absence (``instead_of``), and so does the leader
    above who receives the work because nobody could act. Three queries.

    docs/design.md §12: a leader's absence routes new work to the deputy or the next leader up.
    """
    on = on or timezone.localdate()
    chain = leader_chain(unit)
    if not chain:
        return []
    deputies = {
        m.unit_id: m.user
        for m in Membership.objects.filter(
            role=Membership.Role.DEPUTY,
            unit__in=[leader.unit.pk for leader in chain],
            user__is_active=True,
        ).select_related("user")
    }
    away = absences_on([leader.user for leader in chain], on)
    named = [a.deputy for a in away.values() if a.deputy is not None and a.deputy.is_active]
    if named or deputies:
        away |= absences_on([*named, *deputies.values()], on)
    acting: list[Leader] = []
    pending: Absence | None = None  # an absence whose work nobody took over yet
    for leader in chain:
        absence = away.get(leader.user.pk)
        if absence is None:
            acting.append(Leader(leader.user, leader.unit, pending))
            pending = None
            continue
        options = [absence.deputy, deputies.get(leader.unit.pk)]
        substitute = next(
            (u for u in options if u is not None and u.is_active and u.pk not in away), None
        )
        if substitute is not None:
            acting.append(Leader(substitute, leader.unit, pending or absence))
            pending = None
        elif pending is None:
            pending = absence
    return acting


def acting_leader(unit: OrgUnit, on: date | None = None) -> Leader | None:
    """Who receives a unit's leader work on ``on`` (today): its nearest leader, or who acts for
    them while they are away (:func:`acting_chain`). Every new case, approval request, reminder
    and escalation that goes to "the leader" is routed through this function."""
    chain = acting_chain(unit, on)
    return chain[0] if chain else None


def acting_leaders(on: date) -> Callable[[OrgUnit], Leader | None]:
    """:func:`acting_leader` on ``on``, looked up once per unit: for a sweep that routes many
    items of the same units."""
    leaders: dict[int, Leader | None] = {}

    def leader_of(unit: OrgUnit) -> Leader | None:
        if unit.pk not in leaders:
            leaders[unit.pk] = acting_leader(unit, on)
        return leaders[unit.pk]

    return leader_of


def note_routed(leader: Leader | None, subject: str, url: str = "") -> None:
    """Record, for the leader who was away, that ``subject`` went to ``leader.user`` instead
    (the "Mens du var borte" list). Nothing when the work reached the leader themself."""
    routed = routed_work(leader, subject, url)
    if routed is not None:
        routed.save()


def routed_work(leader: Leader | None, subject: str, url: str = "") -> RoutedWork | None:
    """The unsaved row :func:`note_routed` records, or None; a sweep saves a batch's at once."""
    if leader is None or leader.instead_of is None:
        return None
    return RoutedWork(
        absence=leader.instead_of,
        recipient=leader.user,
        unit=leader.unit,
        subject=subject[:200],
        url=url[:500],
    )


def units_of(user: User) -> QuerySet[OrgUnit]:
    """The units the user belongs to, in any role."""
    return OrgUnit.objects.filter(memberships__user=user).distinct().order_by("path")


def nearest_common_ancestor(units: list[OrgUnit]) -> OrgUnit | None:
    """The deepest unit that is an ancestor of (or equal to) every unit given.

    A document whose scope spans several units is approved one level up, by the leader of their
    nearest common ancestor (docs/design.md §4). Derived from the paths; one query.
    """
    if not units:
        return None
    common = units[0].path
    for unit in units[1:]:
        i = 0
        while i < min(len(common), len(unit.path)) and common[i] == unit.path[i]:
            i += 1
        common = common[:i]
    step = OrgUnit.steplen
    common = common[: len(common) - len(common) % step]
    if not common:
        return None
    return OrgUnit.objects.get(path=common)
