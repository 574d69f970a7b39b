"""The checklists and rounds API: reading templates, starting, answering and signing rounds."""

import pytest
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import Occurrence, Round
from tests.annual_wheel.helpers import answer_all, make_checklist

pytestmark = pytest.mark.django_db

RUNWAY = "Er rømningsveiene frie og merket?"


@pytest.fixture
def checklist(org):
    return make_checklist(org.advisor)


def test_checklists_list_the_published_questions_and_hide_drafts(org, api_for, checklist):
    make_checklist(org.advisor, title="Brannvernrunde", publish=False)
    data = api_for(org.employee_a1).get("/api/v1/checklists/").json()
    rows = {row["title"]: row for row in data["results"]}
    assert rows["Brannvernrunde"]["published_version"] is None
    version = rows["Vernerunde"]["published_version"]
    assert version["number"] == 1
    assert [q["text"] for q in version["questions"]][0] == RUNWAY
    assert (
        api_for(org.employee_a1).post("/api/v1/checklists/", {}, format="json").status_code == 405
    )


def test_leader_starts_answers_and_signs_a_round_through_the_api(
    org, api_for, checklist, make_activity
):
    occurrence = make_activity(org.unit_a1, checklist=checklist).occurrences.get()
    api = api_for(org.leader_a1)
    response = api.post(
        "/api/v1/rounds/",
        {
            "checklist": checklist.pk,
            "occurrence": occurrence.pk,
            "date": timezone.localdate().isoformat(),
            "participants": [org.employee_a1.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == org.unit_a1.pk and body["status"] == "in_progress"
    assert set(body["participants"]) == {org.leader_a1.pk, org.employee_a1.pk}
    round_ = Round.objects.get(pk=body["id"])

    question = round_.version.questions.get(text=RUNWAY)
    answered = api.post(
        f"/api/v1/rounds/{round_.pk}/answer/",
        {"question": question.pk, "value": "no", "comment": "Sperret"},
        format="json",
    ).json()
    assert answered["answers"][0]["failed"] is True

    early = api.post(f"/api/v1/rounds/{round_.pk}/sign/", format="json")
    assert early.status_code == 409
    assert early.json()  # the reason: unanswered questions

    answer_all(org.leader_a1, round_)
    signed = api.post(f"/api/v1/rounds/{round_.pk}/sign/", format="json")
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed"
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE


def test_invalid_answer_is_a_400_and_a_foreign_question_too(org, api_for, checklist):
    round_ = services.start_round(
        org.leader_a1, checklist=checklist, unit=org.unit_a1, date=timezone.localdate()
    )
    other = make_checklist(org.advisor, title="Annen").versions.get().questions.first()
    api = api_for(org.leader_a1)
    scale = round_.version.questions.get(kind="scale")
    bad = api.post(
        f"/api/v1/rounds/{round_.pk}/answer/", {"question": scale.pk, "value": "9"}, format="json"
    )
    assert bad.status_code == 400
    foreign = api.post(
        f"/api/v1/rounds/{round_.pk}/answer/", {"question": other.pk, "value": "yes"}, format="json"
    )
    assert foreign.status_code == 400


def test_round_list_is_restricted_and_its_queries_do_not_grow(
    org, api_for, checklist, django_assert_max_num_queries
):
    for unit, leader in ((org.unit_a1, org.leader_a1), (org.unit_b1, org.leader_b1)):
        for _ in range(3):
            round_ = services.start_round(
                leader, checklist=checklist, unit=unit, date=timezone.localdate()
            )
            answer_all(leader, round_)
    api = api_for(org.employee_a1)
    with django_assert_max_num_queries(12):
        data = api.get("/api/v1/rounds/").json()
    assert {row["unit"] for row in data["results"]} == {org.unit_a1.pk}
    assert len(data["results"]) == 3
    assert all(len(row["answers"]) == 4 for row in data["results"])
