"""The permission layer (docs/design.md §3), exercised through a unit-scoped test model."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm, remove_perm

from qms import permissions
from qms.models import Membership, OrgUnit
from tests.testapp.models import Widget

pytestmark = pytest.mark.django_db


@pytest.fixture
def widgets(org):
    return {
        "a1": Widget.objects.create(title="a1", unit=org.unit_a1, owner=org.employee_a1),
        "a1x": Widget.objects.create(title="a1x", unit=org.dept_a1x, owner=org.employee_a1x),
        "a2": Widget.objects.create(title="a2", unit=org.unit_a2, owner=org.leader_a2),
        "b1": Widget.objects.create(title="b1", unit=org.unit_b1, owner=org.employee_b1),
    }


def titles(user, action="view"):
    return set(Widget.objects.restrict(user, action).values_list("title", flat=True))


def test_leader_sees_their_subtree_and_not_a_siblings(org, widgets):
    assert titles(org.leader_a1) == {"a1", "a1x"}
    assert titles(org.leader_a) == {"a1", "a1x", "a2"}
    assert titles(org.leader_b1) == {"b1"}


def test_employee_sees_only_what_the_table_allows(org, widgets):
    assert titles(org.employee_a1) == {"a1"}
    assert titles(org.employee_b1) == {"b1"}


def test_advisor_sees_everything_and_admin_may_change_everything(org, widgets):
    assert titles(org.advisor) == {"a1", "a1x", "a2", "b1"}
    assert titles(org.advisor, "change") == set()
    assert titles(org.admin, "change") == {"a1", "a1x", "a2", "b1"}


def test_anonymous_sees_nothing(org, widgets):
    from django.contrib.auth.models import AnonymousUser

    assert titles(AnonymousUser()) == set()


def test_inactive_user_sees_nothing(org, widgets):
    org.leader_a.is_active = False
    org.leader_a.save()
    assert titles(org.leader_a) == set()


def test_a_guardian_grant_opens_exactly_one_object(org, widgets):
    assert titles(org.employee_b1) == {"b1"}
    assign_perm("view_widget", org.employee_b1, widgets["a2"])
    assert titles(org.employee_b1) == {"b1", "a2"}
    # A view grant is not a change grant.
    assert titles(org.employee_b1, "change") == set()
    remove_perm("view_widget", org.employee_b1, widgets["a2"])
    assert titles(org.employee_b1) == {"b1"}


def test_grants_use_the_direct_foreign_key_table(org, widgets):
    from tests.testapp.models import WidgetUserObjectPermission

    assign_perm("view_widget", org.employee_b1, widgets["a1"])
    assert WidgetUserObjectPermission.objects.filter(content_object=widgets["a1"]).exists()


def test_restrict_is_one_query_with_the_grants_inside(org, widgets):
    actor = permissions.actor_for(org.leader_a)  # build the cached actor first
    assert actor.is_leader
    with CaptureQueriesContext(connection) as ctx:
        list(Widget.objects.restrict(org.leader_a, "view"))
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"].lower()
    assert "testapp_widgetuserobjectpermission" in sql


def test_moving_a_leader_changes_what_they_see(org, widgets):
    Membership.objects.filter(user=org.leader_a1).update(unit=org.unit_b1.pk, role="employee")
    fresh = type(org.leader_a1).objects.get(pk=org.leader_a1.pk)
    assert titles(fresh) == set()  # no longer a leader of A1, and owns no widget


def test_can_and_check(org, widgets):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    assert permissions.can(org.leader_a1, widgets["a1x"], "change")
    assert not permissions.can(org.leader_b1, widgets["a1x"], "view")
    with pytest.raises(Http404):
        permissions.check(org.leader_b1, widgets["a1x"], "change")
    with pytest.raises(PermissionDenied):
        permissions.check(org.employee_a1, widgets["a1"], "change")
    permissions.check(org.leader_a, widgets["a1"], "change")


def test_unregistered_model_is_an_error(org):
    from qms.models import Notification

    with pytest.raises(LookupError):
        permissions.restrict(org.admin, Notification)


def test_committee_scope_is_their_units_subtree(org):
    actor = permissions.actor_for(org.committee)
    assert actor.is_committee
    scoped = set(
        OrgUnit.objects.filter(actor.committee_subtree_q(field="pk")).values_list("name", flat=True)
    )
    assert scoped == {"Sektor A", "Enhet A1", "Enhet A2", "Avdeling A1x"}


def test_membership_rows_are_personal_data(org):
    visible = permissions.restrict(org.leader_a1, Membership).values_list(
        "user__username", flat=True
    )
    assert set(visible) == {"leader_a1", "employee_a1", "employee_a1x"}
    assert set(
        permissions.restrict(org.employee_b1, Membership).values_list("user__username", flat=True)
    ) == {"employee_b1"}


def test_a_malformed_id_is_not_found_through_the_layer(org):
    """An id that is not a number names no object: 404, never a 500 (the API fuzzer found
    /api/v1/deviations/null,null/)."""
    from django.http import Http404

    from qms.models import OrgUnit

    for bad in ("null,null", "1e3", "", None):
        with pytest.raises(Http404):
            permissions.get_object_or_404(org.employee_a1, OrgUnit, "view", pk=bad)
