"""Closing a case: one rule (deviations.services.closing_problems) for the service and the page."""

from __future__ import annotations

import re

import pytest

from deviations import services
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db


def close_button(html: str) -> str:
    return re.search(r"<button[^>]*>Lukk saken</button>", html).group(0)


def test_closing_problems_follow_the_case_to_closable(org):
    case = report(org)
    assert services.closing_problems(case) == ["Saken kan ikke lukkes når den er «Meldt»."]
    action = add_action(org, case)
    case.refresh_from_db()
    assert services.closing_problems(case) == ["Alle tiltak må være utført før saken kan lukkes."]
    services.complete_action(actor=org.employee_a1, action=action)
    assert services.closing_problems(case) == [
        "Effekten av alle tiltak må være vurdert før saken kan lukkes."
    ]
    services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="effective")
    assert services.closing_problems(case) == []
    services.close_deviation(actor=org.leader_a1, deviation=case)
    case.refresh_from_db()
    assert services.closing_problems(case) == [
        "Saken er allerede lukket (av en annen, eller i en annen fane)."
    ]


def test_close_refuses_with_every_problem(org):
    case = report(org)
    add_action(org, case)
    with pytest.raises(services.TransitionError) as refused:
        services.close_deviation(actor=org.leader_a1, deviation=case)
    case.refresh_from_db()
    assert refused.value.message == " ".join(services.closing_problems(case))


def test_case_page_shows_why_it_cannot_close_and_disables_the_button(org, client_for):
    case = report(org)
    add_action(org, case)
    html = client_for(org.leader_a1).get(f"/avvik/{case.pk}/").content.decode()
    assert "Alle tiltak må være utført før saken kan lukkes." in html
    assert "disabled" in close_button(html)


def test_case_page_offers_closing_when_nothing_stands_in_the_way(org, client_for):
    case = report(org)
    action = add_action(org, case)
    services.complete_action(actor=org.employee_a1, action=action)
    services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="effective")
    html = client_for(org.leader_a1).get(f"/avvik/{case.pk}/").content.decode()
    assert "Saken kan ikke lukkes ennå" not in html
    assert "disabled" not in close_button(html)
