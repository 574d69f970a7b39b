"""/api/v1/inspections/ and its findings: the same layer and services as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deviations.models import Deviation, Inspection, InspectionFinding
from tests.deviations.inspections import authority, finding, inspection

pytestmark = pytest.mark.django_db


def ids(response):
    return {item["id"] for item in response.json()["results"]}


def test_the_list_holds_what_the_user_may_see(org, api_for):
    a1 = inspection(org)
    b1 = inspection(org, unit=org.unit_b1, actor=org.leader_b1)
    assert ids(api_for(org.employee_a1).get("/api/v1/inspections/")) == {a1.pk}
    assert ids(api_for(org.employee_b1).get("/api/v1/inspections/")) == {b1.pk}
    assert ids(api_for(org.advisor).get("/api/v1/inspections/")) == {a1.pk, b1.pk}
    assert api_for(org.employee_b1).get(f"/api/v1/inspections/{a1.pk}/").status_code == 404


def test_the_list_runs_a_constant_number_of_queries(org, api_for, django_assert_max_num_queries):
    for n in range(4):
        inspection(org, theme=f"Tilsyn {n}")
    client = api_for(org.leader_a1)
    client.get("/api/v1/inspections/")  # warm the actor cache and content types
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/inspections/").json()["results"]) == 4


def test_record_an_inspection_and_its_findings(org, api_for):
    client = api_for(org.leader_a1)
    response = client.post(
        "/api/v1/inspections/",
        {
            "authority": authority("Helsetilsynet").pk,
            "theme": "Legemiddelhåndtering",
            "unit": org.unit_a1.pk,
            "units": [org.unit_a2.pk],
            "status": "ongoing",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["units"] == [{"id": org.unit_a2.pk, "name": "Enhet A2"}]
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    added = client.post(
        f"/api/v1/inspections/{pk}/findings/",
        {"unit": org.unit_a2.pk, "kind": "order", "title": "Pålegg", "deadline": deadline},
        format="json",
    )
    assert added.status_code == 201, added.content
    case = Deviation.objects.get(pk=added.json()["deviation"])
    assert case.source == Deviation.Source.INSPECTION and case.unit == org.unit_a2
    detail = client.get(f"/api/v1/inspections/{pk}/").json()
    assert [f["title"] for f in detail["findings"]] == ["Pålegg"]


def test_an_employee_may_not_record_one(org, api_for):
    response = api_for(org.employee_a1).post(
        "/api/v1/inspections/",
        {"authority": authority().pk, "theme": "Arbeidsmiljø", "unit": org.unit_a1.pk},
        format="json",
    )
    assert response.status_code == 403
    assert not Inspection.objects.exists()


def test_confirm_answers_409_until_replied_and_closed(org, api_for):
    found = finding(org, inspection(org))
    client = api_for(org.leader_a1)
    base = f"/api/v1/inspections/{found.inspection_id}/findings/{found.pk}/"
    refused = client.post(f"{base}confirm/", {}, format="json")
    assert refused.status_code == 409
    assert "svar" in refused.json()["detail"]
    assert client.post(f"{base}reply/", {"reply": "Plan sendt."}, format="json").status_code == 200
    from deviations import services

    services.start_treatment(actor=org.leader_a1, deviation=found.deviation)
    done = client.post(f"{base}confirm/", {"note": "Brev fra tilsynet."}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["confirmed_closed_at"] is not None
    assert InspectionFinding.objects.open().count() == 0
