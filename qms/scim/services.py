"""What a SCIM request does to people and units, through ``qms.provisioning``.

A change of department (or leaving a group) moves the person: their open work in the unit they
leave is handed to its leader. ``active: false`` and DELETE deactivate (people are never
deleted); deleting a group closes the unit (units are never deleted).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q

from qms import provisioning
from qms.models import Membership, OrgUnit, User
from qms.scim.schema import ScimError, employee_number_attribute, user_fields

SOURCE = "scim"
FILTER = re.compile(r'^\s*([\w.:\[\]" -]+?)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)
USER_FILTERS = {
    "username": "username__iexact",
    "externalid": "employee_number",
    "id": "pk",
    "emails.value": "email__iexact",
    'emails[type eq "work"].value': "email__iexact",
}


def user_filters() -> dict[str, str]:
    """The user filters; ``externalId`` is the employee number or the provider's stable id
    (``schema.employee_number_attribute``)."""
    if employee_number_attribute() == "employeeNumber":
        return {**USER_FILTERS, "externalid": "external_id"}
    return USER_FILTERS


GROUP_FILTERS = {"displayname": "name", "externalid": "external_id", "id": "pk"}


def parse_filter(text: str, lookups: dict[str, str]) -> Q:
    """``attr eq "value"`` clauses joined by ``and`` (what Entra ID sends) as a Q."""
    q = Q()
    for clause in re.split(r"\s+and\s+", text, flags=re.IGNORECASE):
        match = FILTER.match(clause)
        lookup = lookups.get(match.group(1).strip().lower()) if match else None
        if lookup is None:
            raise ScimError(400, f"Unsupported filter: {text}", "invalidFilter")
        value = match.group(2).replace('\\"', '"')
        if lookup == "pk" and not value.isdigit():
            return Q(pk__in=[])
        q &= Q(**{lookup: value})
    return q


def unit_for_department(name: str) -> OrgUnit:
    """The unit a department names: by HR code, by code, else by the one active unit so named."""
    unit = provisioning.unit_by_external_id(name)
    if unit is None or not unit.is_active:
        named = list(OrgUnit.objects.filter(is_active=True, name__iexact=name)[:2])
        unit = named[0] if len(named) == 1 else None
    if unit is None:
        raise ScimError(400, f"No open unit matches the department {name!r}", "invalidValue")
    return unit


def _check_unique(user: User | None, fields: dict) -> None:
    others = User.objects.exclude(pk=user.pk) if user else User.objects.all()
    if "username" in fields and others.filter(username__iexact=fields["username"]).exists():
        raise ScimError(409, "userName is already in use", "uniqueness")
    number = fields.get("employee_number")
    if number and others.filter(employee_number=number).exists():
        raise ScimError(409, "The employee number is already in use", "uniqueness")
    external = fields.get("external_id")
    if external and others.filter(external_id=external).exists():
        raise ScimError(409, "externalId is already in use", "uniqueness")


def move_to(user: User, unit: OrgUnit) -> None:
    """Make ``unit`` the person's unit: a new unit replaces all their others (work handed over)."""
    if unit.pk in {unit_id for unit_id, _role in provisioning.managed_memberships(user)}:
        return
    provisioning.set_memberships(user, {(unit.pk, Membership.Role.EMPLOYEE)}, source=SOURCE)


FIELD_NAMES = {"first_name": 150, "last_name": 150, "email": 254, "title": 150}


@transaction.atomic
def save_user(user: User | None, fields: dict) -> User:
    """Create (``user`` None) or change a person from SCIM fields; only given fields change."""
    if user is None and not fields.get("username"):
        raise ScimError(400, "userName is required", "invalidValue")
    _check_unique(user, fields)
    unit = unit_for_department(fields["department"]) if fields.get("department") else None
    if user is None:
        user = User(username=fields["username"])
        user.set_unusable_password()
    if fields.get("username"):
        user.username = str(fields["username"])[:150]
    if "employee_number" in fields:
        user.employee_number = fields["employee_number"]
    if "external_id" in fields:
        user.external_id = fields["external_id"]
    for name, size in FIELD_NAMES.items():
        if name in fields:
            setattr(user, "job_title" if name == "title" else name, str(fields[name] or "")[:size])
    leaving = fields.get("active") is False and user.is_active and user.pk
    if "active" in fields:
        user.is_active = bool(fields["active"])
    user.save()
    if leaving:
        provisioning.deactivate(user, source=SOURCE)
    elif unit is not None and user.is_active:
        move_to(user, unit)
    return user


def patch_fields(operations: list, resource: str) -> list[tuple[str, str, object]]:
    """PATCH operations as (op, path, value); a path-less op's value object is split up."""
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "Operations must be a non-empty list", "invalidSyntax")
    result = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"Unknown op {op!r}", "invalidSyntax")
        path, value = operation.get("path"), operation.get("value")
        if path is None and not isinstance(value, dict):
            raise ScimError(
                400, f"A {resource} PATCH without path needs an object value", "noTarget"
            )
        if path is None:
            result += [(op, key, v) for key, v in value.items()]
        else:
            result.append((op, str(path), value))
    return result


def patch_user(user: User, operations: list) -> User:
    fields: dict[str, object] = {}
    for op, path, value in patch_fields(operations, "User"):
        changed = user_fields({path: "" if op == "remove" else value})
        fields.update(changed)
    return save_user(user, fields)


def deactivate_user(user: User) -> None:
    with transaction.atomic():
        provisioning.deactivate(user, source=SOURCE)


# --- Groups (units) --------------------------------------------------------------------------


def _member_ids(value) -> set[int]:
    values = value if isinstance(value, list) else [value]
    ids = set()
    for member in values:
        raw = member.get("value") if isinstance(member, dict) else member
        if not str(raw).isdigit():
            raise ScimError(400, f"Unknown member {raw!r}", "invalidValue")
        ids.add(int(raw))
    found = set(User.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise ScimError(400, "Unknown member", "invalidValue")
    return ids


def _current_members(unit: OrgUnit) -> set[int]:
    rows = Membership.objects.filter(unit=unit, role__in=provisioning.MANAGED_ROLES)
    return set(rows.values_list("user_id", flat=True))


def set_members(unit: OrgUnit, add: set[int] = frozenset(), remove: set[int] = frozenset()) -> None:
    """Add people to a unit (as employees) and take people out of it (their open work there
    goes to the unit's leader)."""
    for user in User.objects.filter(pk__in=add - _current_members(unit)):
        provisioning.add_memberships(user, {(unit.pk, Membership.Role.EMPLOYEE)})
    for user in User.objects.filter(pk__in=remove & _current_members(unit)):
        before = provisioning.managed_memberships(user)
        after = {pair for pair in before if pair[0] != unit.pk}
        provisioning.remove_memberships(user, before - after)
        provisioning.hand_over_left_units(user, before, after, source=SOURCE)


MEMBER_PATH = re.compile(r'^members\[value eq "(\d+)"\]$', re.IGNORECASE)


def _save_group_fields(unit: OrgUnit, fields: dict) -> None:
    if "displayName" in fields:
        name = str(fields["displayName"] or "").strip()
        if not name:
            raise ScimError(400, "displayName is required", "invalidValue")
        unit.name = name[:200]
    if "externalId" in fields:
        external = str(fields["externalId"] or "").strip() or None
        if external and OrgUnit.objects.exclude(pk=unit.pk).filter(external_id=external).exists():
            raise ScimError(409, "externalId is already in use", "uniqueness")
        unit.external_id = external
    unit.save()


@transaction.atomic
def create_group(body: dict) -> OrgUnit:
    name = str(body.get("displayName") or "").strip()
    external = str(body.get("externalId") or "").strip() or None
    if not name:
        raise ScimError(400, "displayName is required", "invalidValue")
    if external and OrgUnit.objects.filter(external_id=external).exists():
        raise ScimError(409, "externalId is already in use", "uniqueness")
    root = OrgUnit.objects.get_first_root_node()
    unit = provisioning.create_unit(external or name, name, root)
    unit.external_id = external
    unit.save()
    if body.get("members"):
        set_members(unit, add=_member_ids(body["members"]))
    return unit


@transaction.atomic
def replace_group(unit: OrgUnit, body: dict) -> OrgUnit:
    _save_group_fields(unit, {k: body.get(k) for k in ("displayName", "externalId") if k in body})
    wanted = _member_ids(body.get("members") or [])
    current = _current_members(unit)
    set_members(unit, add=wanted - current, remove=current - wanted)
    return unit


@transaction.atomic
def patch_group(unit: OrgUnit, operations: list) -> OrgUnit:
    for op, path, value in patch_fields(operations, "Group"):
        key = path.lower()
        member = MEMBER_PATH.match(path)
        if member and op == "remove":
            set_members(unit, remove={int(member.group(1))})
        elif key == "members" and op == "add":
            set_members(unit, add=_member_ids(value))
        elif key == "members" and op == "remove":
            ids = _member_ids(value) if value else _current_members(unit)
            set_members(unit, remove=ids)
        elif key == "members":  # replace
            wanted, current = _member_ids(value or []), _current_members(unit)
            set_members(unit, add=wanted - current, remove=current - wanted)
        elif key in ("displayname", "externalid"):
            field = "displayName" if key == "displayname" else "externalId"
            _save_group_fields(unit, {field: None if op == "remove" else value})
        else:
            raise ScimError(400, f"Unsupported path {path!r}", "invalidPath")
    return unit


def close_group(unit: OrgUnit) -> None:
    if unit.is_active:
        provisioning.close_unit(unit, source=SOURCE)
