"""One exception handler for the whole API: state 409, data 400, permission 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deviations.services import TransitionError
from documents.services import WorkflowError
from qms.api.exceptions import exception_handler
from qms.exceptions import StateError
from risk import services as risk_services
from risk.services import RiskError, RiskStateError
from tests.deviations.conftest import add_action, report
from tests.risk.conftest import item_values


def _answer(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


@pytest.mark.parametrize("error", [TransitionError, WorkflowError, RiskStateError])
def test_every_apps_state_error_is_a_409_with_its_message(error):
    assert issubclass(error, StateError)
    assert _answer(error("Saken er avsluttet.")) == (409, {"detail": "Saken er avsluttet."})


def test_a_state_error_with_several_reasons_lists_them():
    status, data = _answer(RiskStateError(["Ingen risikoforhold.", "Uten tiltak: 1."]))
    assert (status, data) == (409, {"detail": ["Ingen risikoforhold.", "Uten tiltak: 1."]})


def test_data_errors_are_400_by_field_or_as_detail():
    assert _answer(ValidationError({"deadline": "Fristen har passert."})) == (
        400,
        {"deadline": ["Fristen har passert."]},
    )
    assert _answer(RiskError("Matrisen må ha fra 3 til 6 nivåer.")) == (
        400,
        {"detail": ["Matrisen må ha fra 3 til 6 nivåer."]},
    )


def test_permission_denied_is_403_with_the_services_message():
    assert _answer(PermissionDenied("Du har ikke tilgang.")) == (
        403,
        {"detail": "Du har ikke tilgang."},
    )


@pytest.mark.django_db
def test_activating_an_assessment_with_untreated_risks_is_409(org, api_for):
    # The state refuses the change (a high risk without a measure): 409 like closing a case with
    # open actions, not 400 as if the request were malformed.
    assessment = risk_services.create_assessment(
        actor=org.leader_a1,
        unit=org.unit_a1,
        title="Vold",
        activity="Stell",
        assessed_on=timezone.localdate(),
    )
    risk_services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(probability=5))
    response = api_for(org.leader_a1).post(f"/api/v1/risk-assessments/{assessment.pk}/activate/")
    assert response.status_code == 409
    assert "uten tiltak" in str(response.json()["detail"])


@pytest.mark.django_db
def test_completing_a_done_action_is_409_through_the_nested_viewset(org, api_for):
    deviation = report(org)
    action = add_action(org, deviation)
    url = f"/api/v1/deviations/{deviation.pk}/actions/{action.pk}/complete/"
    api = api_for(org.employee_a1)
    assert api.post(url, {"note": "Gjort"}, format="json").status_code == 200
    again = api.post(url, {"note": "Gjort"}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "Tiltaket er allerede markert som utført."}
