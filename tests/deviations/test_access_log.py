"""Every channel that returns a personal-data case's content logs the read (docs/design.md §3), and
notifications of such a case carry a link, never its text: ``services.fetch_for`` is the door."""

from __future__ import annotations

import pytest
from django.core import mail

from deviations import services
from deviations.models import AccessLog
from qms.models import Notification
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db

SECRET = "Ola Nordmann, rom 12"


def log() -> list[tuple[str, str]]:
    return list(AccessLog.objects.order_by("at", "pk").values_list("user__username", "channel"))


@pytest.fixture
def personal(org):
    deviation = report(
        org, contains_personal_data=True, title=f"Fall: {SECRET}", description=SECRET
    )
    services.start_treatment(actor=org.leader_a1, deviation=deviation)
    return deviation


def test_api_nested_actions_list_and_detail_are_logged(org, api_for, personal):
    action = add_action(org, personal)
    api = api_for(org.leader_a1)
    base = f"/api/v1/deviations/{personal.pk}/actions/"
    assert api.get(base).status_code == 200
    assert api.get(f"{base}{action.pk}/").status_code == 200
    assert log() == [("leader_a1", "api"), ("leader_a1", "api")]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("comment/", {"text": "Ringte pårørende"}),
        ("classify/", {"cause_class": "procedure", "cause_analysis": "Rutinen manglet"}),
    ],
)
def test_api_transition_answer_with_the_case_is_logged(org, api_for, personal, path, data):
    response = api_for(org.leader_a1).post(
        f"/api/v1/deviations/{personal.pk}/{path}", data, format="json"
    )
    assert response.status_code == 200
    assert response.json()["description"] == SECRET
    assert log() == [("leader_a1", "api")]


def test_api_report_answer_with_the_new_case_is_logged(org, api_for):
    from tests.deviations.test_api import payload

    api = api_for(org.employee_a1)
    response = api.post(
        "/api/v1/deviations/", payload(org, contains_personal_data=True), format="json"
    )
    assert response.status_code == 201, response.content
    assert log() == [("employee_a1", "api")]


def test_action_page_of_a_personal_data_case_is_logged(org, client_for, personal):
    action = add_action(org, personal, responsible=org.employee_a1x)
    assert client_for(org.employee_a1x).get(f"/avvik/tiltak/{action.pk}/").status_code == 200
    assert log() == [("employee_a1x", "web")]


def test_action_page_of_an_ordinary_case_is_not_logged(org, client_for):
    action = add_action(org, report(org))
    assert client_for(org.leader_a1).get(f"/avvik/tiltak/{action.pk}/").status_code == 200
    assert log() == []


def test_admin_change_pages_of_a_personal_data_case_are_logged(org, client_for, personal):
    action = add_action(org, personal)
    client = client_for(org.admin)
    assert client.get(f"/admin/deviations/deviation/{personal.pk}/change/").status_code == 200
    assert client.get(f"/admin/deviations/correctiveaction/{action.pk}/change/").status_code == 200
    assert log() == [("admin", "admin"), ("admin", "admin")]


def test_notifications_of_a_personal_data_case_carry_a_link_only(
    org, personal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(actor=org.employee_a1, deviation=personal, text=f"Gjelder {SECRET}")
        services.assign_handler(actor=org.leader_a1, deviation=personal, handler=org.leader_a)
        services.share_deviation(actor=org.leader_a1, deviation=personal, user=org.employee_b1)
        action = add_action(org, personal, responsible=org.employee_a1x)
        services.complete_action(actor=org.employee_a1x, action=action, note="ok")
    notes = Notification.objects.filter(
        url__contains=str(personal.pk)
    ) | Notification.objects.filter(url=action.get_absolute_url())
    kinds = set(notes.values_list("kind", flat=True))
    assert {"deviation.reported", "deviation.comment", "deviation.assigned"} <= kinds
    assert {"deviation.shared", "action.assigned", "action.done"} <= kinds
    for note in notes:
        assert SECRET not in note.subject + note.body, note.kind
        assert "medisinutdeling" not in note.subject + note.body, note.kind
        assert note.url
    assert mail.outbox
    for message in mail.outbox:
        assert SECRET not in message.subject + message.body
        assert "medisinutdeling" not in message.subject + message.body


def test_notifications_of_an_ordinary_case_keep_the_text(org):
    deviation = report(org)
    services.add_comment(actor=org.employee_a1, deviation=deviation, text="Se rutine 4")
    assert Notification.objects.get(kind="deviation.comment").body == "Se rutine 4"
