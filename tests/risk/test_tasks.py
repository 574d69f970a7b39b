from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from qms.models import Notification, Reminder
from qms.sweeps import beat_schedule
from risk import services
from risk.models import RiskAssessment
from risk.querysets import risk_profile
from risk.tasks import send_review_reminders
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


def test_the_sweep_is_scheduled_under_its_fixed_name():
    assert "risk.tasks.send_review_reminders" in beat_schedule()


def test_review_reminder_task_sends_exactly_once_even_when_delivered_twice(
    org, assessment, django_capture_on_commit_callbacks
):
    RiskAssessment.objects.filter(pk=assessment.pk).update(
        status="active", next_review=timezone.localdate() + timedelta(days=20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 0  # the same task delivered again
    assert Reminder.objects.filter(kind__startswith="risk.review").count() == 1
    note = Notification.objects.get(kind="risk.review_due")
    assert note.recipient == org.leader_a1
    assert note.url == assessment.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[org.leader_a1.email]]


def test_a_sweep_that_missed_days_catches_up_once(org, assessment):
    RiskAssessment.objects.filter(pk=assessment.pk).update(
        status="active", next_review=date(2027, 1, 10)
    )
    # Beat was down from December to after the review date: one reminder, not one per day.
    assert services.send_review_reminders(today=date(2027, 1, 12)) == 1
    assert services.send_review_reminders(today=date(2027, 1, 13)) == 0


def test_a_unit_without_a_leader_reminds_the_nearest_leader(org):
    assessment = services.create_assessment(
        actor=org.leader_a1,
        unit=org.dept_a1x,
        title="Avdeling",
        activity="x",
        assessed_on=date(2026, 1, 1),
    )
    RiskAssessment.objects.filter(pk=assessment.pk).update(
        status="active", next_review=date(2027, 1, 10)
    )
    assert services.send_review_reminders(today=date(2027, 1, 1)) == 1
    assert Notification.objects.get(kind="risk.review_due").recipient == org.leader_a1


def test_risk_profile_counts_cells_inherent_and_residual(org, assessment):
    services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=4, residual_probability=2, residual_consequence=4),
    )
    services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(probability=4))
    services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=1, consequence_people=2, consequence_economy=None),
    )
    from risk.models import RiskItem

    profile = risk_profile(RiskItem.objects.restrict(org.committee))
    assert profile.inherent == {(4, 4): 2, (1, 2): 1}
    assert profile.residual == {(2, 4): 1}
    assert (profile.no_residual, profile.total) == (2, 3)
    assert risk_profile(RiskItem.objects.restrict(org.employee_b1)).total == 0
