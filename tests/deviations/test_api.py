"""The REST API: reporters create and read their own, leaders handle, states answer 409."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deviations.models import AccessLog, Deviation
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db


def payload(org, **extra):
    data = {
        "kind": "adverse_event",
        "title": "Feil i journal",
        "description": "Notat lagret på feil bruker.",
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "unit": org.unit_a1.pk,
        "severity": 2,
    }
    data.update(extra)
    return data


def test_reporter_creates_and_reads_own_but_not_others(org, api_for):
    api = api_for(org.employee_a1)
    response = api.post("/api/v1/deviations/", payload(org), format="json")
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    assert number.startswith("AV-")
    other = report(org, reporter=org.employee_a1x, unit=org.dept_a1x)
    listed = [d["number"] for d in api.get("/api/v1/deviations/").json()["results"]]
    assert listed == [number]
    assert api.get(f"/api/v1/deviations/{other.pk}/").status_code == 404
    assert api.get(f"/api/v1/deviations/{other.pk}/actions/").status_code == 404


def test_create_refuses_bad_data_with_field_errors(org, api_for):
    api = api_for(org.employee_a1)
    response = api.post(
        "/api/v1/deviations/",
        payload(org, occurred_at="2999-01-01T00:00:00Z", unit=999999, severity=8),
        format="json",
    )
    assert response.status_code == 400
    assert {"occurred_at", "unit", "severity"} <= set(response.json())
    assert not Deviation.objects.exists()


def test_leader_lists_subtree_with_filters_and_keyset_pages(org, api_for):
    for i in range(5):
        report(org, severity=4 if i < 2 else 1)
    report(org, reporter=org.employee_b1, unit=org.unit_b1)
    api = api_for(org.leader_a)
    body = api.get("/api/v1/deviations/", {"page_size": 3}).json()
    assert len(body["results"]) == 3 and body["next"]
    assert "count" not in body
    rest = api.get(body["next"]).json()
    assert len(rest["results"]) == 2
    assert len(api.get("/api/v1/deviations/", {"severity": 4}).json()["results"]) == 2
    assert api.get("/api/v1/deviations/", {"unit": org.unit_b1.pk}).json()["results"] == []


def test_list_query_count_is_constant(org, api_for, django_assert_max_num_queries):
    for _ in range(3):
        report(org)
    api = api_for(org.leader_a)
    api.get("/api/v1/deviations/")
    with django_assert_max_num_queries(10) as first:
        response = api.get("/api/v1/deviations/")
    # A refused or empty answer would meet any budget: the budget counts the full page.
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3
    for _ in range(10):
        report(org)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = api.get("/api/v1/deviations/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 13


def test_transitions_through_the_api(org, api_for):
    deviation = report(org)
    leader = api_for(org.leader_a1)
    assert leader.post(f"/api/v1/deviations/{deviation.pk}/start/").status_code == 200
    assert leader.post(f"/api/v1/deviations/{deviation.pk}/start/").status_code == 409
    created = leader.post(
        f"/api/v1/deviations/{deviation.pk}/actions/",
        {
            "description": "Opplæring",
            "responsible": org.employee_a1.pk,
            "deadline": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    action_id = created.json()["id"]
    base = f"/api/v1/deviations/{deviation.pk}/actions/{action_id}/"
    close = leader.post(f"/api/v1/deviations/{deviation.pk}/close/", {}, format="json")
    assert close.status_code == 409
    assert "utført" in close.json()["detail"]
    assert api_for(org.employee_a1).post(base + "complete/", {"note": "ok"}).status_code == 200
    assert (
        api_for(org.employee_a1).post(base + "evaluate/", {"effect": "effective"}).status_code
        == 403
    )
    assert leader.post(base + "evaluate/", {"effect": "effective"}).status_code == 200
    body = leader.post(f"/api/v1/deviations/{deviation.pk}/close/", {}, format="json").json()
    assert body["state"] == "closed"
    reporter_view = api_for(org.employee_a1).get(f"/api/v1/deviations/{deviation.pk}/").json()
    assert reporter_view["state"] == "closed"
    assert [e["kind"] for e in reporter_view["events"]][-1] == "closed"


def test_personal_data_api_view_is_logged(org, api_for):
    deviation = report(org, contains_personal_data=True)
    assert api_for(org.advisor).get(f"/api/v1/deviations/{deviation.pk}/").status_code == 404
    api_for(org.leader_a1).get(f"/api/v1/deviations/{deviation.pk}/")
    assert list(AccessLog.objects.values_list("channel", flat=True)) == ["api"]
    # The advisor's list does not show it either.
    listed = api_for(org.advisor).get("/api/v1/deviations/").json()["results"]
    assert deviation.pk not in [d["id"] for d in listed]


def test_actions_list_for_the_responsible_in_another_unit(org, api_for):
    deviation = report(org)
    add_action(org, deviation, responsible=org.leader_a2)
    api = api_for(org.leader_a2)
    assert len(api.get(f"/api/v1/deviations/{deviation.pk}/actions/").json()) == 1


def test_forward_out_of_the_leaders_sight_answers_204_without_the_case(org, api_for):
    """A forward to a unit outside the leader's subtree is made, and the leader no longer sees
    the case: the answer says so (204, no body) instead of failing to read it back (500)."""
    deviation = report(org, contains_personal_data=True)
    response = api_for(org.leader_a1).post(
        f"/api/v1/deviations/{deviation.pk}/forward/",
        {"unit": org.unit_b1.pk, "reason": "Gjelder Enhet B1"},
        format="json",
    )
    assert response.status_code == 204, response.content
    assert response.content == b""
    deviation.refresh_from_db()
    assert (deviation.unit, deviation.state) == (org.unit_b1, Deviation.State.FORWARDED)
    assert api_for(org.leader_a1).get(f"/api/v1/deviations/{deviation.pk}/").status_code == 404
    # The new unit's leader reads it as usual.
    moved = api_for(org.leader_b1).get(f"/api/v1/deviations/{deviation.pk}/").json()
    assert (moved["unit"]["id"], moved["state"]) == (org.unit_b1.pk, "forwarded")


def test_forward_within_sight_answers_with_the_case(org, api_for):
    deviation = report(org)
    response = api_for(org.leader_a).post(
        f"/api/v1/deviations/{deviation.pk}/forward/",
        {"unit": org.unit_a2.pk, "reason": "Gjelder Enhet A2"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit"]["id"], body["state"]) == (org.unit_a2.pk, "forwarded")


def test_overdue_filter_follows_the_one_overdue_rule(org, api_for, monkeypatch):
    """The inbox and API filter ask ActionQuerySet.overdue (deviations/querysets.py) which
    actions are overdue: change the rule there and the filter follows."""
    from datetime import date

    from deviations.querysets import ActionQuerySet

    late, on_time = report(org), report(org)
    add_action(org, late, days=3)
    add_action(org, on_time, days=40)
    api = api_for(org.leader_a1)

    def listed(value):
        rows = api.get("/api/v1/deviations/", {"overdue": value}).json()["results"]
        return {row["id"] for row in rows}

    assert listed("true") == set()
    assert listed("false") == {late.pk, on_time.pk}

    def within_a_week(self, today: date):
        return self.filter(done_at__isnull=True, deadline__lt=today + timedelta(days=7))

    monkeypatch.setattr(ActionQuerySet, "overdue", within_a_week)
    assert listed("true") == {late.pk}
    assert listed("false") == {on_time.pk}
