"""The escalation sweep on a real Celery worker and Redis: kills, duplicates, a dead broker."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from email import message_from_string, policy

import pytest
from django.utils import timezone

from deviations.models import CorrectiveAction, Deviation
from qms.models import Notification, Reminder, User
from tests.celery_worker import (
    Worker,
    fresh_producer_pool,
    redis_available,
    sent_messages,
    wait_until,
)
from tests.deviations.conftest import escalation_ledger, overdue_actions

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

SWEEP = "deviations.tasks.escalate_overdue_actions"


@pytest.fixture
def worker(tmp_path):
    if not redis_available():
        pytest.fail("Redis is not answering at REDIS_URL; the worker tests need the real broker")
    w = Worker(tmp_path / "mail")
    w.start()
    yield w
    w.stop()


def sent_reminders(worker) -> Counter:
    """Recipients of the overdue and escalation e-mails the worker wrote (the file backend)."""
    text = "".join(p.read_text() for p in worker.mail_dir.glob("*.log"))
    mails = [
        message_from_string(chunk.strip(), policy=policy.default)
        for chunk in text.split("-" * 79)
        if chunk.strip()
    ]
    return Counter(mail["To"] for mail in mails if "passert fristen" in mail["Subject"])


def overdue_notifications() -> int:
    return Notification.objects.filter(kind__in=["action.overdue", "action.escalated"]).count()


def test_worker_killed_mid_sweep_then_restarted_sends_each_step_once(org, worker):
    n = 300
    overdue_actions(org, n, days_late=1)
    worker.send(SWEEP)
    assert wait_until(lambda: Reminder.objects.exists(), timeout=60, interval=0.02)
    worker.kill()
    at_kill = Reminder.objects.count()
    # A fresh worker; the sweep is sent again (beat's next tick, or the broker's redelivery).
    worker.start()
    worker.send(SWEEP)
    assert wait_until(lambda: Reminder.objects.count() == n, timeout=120)
    worker.send(SWEEP)
    worker.send(SWEEP)
    marker = Notification.objects.create(recipient=org.employee_a1, kind="test", subject="Markør")
    worker.send("qms.tasks.send_notification_email", marker.pk)
    assert wait_until(lambda: Notification.objects.get(pk=marker.pk).email_status == "sent")
    assert set(escalation_ledger().values()) == {1}
    assert overdue_notifications() == n
    # The kill came mid-sweep (some reminders sent, not all), so the restart had work to finish.
    assert 0 < at_kill < n


def test_the_same_sweep_delivered_twice_sends_once(org, worker):
    # Every e-mail at once (the default would collect most of these 60 in a daily digest).
    User.objects.update(email_mode="immediate")
    overdue_actions(org, 20, days_late=20)  # all three steps due at once
    worker.send(SWEEP)
    worker.send(SWEEP)
    assert wait_until(lambda: Reminder.objects.count() == 60, timeout=60)
    marker = Notification.objects.create(recipient=org.employee_a1, kind="test", subject="Markør")
    worker.send("qms.tasks.send_notification_email", marker.pk)
    assert wait_until(lambda: Notification.objects.get(pk=marker.pk).email_status == "sent")
    assert set(escalation_ledger().values()) == {1}
    assert overdue_notifications() == 60
    # The e-mails go out once each through the outbox (the worker's own after-commit sends go to
    # the default queue, which this test worker does not read; the flush picks them up).
    worker.send("qms.tasks.flush_outbox")
    # Until every one is marked sent: one that is claimed but still being sent ("sending") has
    # not reached the mail file yet.
    assert wait_until(
        lambda: (
            Notification.objects.filter(
                kind__in=["action.overdue", "action.escalated"], email_status="sent"
            ).count()
            == 60
        )
    )
    # Each action's three steps reached their three people once each: the responsible, the
    # nearest leader, the leader above.
    assert sent_reminders(worker) == {
        "employee_a1@example.no": 20,
        "leader_a1@example.no": 20,
        "leader_a@example.no": 20,
    }


def test_beat_down_for_ten_days_catches_up_once(org, worker):
    actions = overdue_actions(org, 5, days_late=0)  # deadline today: nothing due yet
    start = timezone.localdate()
    # Beat ticks on day 0 and 1, then is down for ten days, then ticks daily again.
    days = [0, 1, *range(12, 20)]
    for day in days:
        worker.send(SWEEP, (start + timedelta(days=day)).isoformat())
    assert wait_until(lambda: Reminder.objects.count() == 15, timeout=60)
    marker = Notification.objects.create(recipient=org.employee_a1, kind="test", subject="Markør")
    worker.send("qms.tasks.send_notification_email", marker.pk)
    assert wait_until(lambda: Notification.objects.get(pk=marker.pk).email_status == "sent")
    assert set(escalation_ledger().values()) == {1}
    assert {step for _, step in escalation_ledger()} == {0, 1, 2}
    assert CorrectiveAction.objects.filter(escalation_step=3).count() == len(actions)


def test_report_is_saved_when_the_broker_is_unreachable_and_mailed_later(
    org, client, tmp_path, settings
):
    from qms.celery import app

    # The web process talks to a broker that is not there (Redis stopped / wrong URL).
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager = False
    fresh_producer_pool(app)
    try:
        client.force_login(org.employee_a1)
        response = client.post(
            "/avvik/meld/",
            {
                "kind": "deviation",
                "title": "Broker nede",
                "description": "Meldt mens Redis var nede",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "unit": org.unit_a1.pk,
                "severity": "2",
            },
        )
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        fresh_producer_pool(app)
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    notification = Notification.objects.get(recipient=org.leader_a1, kind="deviation.reported")
    assert notification.email_status == "pending"
    # The broker is back: the outbox flush (beat, every five minutes) sends it, once.
    if not redis_available():
        pytest.fail("Redis is not answering at REDIS_URL")
    worker = Worker(tmp_path / "mail")
    worker.start()
    try:
        worker.send("qms.tasks.flush_outbox")
        worker.send("qms.tasks.flush_outbox")
        assert wait_until(
            lambda: Notification.objects.get(pk=notification.pk).email_status == "sent"
        )
    finally:
        worker.stop()
    subjects = [str(m["Subject"]) for m in sent_messages(tmp_path / "mail")]
    assert [s for s in subjects if deviation.number in s] == [notification.subject]
