"""SCIM resources: our people and units as SCIM JSON, and SCIM JSON read back into fields."""

from __future__ import annotations

import re

from django.conf import settings

from qms.models import Membership, OrgUnit, User
from qms.provisioning import MANAGED_ROLES

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
CONTENT_TYPE = "application/scim+json"


class ScimError(Exception):
    """A refused request, answered as SCIM error JSON with ``status`` (and ``scim_type``)."""

    def __init__(self, status: int, detail: str, scim_type: str = ""):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    def body(self) -> dict:
        body = {"schemas": [ERROR], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def employee_number_attribute() -> str:
    """Which SCIM attribute carries the employee number: ``externalId`` (default) or the
    enterprise extension's ``employeeNumber`` (setting SCIM_EMPLOYEE_NUMBER_ATTRIBUTE). With
    ``employeeNumber``, ``externalId`` is the provider's stable id, kept in ``User.external_id``
    for single sign-on."""
    return settings.SCIM_EMPLOYEE_NUMBER_ATTRIBUTE


def home_unit(user: User) -> OrgUnit | None:
    """The unit SCIM calls the person's department: the deepest of their managed units."""
    membership = (
        Membership.objects.filter(user=user, role__in=MANAGED_ROLES)
        .select_related("unit")
        .order_by("-unit__depth", "unit__name")
        .first()
    )
    return membership.unit if membership else None


def user_resource(user: User, base: str) -> dict:
    unit = home_unit(user)
    enterprise = {"department": unit.name if unit else ""}
    if user.employee_number:
        enterprise["employeeNumber"] = user.employee_number
    resource = {
        "schemas": [CORE_USER, ENTERPRISE],
        "id": str(user.pk),
        "userName": user.username,
        "name": {
            "givenName": user.first_name,
            "familyName": user.last_name,
            "formatted": user.get_full_name(),
        },
        "displayName": user.get_full_name() or user.username,
        "active": user.is_active,
        "emails": [{"value": user.email, "type": "work", "primary": True}] if user.email else [],
        "title": user.job_title,
        ENTERPRISE: enterprise,
        "meta": {"resourceType": "User", "location": f"{base}/Users/{user.pk}"},
    }
    if employee_number_attribute() == "externalId" and user.employee_number:
        resource["externalId"] = user.employee_number
    elif employee_number_attribute() == "employeeNumber" and user.external_id:
        resource["externalId"] = user.external_id
    return resource


def group_resource(unit: OrgUnit, base: str, members: bool = True) -> dict:
    resource = {
        "schemas": [CORE_GROUP],
        "id": str(unit.pk),
        "displayName": unit.name,
        "meta": {"resourceType": "Group", "location": f"{base}/Groups/{unit.pk}"},
    }
    if unit.external_id:
        resource["externalId"] = unit.external_id
    if members:
        rows = (
            Membership.objects.filter(unit=unit, role__in=MANAGED_ROLES, user__is_active=True)
            .select_related("user")
            .order_by("user_id")
        )
        seen = {m.user_id: m.user for m in rows}
        resource["members"] = [
            {"value": str(pk), "display": str(u), "$ref": f"{base}/Users/{pk}"}
            for pk, u in seen.items()
        ]
    return resource


# --- SCIM JSON to fields ---------------------------------------------------------------------

USER_PATHS = {
    "username": "username",
    "externalid": "externalId",
    "name.givenname": "first_name",
    "name.familyname": "last_name",
    "active": "active",
    "title": "title",
    "emails": "email",
    'emails[type eq "work"].value': "email",
    "emails.value": "email",
    f"{ENTERPRISE.lower()}:department": "department",
    f"{ENTERPRISE.lower()}:employeenumber": "employeeNumber",
}


def as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _email(value) -> str:
    if isinstance(value, list):
        work = [e for e in value if isinstance(e, dict) and e.get("type", "work") == "work"]
        primary = [e for e in value if isinstance(e, dict) and e.get("primary")]
        chosen = (primary or work or value or [{}])[0]
        return str(chosen.get("value", "")) if isinstance(chosen, dict) else ""
    return str(value or "")


def _flatten(body: dict, prefix: str = "") -> dict[str, object]:
    """{"name": {"givenName": "Kari"}, ENTERPRISE: {"department": "X"}} as path -> value."""
    flat = {}
    for key, value in body.items():
        path = f"{prefix}{key}".lower()
        if isinstance(value, dict) and key.lower() in ("name", ENTERPRISE.lower()):
            sep = "." if key.lower() == "name" else ":"
            flat.update(_flatten(value, f"{prefix}{key}{sep}"))
        else:
            flat[path] = value
    return flat


def user_fields(body: dict) -> dict[str, object]:
    """The fields of a SCIM user body (or a PATCH value) that we keep, by our names."""
    fields: dict[str, object] = {}
    for path, value in _flatten(body).items():
        key = USER_PATHS.get(re.sub(r"\s+", " ", path))
        if key == "email":
            value = _email(value)
        elif key == "active":
            value = as_bool(value)
        if key:
            fields[key] = value
    number_from = employee_number_attribute()
    if number_from in fields:
        fields["employee_number"] = str(fields[number_from] or "").strip() or None
    if number_from == "employeeNumber" and "externalId" in fields:
        # The provider's own stable id (Entra ID: the object id, which sign-in brings as
        # ``oid``): single sign-on matches people on it (qms.identity.user_for_claim).
        fields["external_id"] = str(fields["externalId"] or "").strip() or None
    fields.pop("externalId", None)
    fields.pop("employeeNumber", None)
    return fields
