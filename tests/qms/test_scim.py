"""SCIM 2.0 provisioning (docs/design.md §12) as Entra ID's provisioning service calls it."""

from __future__ import annotations

import json

import pytest

from qms import tokens
from qms.models import Handover, Membership, Notification, OrgUnit, User
from qms.scim.schema import ENTERPRISE, ERROR
from tests.deviations.conftest import add_action, report

CT = "application/scim+json"


@pytest.fixture
def scim(client, org):
    _token, key = tokens.issue_provisioning_token("Entra ID")

    def call(method, path, body=None, key=key):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
        data = json.dumps(body) if body is not None else None
        response = getattr(client, method)(
            f"/scim/v2/{path}", data=data, content_type=CT, **headers
        )
        return response, (response.json() if response.content else None)

    return call


def _new_user(unit_name="Enhet A1"):
    return {
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            ENTERPRISE,
        ],
        "userName": "kari.nordmann@kommune.no",
        "externalId": "40123",
        "active": True,
        "name": {"givenName": "Kari", "familyName": "Nordmann"},
        "emails": [{"primary": True, "type": "work", "value": "kari.nordmann@kommune.no"}],
        "title": "Sykepleier",
        ENTERPRISE: {"department": unit_name},
    }


def test_provision_move_and_hand_over_open_actions(scim, org):
    response, body = scim("post", "Users", _new_user())
    assert response.status_code == 201, body
    assert response["Content-Type"] == CT
    kari = User.objects.get(pk=body["id"])
    assert kari.employee_number == "40123" and kari.email == "kari.nordmann@kommune.no"
    assert not kari.has_usable_password()
    assert list(kari.memberships.values_list("unit", "role")) == [(org.unit_a1.pk, "employee")]
    case = report(org)
    action = add_action(org, case, responsible=kari)

    # A second call moves her to B1, the way Entra ID sends a changed department.
    response, body = scim(
        "patch",
        f"Users/{kari.pk}",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [
                {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Enhet B1"}
            ],
        },
    )

    assert response.status_code == 200, body
    assert body[ENTERPRISE]["department"] == "Enhet B1"
    assert list(kari.memberships.values_list("unit", "role")) == [(org.unit_b1.pk, "employee")]
    action.refresh_from_db()
    assert action.responsible == org.leader_a1  # the old unit's leader
    note = Notification.objects.get(recipient=org.leader_a1, kind="qms.handover")
    assert "Kari Nordmann" in note.subject and "Gå gjennom rutinen" in note.body
    assert Handover.objects.get(from_user=kari).reason == "moved"


def test_filter_by_user_name_and_external_id(scim, org):
    scim("post", "Users", _new_user())

    _r, found = scim("get", 'Users?filter=userName eq "Kari.Nordmann@kommune.no"')
    _r, by_number = scim("get", 'Users?filter=externalId eq "40123"')
    _r, none = scim("get", 'Users?filter=userName eq "ingen@kommune.no"')

    assert found["totalResults"] == 1 and found["Resources"][0]["externalId"] == "40123"
    assert by_number["Resources"][0]["userName"] == "kari.nordmann@kommune.no"
    assert none["totalResults"] == 0 and none["Resources"] == []
    response, error = scim("get", 'Users?filter=title co "x"')
    assert response.status_code == 400
    assert error["schemas"] == [ERROR] and error["scimType"] == "invalidFilter"


def test_patch_replace_without_path_and_deactivate(scim, org):
    _r, body = scim("post", "Users", _new_user())
    kari = User.objects.get(pk=body["id"])
    action = add_action(org, report(org), responsible=kari)

    scim(
        "patch",
        f"Users/{kari.pk}",
        {
            "Operations": [
                {"op": "replace", "value": {"name.familyName": "Hansen", "title": "Leder"}}
            ]
        },
    )
    response, body = scim(
        "patch",
        f"Users/{kari.pk}",
        {"Operations": [{"op": "Replace", "path": "active", "value": "False"}]},
    )

    kari.refresh_from_db()
    assert (kari.last_name, kari.job_title) == ("Hansen", "Leder")
    assert response.status_code == 200 and body["active"] is False
    assert not kari.is_active and not kari.memberships.exists()
    action.refresh_from_db()
    assert action.responsible == org.leader_a1
    assert Handover.objects.get(from_user=kari).reason == "left"


def test_delete_user_deactivates_and_keeps_the_row(scim, org):
    response, _body = scim("delete", f"Users/{org.employee_a1.pk}")

    assert response.status_code == 204
    assert not User.objects.get(pk=org.employee_a1.pk).is_active


def test_groups_are_units(scim, org):
    response, group = scim(
        "post", "Groups", {"displayName": "Legevakt", "externalId": "4410", "members": []}
    )
    assert response.status_code == 201, group
    unit = OrgUnit.objects.get(external_id="4410")
    _r, found = scim("get", 'Groups?filter=displayName eq "Legevakt"&excludedAttributes=members')
    assert found["Resources"] == [{k: v for k, v in group.items() if k != "members"}]

    response, group = scim(
        "patch",
        f"Groups/{unit.pk}",
        {
            "Operations": [
                {"op": "Add", "path": "members", "value": [{"value": str(org.employee_b1.pk)}]}
            ]
        },
    )
    assert [m["value"] for m in group["members"]] == [str(org.employee_b1.pk)]
    scim(
        "patch",
        f"Groups/{unit.pk}",
        {"Operations": [{"op": "Remove", "path": f'members[value eq "{org.employee_b1.pk}"]'}]},
    )
    assert not Membership.objects.filter(unit=unit).exists()
    response, _body = scim("delete", f"Groups/{unit.pk}")
    assert response.status_code == 204
    unit.refresh_from_db()
    assert not unit.is_active and unit.closed_at  # closed, never deleted


def test_conflicts_and_unknown_things_answer_scim_errors(scim, org):
    scim("post", "Users", _new_user())
    response, error = scim("post", "Users", _new_user())
    assert response.status_code == 409 and error["scimType"] == "uniqueness"
    response, error = scim("get", "Users/999999")
    assert response.status_code == 404 and error["schemas"] == [ERROR]
    other = _new_user("Finnes ikke") | {"userName": "ola@kommune.no", "externalId": "9"}
    response, error = scim("post", "Users", other)
    assert response.status_code == 400 and error["scimType"] == "invalidValue"
    assert not User.objects.filter(username="ola@kommune.no").exists()


@pytest.mark.parametrize("key", [None, "feil-nokkel"])
def test_refused_without_a_valid_provisioning_key(scim, client_for, org, key):
    response, error = scim("get", "Users", key=key)

    assert response.status_code == 401
    assert error["schemas"] == [ERROR] and response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_or_a_personal_api_key_does_not_open_scim(client_for, org):
    client = client_for(org.admin)
    assert client.get("/scim/v2/Users").status_code == 401
    _token, key = tokens.issue_token(org.admin, "Min nøkkel")
    response = client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


def test_an_expired_provisioning_key_is_refused(scim, org):
    token, key = tokens.issue_provisioning_token("Gammel")
    token.expires_at = token.created_at
    token.save()

    response, _error = scim("get", "ServiceProviderConfig", key=key)

    assert response.status_code == 401


def test_an_administrator_makes_a_key_in_the_admin_and_sees_it_once(client, org):
    client.force_login(org.admin)

    page = client.post(
        "/admin/qms/provisioningtoken/add/",
        {"name": "Entra ID", "expires_at_0": "2099-01-01", "expires_at_1": "12:00:00"},
        follow=True,
    )

    shown = [str(m) for m in page.context["messages"]]
    key = next(m for m in shown if "vises ikke igjen" in m).rsplit(": ", 1)[1]
    client.logout()
    response = client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    client.force_login(org.admin)
    listing = client.get("/admin/qms/provisioningtoken/").content.decode()
    assert "Entra ID" in listing and key not in listing


def test_the_employee_number_can_come_from_the_enterprise_extension(scim, org, settings):
    settings.SCIM_EMPLOYEE_NUMBER_ATTRIBUTE = "employeeNumber"
    body = _new_user()
    body[ENTERPRISE]["employeeNumber"] = "55555"

    response, user = scim("post", "Users", body)

    assert response.status_code == 201
    assert User.objects.get(pk=user["id"]).employee_number == "55555"
    assert user[ENTERPRISE]["employeeNumber"] == "55555"
    # externalId is then the provider's own stable id, the one single sign-on matches.
    assert user["externalId"] == "40123"
    assert User.objects.get(pk=user["id"]).external_id == "40123"
