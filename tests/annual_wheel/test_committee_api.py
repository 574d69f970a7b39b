"""The committees and meetings API: the same layer and services as the pages."""

from __future__ import annotations

import pytest

from annual_wheel import services
from annual_wheel.models import Meeting
from tests.annual_wheel.committee_helpers import (
    held_with_decision,
    meeting_of,
    quality_committee,
    refer,
)
from tests.deviations.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(org):
    return meeting_of(quality_committee(org), org.leader_a2)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_committees_are_listed_with_their_members(org, api_for, meeting):
    data = api_for(org.employee_b1).get("/api/v1/committees/").json()["results"]
    assert [c["name"] for c in data] == ["Kvalitetsutvalget Sektor A"]
    roles = {m["name"]: (m["role"], m["representing"]) for m in data[0]["members"]}
    assert roles["Employee A1X"] == ("member", "Verneombud")


def test_meetings_are_listed_to_the_seats_then_to_the_subtree_once_published(org, api_for, meeting):
    assert _ids(api_for(org.employee_b1).get("/api/v1/meetings/")) == {meeting.pk}
    assert _ids(api_for(org.employee_a1).get("/api/v1/meetings/")) == set()
    refer(
        meeting,
        report(org, contains_personal_data=True, description="Navn Navnesen"),
        org.leader_a1,
        summary="Anonymisert sammendrag.",
    )
    held_with_decision(meeting, org.leader_a)
    services.approve_minutes(org.leader_a, meeting)
    services.publish_minutes(org.leader_a2, meeting)
    reader = api_for(org.employee_a1)
    assert _ids(reader.get("/api/v1/meetings/")) == {meeting.pk}
    body = reader.get(f"/api/v1/meetings/{meeting.pk}/")
    assert body.json()["items"][0]["summary"] == "Anonymisert sammendrag."
    assert "Navn Navnesen" not in body.content.decode()
    assert api_for(org.leader_b1).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404


def test_keepers_plan_a_meeting_and_run_it_through_its_states(org, api_for, meeting):
    payload = {"committee": meeting.committee_id, "date": "2099-03-01", "place": "Rådhuset"}
    assert (
        api_for(org.employee_b1).post("/api/v1/meetings/", payload, format="json").status_code
        == 403
    )
    secretary = api_for(org.leader_a2)
    created = secretary.post("/api/v1/meetings/", payload, format="json")
    assert created.status_code == 201 and created.json()["status"] == "planned"
    pk = created.json()["id"]
    assert secretary.post(f"/api/v1/meetings/{pk}/hold/").status_code == 409  # empty agenda
    added = secretary.post(f"/api/v1/meetings/{pk}/items/", {"title": "Orientering"}, format="json")
    assert added.status_code == 201 and added.json()["items"][0]["title"] == "Orientering"
    assert secretary.post(f"/api/v1/meetings/{pk}/publish-agenda/").json()["status"] == "agenda"
    assert secretary.post(f"/api/v1/meetings/{pk}/hold/").json()["status"] == "held"
    assert secretary.post(f"/api/v1/meetings/{pk}/approve/").status_code == 403  # chair only
    assert api_for(org.leader_a).post(f"/api/v1/meetings/{pk}/approve/").status_code == 409
    assert Meeting.objects.get(pk=pk).status == Meeting.Status.HELD
