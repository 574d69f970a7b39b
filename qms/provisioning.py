"""People and units from the outside: the operations SCIM and the HR import share
(docs/design.md §12).

Units are matched on their HR code (``OrgUnit.external_id``), people on their employee number
(``User.employee_number``), never on a name. Units are closed, never deleted. A person who moves
or leaves hands their open work in the unit they leave to its leader (``qms.handover``).

Memberships the provisioning manages are those of :data:`MANAGED_ROLES`; a committee
membership given by hand is left alone.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from qms import handover
from qms.models import Handover, Membership, OrgUnit, User

Role = Membership.Role
MANAGED_ROLES = (Role.EMPLOYEE, Role.LEADER, Role.DEPUTY, Role.SAFETY_REP)


def unit_by_external_id(external_id: str) -> OrgUnit | None:
    """The unit with this HR code; before its first import, the unit whose own code is it."""
    unit = OrgUnit.objects.filter(external_id=external_id).first()
    if unit is None:
        unit = OrgUnit.objects.filter(external_id__isnull=True, code__iexact=external_id).first()
    return unit


def _free_code(external_id: str) -> str:
    base = slugify(external_id)[:36] or "enhet"
    code, n = base, 1
    while OrgUnit.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def create_unit(external_id: str, name: str, parent: OrgUnit | None, kind: str = "") -> OrgUnit:
    fields = {
        "external_id": external_id,
        "name": name,
        "code": _free_code(external_id),
        "kind": kind or (OrgUnit.Kind.UNIT if parent else OrgUnit.Kind.MUNICIPALITY),
    }
    if parent is None:
        return OrgUnit.objects.add_root(fields)
    parent.refresh_from_db()
    return OrgUnit.objects.add_child(parent, fields)


def update_unit(unit: OrgUnit, *, external_id: str, name: str, kind: str = "") -> None:
    """Link the unit to its HR code, rename it, reopen it if it was closed."""
    unit.external_id = external_id
    unit.name = name
    if kind:
        unit.kind = kind
    unit.is_active = True
    unit.closed_at = None
    unit.save()


def move_unit(unit: OrgUnit, parent: OrgUnit | None) -> None:
    """Put ``unit`` (with its subtree) under ``parent`` (None: make it a top unit)."""
    unit.refresh_from_db()
    if parent is None:
        OrgUnit.objects.move(unit, OrgUnit.objects.get_first_root_node(), pos="sorted-sibling")
    else:
        parent.refresh_from_db()
        OrgUnit.objects.move(unit, parent, pos="sorted-child")
    unit.refresh_from_db()


@transaction.atomic
def close_unit(unit: OrgUnit, *, source: str = "") -> list[Handover]:
    """Close a unit: it stays (history points at it) but is hidden from pickers. Whoever still
    belongs to it hands their open work there to the leader above, and leaves it."""
    unit.refresh_from_db()
    records = []
    parent = OrgUnit.objects.get_parent(unit)
    members = Membership.objects.filter(unit=unit).select_related("user")
    for user in {m.user for m in members}:
        receiver = handover.receiver_for(parent, user) if parent else None
        record = handover.hand_over(
            user, unit, reason=Handover.Reason.UNIT_CLOSED, receiver=receiver, source=source
        )
        if record:
            records.append(record)
    members.delete()
    unit.is_active = False
    unit.closed_at = timezone.now()
    unit.save()
    return records


def managed_memberships(user: User) -> set[tuple[int, str]]:
    """The (unit id, role) pairs of ``user`` the provisioning decides."""
    return set(
        Membership.objects.filter(user=user, role__in=MANAGED_ROLES).values_list("unit_id", "role")
    )


def managed_memberships_of(users: list[User]) -> dict[int, set[tuple[int, str]]]:
    """:func:`managed_memberships` of many users, in one query."""
    result: dict[int, set[tuple[int, str]]] = {u.pk: set() for u in users}
    rows = Membership.objects.filter(user__in=users, role__in=MANAGED_ROLES)
    for user_id, unit_id, role in rows.values_list("user_id", "unit_id", "role"):
        result[user_id].add((unit_id, role))
    return result


def remove_memberships(user: User, pairs: set[tuple[int, str]]) -> None:
    for unit_id, role in pairs:
        Membership.objects.filter(user=user, unit_id=unit_id, role=role).delete()


def add_memberships(user: User, pairs: set[tuple[int, str]]) -> None:
    """Add the memberships; a new leader (or deputy) takes the place of the unit's previous
    one, who keeps their other memberships."""
    for unit_id, role in pairs:
        if role in Membership.LEADERSHIP:
            Membership.objects.filter(unit_id=unit_id, role=role).exclude(user=user).delete()
        Membership.objects.get_or_create(user=user, unit_id=unit_id, role=role)


def hand_over_left_units(
    user: User, before: set[tuple[int, str]], after: set[tuple[int, str]], *, source: str = ""
) -> list[Handover]:
    """After a move: the work in every unit ``user`` no longer belongs to goes to its leader."""
    left = {unit_id for unit_id, _role in before} - {unit_id for unit_id, _role in after}
    if not left:
        return []
    records = []
    for unit in OrgUnit.objects.filter(pk__in=left).order_by("-depth"):
        record = handover.hand_over(user, unit, reason=Handover.Reason.MOVED, source=source)
        if record:
            records.append(record)
    return records


@transaction.atomic
def set_memberships(
    user: User, wanted: set[tuple[int, str]], *, source: str = ""
) -> list[Handover]:
    """Make ``user``'s managed memberships exactly ``wanted`` and hand over the work in the
    units they left. A new leader replaces the unit's previous one (who keeps their other
    memberships)."""
    before = managed_memberships(user)
    remove_memberships(user, before - wanted)
    add_memberships(user, wanted - before)
    return hand_over_left_units(user, before, wanted, source=source)


@transaction.atomic
def deactivate(
    user: User, *, units: list[OrgUnit] | None = None, source: str = ""
) -> list[Handover]:
    """A person who left: their open work goes to the leaders of their units (``units``, by
    default their managed memberships' units), those memberships end and they can no longer
    sign in. The user row stays (history points at it)."""
    if units is None:
        units = [
            m.unit
            for m in Membership.objects.filter(user=user, role__in=MANAGED_ROLES)
            .select_related("unit")
            .order_by("-unit__depth")
        ]
    records = handover.hand_over_all(user, units=units, reason=Handover.Reason.LEFT, source=source)
    remove_memberships(user, managed_memberships(user))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return records
