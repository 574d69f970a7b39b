"""Who may be chosen as handler or responsible: one rule for the form, the service and the API
(deviations.querysets.handler_candidates / responsible_candidates)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deviations import services
from deviations.querysets import handler_candidates, responsible_candidates
from qms.models import Membership
from tests.deviations.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisor_in_sector(org):
    """The quality advisor also works in Enhet A2 (same sector as the cases)."""
    Membership.objects.create(user=org.advisor, unit=org.unit_a2, role=Membership.Role.EMPLOYEE)
    return org.advisor


def action_payload(org, responsible):
    return {
        "description": "Opplæring",
        "responsible": responsible.pk,
        "deadline": (timezone.localdate() + timedelta(days=3)).isoformat(),
    }


def test_api_refuses_an_advisor_as_handler_of_a_personal_data_case(org, api_for):
    deviation = report(org, contains_personal_data=True)
    answer = api_for(org.leader_a1).post(
        f"/api/v1/deviations/{deviation.pk}/assign/", {"handler": org.advisor.pk}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert "personopplysninger" in answer.json()["handler"][0]
    deviation.refresh_from_db()
    assert deviation.handler == org.leader_a1
    assert api_for(org.advisor).get(f"/api/v1/deviations/{deviation.pk}/").status_code == 404


def test_api_refuses_a_handler_from_another_sector(org, api_for):
    deviation = report(org)
    answer = api_for(org.leader_a1).post(
        f"/api/v1/deviations/{deviation.pk}/assign/",
        {"handler": org.employee_b1.pk},
        format="json",
    )
    assert answer.status_code == 400
    assert api_for(org.employee_b1).get(f"/api/v1/deviations/{deviation.pk}/").status_code == 404


def test_api_assigns_a_candidate(org, api_for):
    deviation = report(org)
    answer = api_for(org.leader_a1).post(
        f"/api/v1/deviations/{deviation.pk}/assign/",
        {"handler": org.employee_a1x.pk},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    deviation.refresh_from_db()
    assert deviation.handler == org.employee_a1x


def test_api_refuses_an_advisor_as_responsible_on_a_personal_data_case(org, api_for):
    deviation = report(org, contains_personal_data=True)
    leader = api_for(org.leader_a1)
    leader.post(f"/api/v1/deviations/{deviation.pk}/start/")
    answer = leader.post(
        f"/api/v1/deviations/{deviation.pk}/actions/",
        action_payload(org, org.advisor),
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert "responsible" in answer.json()
    assert not deviation.actions.exists()
    assert api_for(org.advisor).get(f"/api/v1/deviations/{deviation.pk}/").status_code == 404


def test_api_refuses_a_responsible_from_another_sector(org, api_for):
    deviation = report(org)
    answer = api_for(org.leader_a1).post(
        f"/api/v1/deviations/{deviation.pk}/actions/",
        action_payload(org, org.employee_b1),
        format="json",
    )
    assert answer.status_code == 400
    assert not deviation.actions.exists()


def test_start_treatment_with_a_handler_checks_the_candidate(org):
    deviation = report(org, contains_personal_data=True)
    with pytest.raises(ValidationError) as refused:
        services.start_treatment(actor=org.leader_a1, deviation=deviation, handler=org.advisor)
    assert "handler" in refused.value.message_dict
    services.start_treatment(actor=org.leader_a1, deviation=deviation, handler=org.employee_a1x)
    deviation.refresh_from_db()
    assert deviation.handler == org.employee_a1x


def test_advisor_in_the_sector_is_a_candidate_except_on_personal_data_cases(org, advisor_in_sector):
    plain = report(org)
    private = report(org, contains_personal_data=True)
    assert advisor_in_sector in handler_candidates(plain)
    assert advisor_in_sector in responsible_candidates(plain.unit, plain)
    assert advisor_in_sector not in handler_candidates(private)
    assert advisor_in_sector not in responsible_candidates(private.unit, private)
    with pytest.raises(ValidationError):
        services.assign_handler(actor=org.leader_a1, deviation=private, handler=advisor_in_sector)


def test_sharing_a_personal_data_case_makes_the_advisor_a_candidate(org):
    private = report(org, contains_personal_data=True)
    services.share_deviation(actor=org.leader_a1, deviation=private, user=org.advisor)
    assert org.advisor in handler_candidates(private)
    services.assign_handler(actor=org.leader_a1, deviation=private, handler=org.advisor)
    private.refresh_from_db()
    assert private.handler == org.advisor


def test_an_advisor_who_leads_above_the_unit_stays_a_candidate(org):
    private = report(org, contains_personal_data=True)
    org.leader_a.groups.add(*org.advisor.groups.all())
    assert org.leader_a in handler_candidates(private)


def test_case_page_offers_exactly_the_candidates(org, advisor_in_sector, client_for):
    private = report(org, contains_personal_data=True)
    page = client_for(org.leader_a1).get(f"/avvik/{private.pk}/")
    form = page.context["handler_form"]
    assert set(form.fields["handler"].queryset) == set(handler_candidates(private))
    assert set(page.context["action_form"].fields["responsible"].queryset) == set(
        responsible_candidates(private.unit, private)
    )
    assert f'value="{advisor_in_sector.pk}"' not in page.content.decode()
