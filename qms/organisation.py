"""Questions about the organisation that every module asks.

All answers are single queries against the materialised path; nothing walks the tree in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from qms.models import Membership, OrgUnit, User


@dataclass(frozen=True)
class Leader:
    user: User
    unit: OrgUnit  # the unit whose leader this is (the unit itself or the ancestor that has one)


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
