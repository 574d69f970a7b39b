"""The ``reviews`` API: start, assess, participants, decisions as actions, the agenda, sign-off,
and the refusals a client sees (400 with the field, 409 once signed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from annual_wheel.models import Review
from qms.reports import agenda
from tests.annual_wheel.test_reviews import YEAR


@pytest.fixture(autouse=True)
def _headcounts(org):
    from qms.models import OrgUnit

    OrgUnit.objects.update(headcount=30)


def create(api, org, **extra):
    return api.post(
        "/api/v1/reviews/",
        {"unit": org.unit_a1.pk, "year": YEAR, "date": timezone.localdate().isoformat(), **extra},
        format="json",
    )


def test_leader_carries_out_a_review_through_the_api(org, api_for):
    api = api_for(org.leader_a1)
    response = create(api, org, role="Leder")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["participants"][0]["role"] == "Leder"
    url = f"/api/v1/reviews/{pk}/"

    agenda_response = api.get(url + "agenda/")
    assert agenda_response.status_code == 200
    keys = [s["key"] for s in agenda_response.json()["sections"]]
    assert keys == agenda.agenda.keys()

    for key in keys:
        assert (
            api.post(
                url + "assess/", {"section": key, "text": "Godt nok."}, format="json"
            ).status_code
            == 200
        )
    assert api.patch(url, {"summary": "Samlet: godt nok."}, format="json").status_code == 200
    added = api.post(
        url + "participants/", {"user": org.employee_a1.pk, "role": "Verneombud"}, format="json"
    )
    assert {p["role"] for p in added.json()["participants"]} == {"Leder", "Verneombud"}
    deadline = timezone.localdate() + timedelta(days=30)
    decided = api.post(
        url + "decisions/",
        {
            "text": "Oppfølging av avvik på personalmøtet",
            "section": "deviations",
            "responsible": org.employee_a1.pk,
            "deadline": deadline.isoformat(),
        },
        format="json",
    )
    assert decided.status_code == 201
    decision = decided.json()["decisions"][0]
    assert decision["responsible"] == org.employee_a1.pk
    assert decision["deadline"] == deadline.isoformat() and decision["action"]

    signed = api.post(url + "sign/")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert signed.json()["snapshot"]["sections"]
    again = api.post(url + "assess/", {"section": "risk", "text": "Endret"}, format="json")
    assert again.status_code == 409
    assert "signert og kan ikke endres" in again.content.decode()


def test_unknown_heading_and_duplicate_year_are_400(org, api_for):
    api = api_for(org.leader_a1)
    pk = create(api, org).json()["id"]
    response = api.post(
        f"/api/v1/reviews/{pk}/assess/", {"section": "nope", "text": "x"}, format="json"
    )
    assert response.status_code == 400 and "section" in response.json()
    duplicate = create(api, org)
    assert duplicate.status_code == 400 and "year" in duplicate.json()
    assert Review.objects.count() == 1


def test_sign_before_every_heading_is_assessed_is_409(org, api_for):
    api = api_for(org.leader_a1)
    pk = create(api, org).json()["id"]
    response = api.post(f"/api/v1/reviews/{pk}/sign/")
    assert response.status_code == 409
    assert "Skriv en vurdering" in response.content.decode()


def test_list_shows_only_reviews_the_user_may_see(org, api_for):
    create(api_for(org.leader_a1), org)
    assert api_for(org.leader_b1).get("/api/v1/reviews/").json()["results"] == []
    assert len(api_for(org.leader_a).get("/api/v1/reviews/").json()["results"]) == 1
