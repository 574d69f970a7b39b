from datetime import date

import pytest

from risk import services
from risk.models import RiskAssessment, RiskItem
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


def test_list_shows_only_what_the_user_may_see(org, api_for, assessment):
    services.create_assessment(
        actor=org.leader_b1, unit=org.unit_b1, title="B1", activity="x", assessed_on=date.today()
    )

    def titles(user):
        return {
            r["title"] for r in api_for(user).get("/api/v1/risk-assessments/").json()["results"]
        }

    assert titles(org.employee_a1) == {"Legemiddelhåndtering"}
    assert titles(org.employee_b1) == {"B1"}
    assert titles(org.advisor) == {"Legemiddelhåndtering", "B1"}
    assert titles(org.committee) == {"Legemiddelhåndtering"}
    assert titles(org.chief) == {"Legemiddelhåndtering", "B1"}


def test_list_has_counts_and_a_constant_number_of_queries(
    org, api_for, assessment, django_assert_max_num_queries
):
    services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(probability=5))
    api = api_for(org.leader_a1)
    row = api.get("/api/v1/risk-assessments/").json()["results"][0]
    assert (row["item_count"], row["high_count"], row["untreated_count"]) == (1, 1, 1)
    assert row["action_threshold"] == 13
    for n in range(10):
        services.create_assessment(
            actor=org.leader_a1,
            unit=org.unit_a1,
            title=f"T{n}",
            activity="x",
            assessed_on=date.today(),
            participants=[org.employee_a1],
        )
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/risk-assessments/").json()["results"]) == 11


def test_create_update_and_items_through_the_api(org, api_for):
    api = api_for(org.leader_a1)
    response = api.post(
        "/api/v1/risk-assessments/",
        {
            "title": "Vold og trusler",
            "unit": org.unit_a1.pk,
            "activity": "Stell",
            "assessed_on": "2026-11-01",
            "participants": [org.employee_a1.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    response = api.post(
        f"/api/v1/risk-assessments/{pk}/items/",
        {"hazard": "Slag", "probability": 4, "consequence_people": 4, "consequence_economy": 2},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["score"], response.json()["number"]) == (16, 1)
    item_id = response.json()["id"]
    response = api.patch(
        f"/api/v1/risk-assessments/{pk}/items/{item_id}/", {"probability": 2}, format="json"
    )
    assert response.json()["score"] == 8
    response = api.post(f"/api/v1/risk-assessments/{pk}/activate/")
    assert response.status_code == 200 and response.json()["status"] == "active"
    # The participant edits the assessment; the unit cannot be moved.
    participant = api_for(org.employee_a1)
    response = participant.patch(
        f"/api/v1/risk-assessments/{pk}/", {"title": "Vold", "unit": org.unit_b1.pk}, format="json"
    )
    assert response.status_code == 200
    assert RiskAssessment.objects.get(pk=pk).unit == org.unit_a1


@pytest.mark.parametrize(
    "payload",
    [
        {"hazard": "x", "probability": 0, "consequence_people": 2},
        {"hazard": "x", "probability": 7, "consequence_people": 2},
        {"hazard": "x", "probability": "høy", "consequence_people": 2},
        {"hazard": "x", "probability": 2},
        {"hazard": "x", "probability": 2, "consequence_people": 2, "residual_probability": 1},
        {"hazard": "", "probability": 2, "consequence_people": 2},
    ],
)
def test_bad_items_are_400_and_store_nothing(org, api_for, assessment, payload):
    response = api_for(org.leader_a1).post(
        f"/api/v1/risk-assessments/{assessment.pk}/items/", payload, format="json"
    )
    assert response.status_code == 400
    assert not RiskItem.objects.exists()


def test_level_above_a_smaller_matrix_is_refused(org, api_for, assessment, matrix):
    services.update_matrix(actor=org.admin, matrix=matrix, size=4, action_threshold=9)
    response = api_for(org.leader_a1).post(
        f"/api/v1/risk-assessments/{assessment.pk}/items/",
        {"hazard": "x", "probability": 5, "consequence_people": 2},
        format="json",
    )
    assert response.status_code == 400
    assert "probability" in response.json()


def test_unknown_and_invisible_ids_are_404(org, api_for, assessment):
    assert (
        api_for(org.employee_b1).get(f"/api/v1/risk-assessments/{assessment.pk}/").status_code
        == 404
    )
    assert (
        api_for(org.employee_b1).get(f"/api/v1/risk-assessments/{assessment.pk}/items/").status_code
        == 404
    )
    assert api_for(org.leader_a1).get("/api/v1/risk-assessments/999999/items/").status_code == 404
    assert (
        api_for(org.leader_a1)
        .get(f"/api/v1/risk-assessments/{assessment.pk}/items/99999/")
        .status_code
        == 404
    )


def test_script_in_text_is_stored_as_text(org, api_for, assessment):
    response = api_for(org.leader_a1).post(
        f"/api/v1/risk-assessments/{assessment.pk}/items/",
        {"hazard": "<script>alert(1)</script>", "probability": 2, "consequence_people": 2},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["hazard"] == "<script>alert(1)</script>"
    assert response["Content-Type"].startswith("application/json")


def test_activate_is_refused_on_the_object_before_the_service_runs(
    org, api_for, assessment, monkeypatch
):
    # A member of the unit reads the assessment but may not change it: 403 from the viewset's
    # permission map, without reaching the service (POST used to mean "add" and skip the check).
    called = []
    monkeypatch.setattr(services, "activate", lambda **kwargs: called.append(kwargs))
    url = f"/api/v1/risk-assessments/{assessment.pk}/activate/"
    assert (
        api_for(org.employee_a1).get(f"/api/v1/risk-assessments/{assessment.pk}/").status_code
        == 200
    )
    assert api_for(org.employee_a1).post(url).status_code == 403
    assert api_for(org.employee_b1).post(url).status_code == 404
    assert called == []
