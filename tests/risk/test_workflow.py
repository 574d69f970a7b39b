from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from qms import hooks
from risk import services
from risk.models import RiskAssessment, RiskEvent, RiskItem, RiskMeasure
from risk.services import RiskError
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


def _measure(org, item, who=None):
    return services.add_measure(
        actor=who or org.leader_a1,
        item=item,
        description="Innføre strekkodeskanning",
        responsible=org.employee_a1,
        deadline=date.today() + timedelta(days=30),
    )


def test_untreated_high_risk_blocks_activation_until_it_has_a_measure(org, assessment):
    high = services.add_item(
        actor=org.leader_a1, assessment=assessment, **item_values(probability=4)
    )
    services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(probability=1))
    with pytest.raises(RiskError) as err:
        services.activate(actor=org.leader_a1, assessment=assessment)
    assert "uten tiltak: 1" in " ".join(err.value.messages)
    assert list(RiskItem.objects.untreated(13)) == [high]
    measure = _measure(org, high)
    assert measure.action.unit == org.unit_a1 and measure.action.deviation is None
    assessment = services.activate(
        actor=org.leader_a1, assessment=assessment, today=date(2026, 11, 23)
    )
    assert assessment.status == "active"
    assert assessment.next_review == date(2027, 11, 23)


def test_unaccepted_residual_risk_blocks_activation(org, assessment):
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=5, residual_probability=4, residual_consequence=4),
    )
    _measure(org, item)
    with pytest.raises(RiskError) as err:
        services.activate(actor=org.leader_a1, assessment=assessment)
    assert "ikke har akseptert" in " ".join(err.value.messages)
    services.accept_residual_risk(actor=org.leader_a1, item=item, reason="Vurdert som akseptabel")
    assert services.activate(actor=org.leader_a1, assessment=assessment).status == "active"


def test_an_empty_assessment_cannot_be_activated(org, assessment):
    with pytest.raises(RiskError):
        services.activate(actor=org.leader_a1, assessment=assessment)


def test_participant_adds_a_measure_that_shows_on_the_action_page(org, assessment, rf):
    item = services.add_item(actor=org.employee_a1x, assessment=assessment, **item_values())
    measure = _measure(org, item, who=org.employee_a1x)
    request = rf.get("/")
    request.user = org.leader_a1
    panels = hooks.detail_panels_for(request, measure.action)
    assert any(item in p.context.get("items", []) for p in panels)
    request.user = org.employee_b1
    assert not any(p.context.get("items") for p in hooks.detail_panels_for(request, measure.action))
    with pytest.raises(PermissionDenied):
        _measure(org, item, who=org.employee_a1)


def test_new_revision_copies_items_and_keeps_the_old_one_read_only(org, assessment):
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=5, residual_probability=3, residual_consequence=5),
    )
    measure = _measure(org, item)
    services.accept_residual_risk(actor=org.leader_a1, item=item, reason="Grunn")
    services.activate(actor=org.leader_a1, assessment=assessment)
    copy = services.new_revision(actor=org.leader_a1, assessment=assessment)
    assert (copy.revision, copy.status, copy.previous) == (2, "draft", assessment)
    new_item = copy.items.get()
    assert (new_item.score, new_item.residual_score) == (item.score, item.residual_score)
    assert RiskMeasure.objects.get(item=new_item).action == measure.action
    assert new_item.accepted_by is None  # the leader accepts again in the new revision
    assert list(copy.participants.all()) == [org.employee_a1x]
    assert services.is_read_only(assessment)
    with pytest.raises(RiskError):
        services.add_item(actor=org.leader_a1, assessment=assessment, **item_values())
    with pytest.raises(RiskError):
        services.update_item(actor=org.leader_a1, item=item, probability=1)
    with pytest.raises(RiskError):
        services.new_revision(actor=org.leader_a1, assessment=assessment)
    services.accept_residual_risk(actor=org.leader_a1, item=new_item, reason="Fortsatt ok")
    services.activate(actor=org.leader_a1, assessment=copy)
    assessment.refresh_from_db()
    assert assessment.status == "archived"
    assert RiskEvent.objects.filter(assessment=assessment, kind="archived").exists()


def test_a_draft_is_not_revised(org, assessment):
    with pytest.raises(RiskError):
        services.new_revision(actor=org.leader_a1, assessment=assessment)


def test_items_are_removed_only_from_drafts(org, assessment):
    item = services.add_item(actor=org.leader_a1, assessment=assessment, **item_values())
    services.remove_item(actor=org.leader_a1, item=item)
    assert not RiskItem.objects.exists()
    assert RiskEvent.objects.filter(kind="item_removed").count() == 1


def test_review_task_for_the_leader(org, assessment):
    RiskAssessment.objects.filter(pk=assessment.pk).update(
        status="active", next_review=date.today() + timedelta(days=10)
    )
    titles = [t.title for t in hooks.tasks_for(org.leader_a1)]
    assert any("Legemiddelhåndtering" in t for t in titles)
    assert not any(
        "Legemiddelhåndtering" in t for t in [x.title for x in hooks.tasks_for(org.leader_b1)]
    )
