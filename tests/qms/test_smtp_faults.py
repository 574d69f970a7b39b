"""The outbox against a real local SMTP server (aiosmtpd) that answers 451, 554 or accepts.

A 4xx or a refused connection is retried with growing back-off for 48 hours; a 5xx fails at
once, is listed for admins and can be sent again by hand; nothing is ever sent twice.
"""

from __future__ import annotations

import re
import socket
import time
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from qms import notifications
from qms.models import Notification
from qms.tasks import flush_outbox, send_notification_email
from tests.celery_worker import free_port, fresh_producer_pool

pytestmark = pytest.mark.django_db


class Handler:
    """Answers RCPT with ``reply`` ("451 ...", "554 ...") or accepts and keeps the message."""

    def __init__(self):
        self.reply: str | None = None
        self.received: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted"


@pytest.fixture
def smtp(settings):
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    handler.port = controller.port
    yield handler
    controller.stop()


def outbox_row(org, **extra) -> Notification:
    return Notification.objects.create(
        recipient=org.employee_a1, kind="test", subject="Til godkjenning", url="/x/", **extra
    )


def make_due(n: Notification) -> None:
    """The back-off has passed (the clock moved on)."""
    Notification.objects.filter(pk=n.pk).update(email_next_attempt_at=timezone.now())


def test_451_is_retried_with_growing_back_off_and_sent_once_when_the_server_accepts(org, smtp):
    smtp.reply = "451 4.3.0 Mailbox busy, try again later"
    n = outbox_row(org)
    delays = []
    for _ in range(5):
        before = timezone.now()
        assert send_notification_email(n.pk) is False
        n.refresh_from_db()
        assert n.email_status == "pending"
        assert "451" in n.last_error
        delays.append(n.email_next_attempt_at - before)
        assert flush_outbox() == 0  # not due yet: the flush leaves it alone
        make_due(n)
    assert [round(d.total_seconds() / 60) for d in delays] == [5, 10, 20, 40, 80]
    smtp.reply = None
    assert flush_outbox() == 1
    assert flush_outbox() == 0
    assert send_notification_email(n.pk) is False
    n.refresh_from_db()
    assert (n.email_status, n.email_attempts) == ("sent", 6)
    assert len(smtp.received) == 1


def test_a_refused_connection_is_temporary(org, smtp, settings):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    n = outbox_row(org)
    assert send_notification_email(n.pk) is False
    n.refresh_from_db()
    assert n.email_status == "pending" and n.email_next_attempt_at > timezone.now()


def test_temporary_failures_are_retried_for_48_hours_then_fail(org, smtp):
    smtp.reply = "451 4.3.0 Try again later"
    young = outbox_row(org)
    Notification.objects.filter(pk=young.pk).update(created_at=timezone.now() - timedelta(hours=47))
    old = outbox_row(org)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=48))
    send_notification_email(young.pk)
    send_notification_email(old.pk)
    assert Notification.objects.get(pk=young.pk).email_status == "pending"
    assert Notification.objects.get(pk=old.pk).email_status == "failed"
    assert notifications.retry_delay(30) == timedelta(hours=4)  # the back-off stops growing


def test_554_fails_at_once_is_listed_for_admins_and_sent_again_by_hand(org, smtp, client):
    smtp.reply = "554 5.7.1 Relay access denied"
    n = outbox_row(org)
    assert send_notification_email(n.pk) is False
    n.refresh_from_db()
    assert (n.email_status, n.email_attempts) == ("failed", 1)
    assert "554" in n.last_error
    assert flush_outbox() == 0
    client.force_login(org.admin)
    listing = client.get("/admin/qms/notification/", {"email_status__exact": "failed"})
    assert "Relay access denied" in listing.content.decode()
    smtp.reply = None  # the admin fixed the relay
    r = client.post(
        "/admin/qms/notification/",
        {"action": "retry_email", "_selected_action": [n.pk]},
        follow=True,
    )
    assert "1 e-poster lagt i køen igjen" in r.content.decode()
    assert flush_outbox() == 1
    assert flush_outbox() == 0
    assert len(smtp.received) == 1


def test_the_email_is_an_automatic_message_with_a_link_and_no_case_text(org, smtp, settings):
    settings.SITE_URL = "https://kvalitet.kommune.no"
    n = notifications.notify(
        org.leader_a1,
        kind="action.overdue",
        subject="Tiltak har passert fristen",
        body="Beboer Ola Nordmann fikk feil medisin",
        url="/avvik/tiltak/7/",
    )
    assert send_notification_email(n.pk) is True
    (message,) = smtp.received
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@kvalitet.kommune.no>")
    text = message.get_payload(decode=True).decode()
    assert "https://kvalitet.kommune.no/avvik/tiltak/7/" in text
    assert "Ola Nordmann" not in text
    # A reminder's subject carries its date: the next step's e-mail is told apart.
    assert timezone.localdate().strftime("%d.%m.%Y") in message["Subject"]


@pytest.fixture
def web_process():
    """Celery as the web process has it in production: tasks go on a queue (here an in-memory
    one that no worker reads) instead of running in the request; the test plays the worker."""
    from qms.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "memory://", False
    fresh_producer_pool(app)
    yield
    app.conf.broker_url, app.conf.task_always_eager = previous
    fresh_producer_pool(app)


@pytest.fixture
def hung_smtp(settings):
    """A mail server that accepts the connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 3
    yield
    listener.close()


def ask_for_a_new_password(client, capture) -> float:
    start = time.monotonic()
    with capture(execute=True):  # the request's transaction commits
        response = client.post("/konto/password_reset/", {"email": "employee_a1@example.no"})
    waited = time.monotonic() - start
    assert response.status_code == 302
    assert response["Location"] == "/konto/password_reset/done/"
    return waited


def test_a_password_reset_is_retried_after_451_and_its_link_comes_from_the_site_url(
    org, smtp, settings, client, web_process, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kvalitet.kommune.no"
    smtp.reply = "451 4.3.0 Mailbox busy, try again later"
    ask_for_a_new_password(client, django_capture_on_commit_callbacks)  # Host: testserver
    n = Notification.objects.get(recipient=org.employee_a1, kind=notifications.PASSWORD_RESET)
    assert send_notification_email(n.pk) is False  # the worker meets the 451
    n.refresh_from_db()
    assert n.email_status == "pending" and "451" in n.last_error
    assert smtp.received == []
    smtp.reply = None
    make_due(n)
    assert flush_outbox() == 1
    assert flush_outbox() == 0
    (message,) = smtp.received
    assert message["To"] == "employee_a1@example.no"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@kvalitet.kommune.no>")
    text = message.get_payload(decode=True).decode()
    assert "testserver" not in text
    path = re.search(r"https://kvalitet\.kommune\.no(/konto/reset/\S+)", text)[1]
    page = client.get(path, follow=True)
    assert "new_password1" in page.content.decode()  # the link opens the new-password form


def test_a_hung_mail_server_does_not_hold_up_the_password_reset_request(
    org, smtp, hung_smtp, settings, client, web_process, django_capture_on_commit_callbacks
):
    waited = ask_for_a_new_password(client, django_capture_on_commit_callbacks)
    print(f"\n[smtp hung] password reset request answered in {waited:.2f} s")
    assert waited < 1.0
    n = Notification.objects.get(recipient=org.employee_a1, kind=notifications.PASSWORD_RESET)
    assert send_notification_email(n.pk) is False  # the worker times out: a temporary failure
    n.refresh_from_db()
    assert n.email_status == "pending"
    settings.EMAIL_PORT = smtp.port  # the mail server answers again
    make_due(n)
    assert flush_outbox() == 1
    assert len(smtp.received) == 1
