import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from qms import notifications, reminders
from qms.models import Notification, Reminder
from qms.tasks import flush_outbox, send_notification_email

pytestmark = pytest.mark.django_db


def test_email_waits_in_the_outbox_when_the_broker_is_down(
    org, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(send_notification_email, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        n = notifications.notify(org.employee_a1, kind="t", subject="Venter på broker")
    assert Notification.objects.get(pk=n.pk).email_status == "pending"
    assert mail.outbox == []
    monkeypatch.undo()
    assert flush_outbox() == 1
    assert [m.subject for m in mail.outbox] == ["Venter på broker"]
    assert flush_outbox() == 0


def test_a_second_delivery_of_the_same_email_task_sends_nothing(org):
    n = Notification.objects.create(recipient=org.employee_a1, kind="t", subject="En gang")
    assert send_notification_email(n.pk) is True
    assert send_notification_email(n.pk) is False
    assert len(mail.outbox) == 1


def test_an_abandoned_claim_is_retried_after_the_timeout(org, settings):
    n = Notification.objects.create(
        recipient=org.employee_a1,
        kind="t",
        subject="Foreldet",
        email_status="sending",
        email_claimed_at=timezone.now() - settings.REMINDER_CLAIM_TIMEOUT * 2,
    )
    fresh = Notification.objects.create(
        recipient=org.employee_a1,
        kind="t",
        subject="Fersk",
        email_status="sending",
        email_claimed_at=timezone.now(),
    )
    flush_outbox()
    assert Notification.objects.get(pk=n.pk).email_status == "sent"
    assert Notification.objects.get(pk=fresh.pk).email_status == "sending"


def test_failed_smtp_leaves_the_email_pending_with_the_error(org, settings):
    settings.EMAIL_BACKEND = "tests.qms.test_notifications.BrokenBackend"
    n = Notification.objects.create(recipient=org.employee_a1, kind="t", subject="Feiler")
    assert send_notification_email(n.pk) is False
    n.refresh_from_db()
    assert n.email_status == "pending"
    assert n.email_attempts == 1
    assert "SMTP nede" in n.last_error


def test_user_without_email_gets_in_app_notification_only(org):
    org.employee_a1.email = ""
    org.employee_a1.save()
    n = notifications.notify(org.employee_a1, kind="t", subject="Bare i appen")
    assert n.email_status == "none"


def test_reminder_ledger_claims_once_per_object_kind_and_step(org):
    assert reminders.claim(org.unit_a1, "test", 0) is not None
    assert reminders.claim(org.unit_a1, "test", 0) is None
    assert reminders.claim(org.unit_a1, "test", 1) is not None
    assert reminders.claim(org.unit_b1, "test", 0) is not None
    assert Reminder.objects.count() == 3
    assert reminders.was_sent(org.unit_a1, "test", 1)


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP nede")


def test_run_sweeps_runs_the_outbox_flush(org):
    from io import StringIO

    from django.core.management import call_command

    Notification.objects.create(recipient=org.employee_a1, kind="t", subject="Fra sveip")
    out = StringIO()
    call_command("run_sweeps", stdout=out)
    assert "qms.tasks.flush_outbox: 1" in out.getvalue()
    assert [m.subject for m in mail.outbox] == ["Fra sveip"]


def test_beat_schedule_lists_only_tasks_that_exist():
    from qms.sweeps import beat_schedule

    schedule = beat_schedule()
    assert "qms.tasks.flush_outbox" in schedule
    assert all(entry["task"] == name for name, entry in schedule.items())


def test_after_a_broker_failure_the_next_enqueues_do_not_wait_on_it(monkeypatch):
    from qms import dispatch
    from qms.celery import app

    calls = []

    def broker_hung(*args, **kwargs):
        calls.append(1)
        raise OperationalError("Timeout reading from 127.0.0.1:6379")

    monkeypatch.setattr(send_notification_email, "apply_async", broker_hung)
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    dispatch.resume_broker()
    try:
        results = [dispatch.enqueue(send_notification_email, pk) for pk in range(5)]
    finally:
        app.conf.task_always_eager = eager
        dispatch.resume_broker()
    assert results == [False] * 5
    assert len(calls) == 1  # one time-out, not five: the rest wait for the outbox sweep
