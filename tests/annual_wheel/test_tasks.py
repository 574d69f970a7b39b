"""Reminders before due and overdue flags: exactly once, and catching up after missed ticks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from annual_wheel import services, tasks
from annual_wheel.models import Occurrence
from qms.models import Notification, Reminder

pytestmark = pytest.mark.django_db


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_reminder_goes_to_the_responsible_once(org, make_activity):
    today = timezone.localdate()
    make_activity(
        org.unit_a1,
        responsible=org.employee_a1,
        start_date=today + timedelta(days=10),
        reminder_days=14,
    )
    first = services.run_reminder_sweep(today)
    second = services.run_reminder_sweep(today)
    assert (first.reminded, second.reminded) == (1, 0)
    assert kinds(org.employee_a1) == [services.REMIND_KIND]
    assert Reminder.objects.filter(kind=services.REMIND_KIND).count() == 1


def test_no_reminder_before_the_lead_time(org, make_activity):
    today = timezone.localdate()
    make_activity(
        org.unit_a1,
        responsible=org.employee_a1,
        start_date=today + timedelta(days=20),
        reminder_days=14,
    )
    assert services.run_reminder_sweep(today).reminded == 0
    assert services.run_reminder_sweep(today + timedelta(days=6)).reminded == 1
    assert kinds(org.employee_a1) == [services.REMIND_KIND]


def test_without_responsible_the_unit_leader_is_reminded(org, make_activity):
    today = timezone.localdate()
    make_activity(org.dept_a1x, start_date=today + timedelta(days=5))
    services.run_reminder_sweep(today)
    # Avdeling A1x has no leader of its own: the nearest leader is Enhet A1's.
    assert kinds(org.leader_a1) == [services.REMIND_KIND]


def test_overdue_is_flagged_to_the_unit_leader_once(org, make_activity):
    today = timezone.localdate()
    activity = make_activity(
        org.unit_a1, responsible=org.employee_a1, start_date=today + timedelta(days=2)
    )
    services.run_reminder_sweep(today)
    later = today + timedelta(days=3)
    assert services.run_reminder_sweep(later).flagged == 1
    assert services.run_reminder_sweep(later).flagged == 0
    assert services.run_reminder_sweep(later + timedelta(days=1)).flagged == 0
    assert kinds(org.leader_a1) == [services.OVERDUE_KIND]
    occ = activity.occurrences.get()
    assert occ.overdue_flagged_at is not None


def test_recorded_occurrence_is_neither_reminded_nor_flagged(org, make_activity):
    today = timezone.localdate()
    activity = make_activity(
        org.unit_a1, responsible=org.employee_a1, start_date=today + timedelta(days=2)
    )
    services.record_occurrence(org.employee_a1, activity.occurrences.get(), "done")
    result = services.run_reminder_sweep(today + timedelta(days=5))
    assert (result.reminded, result.flagged) == (0, 0)
    assert not Notification.objects.exists()


def test_sweep_down_for_ten_days_catches_up_once(org, make_activity):
    today = timezone.localdate()
    make_activity(
        org.unit_a1,
        responsible=org.employee_a1,
        recurrence="weekly",
        start_date=today + timedelta(days=1),
        end_date=today + timedelta(days=1 + 7 * 5),
        reminder_days=7,
    )
    # Nothing ran for ten days: the occurrences on day 1 and 8 passed unrecorded; those on day
    # 15 is within its lead time. Day 22 and later are not yet due for a reminder.
    later = today + timedelta(days=10)
    result = services.run_reminder_sweep(later)
    assert result.flagged == 2
    assert result.reminded == 1
    again = services.run_reminder_sweep(later)
    assert (again.reminded, again.flagged) == (0, 0)
    assert Reminder.objects.count() == 3
    assert sorted(kinds(org.employee_a1)) == [services.REMIND_KIND]
    assert kinds(org.leader_a1).count(services.OVERDUE_KIND) == 2


def test_duplicate_delivery_of_the_task_sends_once(org, make_activity, mailoutbox):
    today = timezone.localdate()
    make_activity(org.unit_a1, responsible=org.employee_a1, start_date=today + timedelta(days=1))
    tasks.send_activity_reminders()
    tasks.send_activity_reminders()
    assert Notification.objects.filter(kind=services.REMIND_KIND).count() == 1


def test_ledger_row_blocks_a_second_send_even_if_the_occurrence_flag_is_lost(org, make_activity):
    today = timezone.localdate()
    activity = make_activity(
        org.unit_a1, responsible=org.employee_a1, start_date=today + timedelta(days=1)
    )
    services.run_reminder_sweep(today)
    # A crash after the claim but before the flag was stored would leave reminded_at empty.
    Occurrence.objects.filter(activity=activity).update(reminded_at=None)
    assert services.run_reminder_sweep(today).reminded == 0
    assert Notification.objects.count() == 1
