"""The doorway end to end (docs/design.md §12): a person is provisioned by SCIM from Entra ID,
signs in through a real OpenID Connect provider (tests/oidc_provider.py) matched on the object
id SCIM brought, is moved to another unit by a second SCIM call, and their open actions are
found with the old unit's leader."""

from __future__ import annotations

import json

import pytest

from deviations import services
from qms import tokens
from qms.models import Handover, Notification, User
from qms.scim.schema import ENTERPRISE
from tests.deviations.conftest import add_action, report
from tests.qms.test_sso import sign_in

pytestmark = pytest.mark.django_db

OID = "3b0e8f62-2c1a-4a7e-9f43-5d6c7b8a9e01"
CT = "application/scim+json"


@pytest.fixture
def entra_scim(client, settings):
    """SCIM as Entra ID's provisioning service calls it, with Entra's mapping: employeeId to the
    enterprise extension's employeeNumber, the object id to externalId."""
    settings.SCIM_EMPLOYEE_NUMBER_ATTRIBUTE = "employeeNumber"
    _token, key = tokens.issue_provisioning_token("Entra ID")

    def call(method, path, body):
        response = getattr(client, method)(
            f"/scim/v2/{path}",
            data=json.dumps(body),
            content_type=CT,
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        return response, response.json()

    return call


def test_provisioned_by_scim_signs_in_by_sso_moves_and_finds_the_work_handed_over(
    client, org, oidc_provider, oidc_app, entra_scim
):
    response, body = entra_scim(
        "post",
        "Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
            "userName": "ola.hansen@kommune.no",
            "externalId": OID,
            "active": True,
            "name": {"givenName": "Ola", "familyName": "Hansen"},
            "emails": [{"primary": True, "type": "work", "value": "ola.hansen@kommune.no"}],
            ENTERPRISE: {"department": "Enhet A1", "employeeNumber": "51007"},
        },
    )
    assert response.status_code == 201, body
    ola = User.objects.get(pk=body["id"])
    assert (ola.external_id, ola.employee_number) == (OID, "51007")
    assert body["externalId"] == OID and body[ENTERPRISE]["employeeNumber"] == "51007"

    # Ola signs in through the provider; the match is on the object id, not on the name.
    claims = {"sub": "pairwise-ola", "oid": OID, "name": "Ola Hansen"}
    answer = sign_in(client, oidc_provider, oidc_app, **claims)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    home = client.get("/")
    assert home.context["user"] == ola

    # Two actions of Enhet A1 are Ola's; they show under "Mine oppgaver".
    case = report(org, title="Dørlåsen på medisinrommet er ødelagt")
    open_action = add_action(org, case, responsible=ola)
    open_action.description = "Bytt låsen"
    open_action.save(update_fields=["description"])
    done_action = add_action(org, case, responsible=ola)
    services.complete_action(actor=ola, action=done_action, note="Vaktmester varslet")
    assert "Bytt låsen" in client.get("/").content.decode()

    # Entra ID sends the new department: Ola moves to Enhet B1.
    response, body = entra_scim(
        "patch",
        f"Users/{ola.pk}",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [
                {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Enhet B1"}
            ],
        },
    )
    assert response.status_code == 200, body
    assert list(ola.memberships.values_list("unit", "role")) == [(org.unit_b1.pk, "employee")]

    # The open action went to Enhet A1's leader with a notification; the done one stayed.
    open_action.refresh_from_db()
    done_action.refresh_from_db()
    assert open_action.responsible == org.leader_a1
    assert done_action.responsible == ola
    note = Notification.objects.get(recipient=org.leader_a1, kind="qms.handover")
    assert "Ola Hansen" in note.subject and "Bytt låsen" in note.body
    assert Handover.objects.get(from_user=ola).reason == "moved"

    # Ola, still signed in through the provider, no longer has it among his tasks; the leader does.
    assert "Bytt låsen" not in client.get("/").content.decode()
    client.force_login(org.leader_a1)
    assert "Bytt låsen" in client.get("/").content.decode()

    # A later sign-in through the provider still finds Ola (the link is the object id).
    client.post("/konto/logout/")
    assert sign_in(client, oidc_provider, oidc_app, **claims).status_code == 302
    assert client.get("/").context["user"] == ola
