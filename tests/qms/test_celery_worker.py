"""A real Celery worker on the real Redis broker delivers the notification outbox once."""

import pytest

from qms.models import Notification
from tests.celery_worker import Worker, redis_available, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    if not redis_available():
        pytest.fail("Redis is not answering at REDIS_URL; the worker tests need the real broker")
    w = Worker(tmp_path / "mail")
    w.start()
    yield w
    w.stop()


def test_worker_sends_the_email_once_even_when_the_task_is_delivered_twice(org, worker):
    # Outbox rows as notify() leaves them (its own after-commit send runs in-process here).
    notification = Notification.objects.create(
        recipient=org.employee_a1, kind="test", subject="Påminnelse", body="Hei"
    )
    worker.send("qms.tasks.send_notification_email", notification.pk)
    worker.send("qms.tasks.send_notification_email", notification.pk)
    assert wait_until(lambda: Notification.objects.get(pk=notification.pk).email_status == "sent")
    worker.send("qms.tasks.flush_outbox")
    # Wait for the flush to have run, then count the e-mails written by the worker.
    marker = Notification.objects.create(recipient=org.employee_a1, kind="test", subject="Markør")
    worker.send("qms.tasks.flush_outbox")
    assert wait_until(lambda: Notification.objects.get(pk=marker.pk).email_status == "sent")
    mails = list(worker.mail_dir.glob("*.log"))
    text = "".join(p.read_text() for p in mails)
    assert text.count("Subject: =?utf-8?q?P=C3=A5minnelse?=") == 1
    assert text.count("Subject: =?utf-8?q?Mark=C3=B8r?=") == 1


def test_outbox_left_pending_by_a_failed_enqueue_is_sent_by_the_flush(org, worker):
    notification = Notification.objects.create(
        recipient=org.employee_b1, kind="test", subject="Ventet", email_status="pending"
    )
    worker.send("qms.tasks.flush_outbox")
    assert wait_until(lambda: Notification.objects.get(pk=notification.pk).email_status == "sent")
