"""Who may see a corrective action: whoever may view its deviation, on every door alike.

The case page lists the actions, the action page shows one, the API returns it; the three answer
through one rule (``deviations.permissions.action_rule``), so a person who sees the case sees its
actions everywhere and a person who does not sees them nowhere.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from deviations import services
from deviations.models import CorrectiveAction
from qms import permissions
from tests.conftest import make_user
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_case(org):
    """A case in A1 with a handler from the sector, shared with someone in sector B."""
    deviation = report(org)
    services.assign_handler(actor=org.leader_a1, deviation=deviation, handler=org.employee_a1x)
    services.share_deviation(actor=org.leader_a1, deviation=deviation, user=org.employee_b1)
    action = add_action(org, deviation, responsible=org.leader_a1)
    return deviation, action


def _doors(client, api, deviation, action) -> tuple[bool, int, int]:
    page = client.get(f"/avvik/{deviation.pk}/")
    listed = page.status_code == 200 and action.description in page.content.decode()
    return (
        listed,
        client.get(f"/avvik/tiltak/{action.pk}/").status_code,
        api.get(f"/api/v1/deviations/{deviation.pk}/actions/{action.pk}/").status_code,
    )


@pytest.mark.parametrize("who", ["employee_a1x", "employee_b1"], ids=["handler", "guardian"])
def test_who_sees_the_case_sees_its_action_on_every_door(org, client, api_for, shared_case, who):
    deviation, action = shared_case
    user = getattr(org, who)
    client.force_login(user)
    assert _doors(client, api_for(user), deviation, action) == (True, 200, 200)


def test_an_unrelated_user_sees_the_action_nowhere(org, client, api_for, shared_case):
    deviation, action = shared_case
    stranger = make_user("stranger", org.unit_a2)
    client.force_login(stranger)
    assert _doors(client, api_for(stranger), deviation, action) == (False, 404, 404)
    assert client.get(f"/avvik/{deviation.pk}/").status_code == 404


def test_action_rule_follows_the_deviations_view_rule_and_its_grants(org, shared_case):
    deviation, action = shared_case
    group_member = make_user("group_member", org.unit_b1)
    group = Group.objects.create(name="hms")
    group.user_set.add(group_member)
    assign_perm("view_deviation", group, deviation)
    for user in (org.employee_a1x, org.employee_b1, group_member):
        assert permissions.can(user, deviation, "view")
        assert list(permissions.restrict(user, CorrectiveAction)) == [action]
    services.unshare_deviation(actor=org.leader_a1, deviation=deviation, user=org.employee_b1)
    assert not permissions.restrict(org.employee_b1, CorrectiveAction).exists()
