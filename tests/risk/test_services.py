from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from qms.models import Reminder
from risk import services
from risk.matrix import matrix_for
from risk.models import RiskAssessment, RiskEvent, RiskItem, RiskMatrixChange
from risk.services import RiskError
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


def test_score_is_probability_times_the_worst_consequence_type(org, assessment):
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=3, consequence_people=2, consequence_reputation=4),
    )
    assert (item.consequence, item.score) == (4, 12)
    assert item.number == 1
    assert RiskEvent.objects.filter(assessment=assessment, kind="item_added").count() == 1


@pytest.mark.parametrize("size", [3, 4, 5, 6])
def test_scoring_for_every_matrix_size(org, matrix, size):
    matrix.size = size
    matrix.action_threshold = min(13, size * size)
    matrix.save()
    assessment = services.create_assessment(
        actor=org.leader_a1, unit=org.unit_a1, title="T", activity="A", assessed_on=date.today()
    )
    top = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=size, consequence_people=size, consequence_economy=1),
    )
    assert top.score == size * size
    low = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=1, consequence_people=1, consequence_economy=None),
    )
    assert low.score == 1
    with pytest.raises(RiskError) as err:
        services.add_item(
            actor=org.leader_a1,
            assessment=assessment,
            **item_values(probability=size + 1),
        )
    assert "probability" in err.value.message_dict
    m = matrix_for(org.unit_a1)
    assert m.size == size and len(m.probability_labels) == size


def test_threshold_rule_default_13(org, assessment):
    m = matrix_for(org.unit_a1)
    assert m.action_threshold == 13
    assert not m.requires_measures(12)
    assert m.requires_measures(13)
    high = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=4, consequence_people=4),
    )
    services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=3, consequence_people=4),
    )
    assert list(RiskItem.objects.untreated(13)) == [high]


@pytest.mark.parametrize(
    "bad",
    [
        {"probability": 0},
        {"probability": 7},
        {"probability": "3"},
        {"probability": None},
        {"consequence_people": None, "consequence_economy": None},
        {"residual_probability": 2},
        {"hazard": "   "},
    ],
)
def test_invalid_scores_are_refused_and_nothing_is_stored(org, assessment, bad):
    with pytest.raises(RiskError):
        services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(**bad))
    assert not RiskItem.objects.exists()


def test_residual_score_and_its_acceptance_by_the_leader(org, assessment):
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(
            probability=5, consequence_people=5, residual_probability=3, residual_consequence=5
        ),
    )
    assert item.residual_score == 15
    assert list(RiskItem.objects.residual_unaccepted(13)) == [item]
    # A participant edits, but the formal acceptance is the leader's.
    with pytest.raises(PermissionDenied):
        services.accept_residual_risk(actor=org.employee_a1x, item=item, reason="OK")
    with pytest.raises(RiskError):
        services.accept_residual_risk(actor=org.leader_a1, item=item, reason=" ")
    item = services.accept_residual_risk(
        actor=org.leader_a1, item=item, reason="Kostnaden ved videre tiltak er uforholdsmessig"
    )
    assert item.accepted_by == org.leader_a1 and item.accepted_at is not None
    assert not RiskItem.objects.residual_unaccepted(13).exists()
    # New residual scores clear the acceptance: it was given for other scores.
    item = services.update_item(actor=org.employee_a1x, item=item, residual_probability=4)
    assert item.residual_score == 20 and item.accepted_by is None
    assert RiskEvent.objects.filter(kind="acceptance_cleared").count() == 1


def test_a_residual_below_the_threshold_needs_no_acceptance(org, assessment):
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(residual_probability=2, residual_consequence=2),
    )
    with pytest.raises(RiskError):
        services.accept_residual_risk(actor=org.leader_a1, item=item, reason="Ok")


def test_only_leaders_of_the_unit_create_assessments(org):
    for user in (org.employee_a1, org.leader_b1, org.advisor):
        with pytest.raises(PermissionDenied):
            services.create_assessment(
                actor=user, unit=org.unit_a1, title="T", activity="A", assessed_on=date.today()
            )
    # The sector leader leads the unit's subtree.
    services.create_assessment(
        actor=org.leader_a, unit=org.unit_a1, title="T", activity="A", assessed_on=date.today()
    )


def test_employee_outside_the_participants_cannot_edit(org, assessment):
    with pytest.raises(PermissionDenied):
        services.add_item(actor=org.employee_a1, assessment=assessment, **item_values())
    services.add_item(actor=org.employee_a1x, assessment=assessment, **item_values())


def test_matrix_change_rescales_scores_and_is_logged(org, matrix, assessment):
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(
            probability=5,
            consequence_people=3,
            consequence_economy=1,
            residual_probability=2,
            residual_consequence=3,
        ),
    )
    change = services.update_matrix(actor=org.admin, matrix=matrix, size=3, action_threshold=6)
    item.refresh_from_db()
    # 5 of 5 -> 3 of 3; 3 of 5 -> 2 of 3; 2 of 5 -> 2 of 3 (rounded half up); 1 stays 1.
    assert (item.probability, item.consequence_people, item.consequence_economy) == (3, 2, 1)
    assert (item.consequence, item.score) == (2, 6)
    assert (item.residual_probability, item.residual_consequence, item.residual_score) == (2, 2, 4)
    assert change.items_rescored == 1
    assert change.before["size"] == 5 and change.after["size"] == 3
    assert change.changed_by == org.admin
    assert RiskEvent.objects.filter(assessment=assessment, kind="rescored").exists()
    # A threshold change alone moves no score but is logged.
    change = services.update_matrix(actor=org.admin, matrix=matrix, action_threshold=4)
    assert change.items_rescored == 0 and change.after["action_threshold"] == 4
    assert RiskMatrixChange.objects.count() == 2
    assert services.update_matrix(actor=org.admin, matrix=matrix, action_threshold=4) is None


def test_matrix_threshold_above_the_largest_score_is_refused(org, matrix):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_matrix(actor=org.admin, matrix=matrix, size=3, action_threshold=13)
    matrix.refresh_from_db()
    assert matrix.size == 5


@pytest.mark.parametrize("size", [3, 4, 5, 6])
def test_rescale_keeps_the_ends_of_the_scale(size):
    for old in (3, 4, 5, 6):
        assert services.rescale(1, old, size) == 1
        assert services.rescale(old, old, size) == size


def test_review_reminder_is_sent_once_a_month_ahead(org, assessment, mailoutbox):
    RiskAssessment.objects.filter(pk=assessment.pk).update(
        status="active", next_review=date(2027, 3, 1)
    )
    assert services.send_review_reminders(today=date(2027, 1, 30)) == 0
    assert services.send_review_reminders(today=date(2027, 2, 1)) == 1
    assert services.send_review_reminders(today=date(2027, 2, 1)) == 0
    assert services.send_review_reminders(today=date(2027, 2, 20)) == 0
    assert Reminder.objects.count() == 1
    notes = org.leader_a1.notifications.filter(kind="risk.review_due")
    assert notes.count() == 1
    # A moved review date is a new review: one new reminder.
    RiskAssessment.objects.filter(pk=assessment.pk).update(next_review=date(2028, 3, 1))
    assert services.send_review_reminders(today=date(2028, 2, 2)) == 1
    assert services.send_review_reminders(today=date(2028, 2, 3)) == 0


def test_drafts_and_archived_assessments_get_no_review_reminder(org, assessment):
    RiskAssessment.objects.filter(pk=assessment.pk).update(next_review=date(2027, 3, 1))
    assert services.send_review_reminders(today=date(2027, 3, 1)) == 0
    RiskAssessment.objects.filter(pk=assessment.pk).update(status="archived")
    assert services.send_review_reminders(today=date(2027, 3, 1)) == 0


def test_cell_colour_change_is_logged_and_used(org, matrix):
    before = services.snapshot(matrix)
    matrix.cells.create(probability=1, consequence=5, colour="#ff0000", label="Kritisk")
    change = services.record_matrix_change(actor=org.advisor, matrix=matrix, before=before)
    assert change.items_rescored == 0
    assert change.after["cells"] == [[1, 5, "#ff0000", "Kritisk"]]
    m = matrix_for(org.unit_a1)
    assert m.cell(1, 5) == ("#ff0000", "Kritisk")
    assert m.cell(5, 5)[1] == "Høy"  # the bands still colour the other cells
    assert m.cell(1, 1)[1] == "Lav"


def close_unit(unit):
    unit.is_active = False
    unit.save(update_fields=["is_active"])


def test_no_assessment_is_started_in_a_closed_unit(org, api_for):
    """The form never offered a closed unit, but the service let its leader above use it; both
    now ask the one create rule (qms.permissions.can_create / creatable_units)."""
    from qms import permissions

    close_unit(org.dept_a1x)
    assert org.dept_a1x not in permissions.creatable_units(org.leader_a, RiskAssessment)
    with pytest.raises(PermissionDenied):
        services.create_assessment(
            actor=org.leader_a, unit=org.dept_a1x, title="T", activity="A", assessed_on=date.today()
        )
    answer = api_for(org.leader_a).post(
        "/api/v1/risk-assessments/",
        {"title": "T", "unit": org.dept_a1x.pk, "activity": "A", "assessed_on": "2026-11-01"},
        format="json",
    )
    assert answer.status_code == 403
    assert not RiskAssessment.objects.filter(unit=org.dept_a1x).exists()


def test_a_participant_adds_a_measure_through_the_assessment_as_source(org, assessment):
    """Measures are actions created for the assessment: whoever may change it may add them,
    in its unit only — there is no switch that skips the check."""
    from deviations import services as deviation_services

    item = services.add_item(actor=org.employee_a1x, assessment=assessment, **item_values())
    measure = services.add_measure(
        actor=org.employee_a1x,
        item=item,
        description="Dobbeltkontroll",
        responsible=org.employee_a1,
        deadline=date.today(),
    )
    assert measure.action.unit == org.unit_a1
    fields = {"description": "x", "responsible": org.employee_a1, "deadline": date.today()}
    with pytest.raises(PermissionDenied):
        deviation_services.create_action(
            actor=org.employee_a1, unit=org.unit_a1, source=assessment, **fields
        )
    with pytest.raises(PermissionDenied):  # the source's editor, but in another unit
        deviation_services.create_action(
            actor=org.employee_a1x, unit=org.unit_a2, source=assessment, **fields
        )
