"""In-app notifications with their e-mail, sent after commit, exactly once."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from qms.dispatch import enqueue_on_commit
from qms.models import Notification, User

logger = logging.getLogger(__name__)

# A temporary SMTP failure (4xx, connection errors) is retried with growing back-off until the
# notification is this old; a permanent one (5xx) fails at once. Both show in the admin.
EMAIL_RETRY_FOR = timedelta(hours=48)
EMAIL_FIRST_RETRY = timedelta(minutes=5)
EMAIL_MAX_RETRY_INTERVAL = timedelta(hours=4)


def notify(
    recipient: User,
    *,
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Record a notification for ``recipient`` and send its e-mail after commit.

    Call inside the transaction that decides to notify. The row is the outbox: when the broker
    is down the e-mail waits in the database and ``flush_outbox`` sends it later.
    """
    wants_email = email and bool(recipient.email)
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        subject=str(subject)[:200],
        body=str(body),
        url=url,
        email_status=Notification.EmailStatus.PENDING
        if wants_email
        else Notification.EmailStatus.NONE,
    )
    if wants_email:
        from qms.tasks import send_notification_email

        enqueue_on_commit(send_notification_email, notification.pk)
    return notification


def notify_many(recipients: Iterable[User], **kwargs) -> list[Notification]:
    seen: set[int] = set()
    result = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        result.append(notify(user, **kwargs))
    return result


def _outbox_due(now) -> Q:
    """Rows the outbox may claim now: pending and due, or a claim abandoned by a dead worker."""
    stale = now - settings.REMINDER_CLAIM_TIMEOUT
    return Q(email_status=Notification.EmailStatus.PENDING) & (
        Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now)
    ) | Q(email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=stale)


def claim_email(notification_id: int) -> bool:
    """Claim the e-mail of one notification for sending; True for exactly one caller.

    A claim older than ``REMINDER_CLAIM_TIMEOUT`` is considered abandoned (a worker died between
    claim and send) and may be claimed again; a row waiting for its next retry is not due yet.
    """
    now = timezone.now()
    return (
        Notification.objects.filter(_outbox_due(now), pk=notification_id).update(
            email_status=Notification.EmailStatus.SENDING, email_claimed_at=now
        )
        == 1
    )


def is_permanent_failure(exc: BaseException) -> bool:
    """True for an SMTP answer that will not change on retry: a 5xx reply (every recipient
    refused with 5xx counts too). 4xx replies, time-outs and connection errors are temporary."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the ``attempts``-th failure: 5 min, 10, 20, ... up to 4 h between tries."""
    return min(EMAIL_FIRST_RETRY * 2 ** max(attempts - 1, 0), EMAIL_MAX_RETRY_INTERVAL)


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute_url(path: str) -> str:
    """A link into the site for an e-mail, always from the configured ``SITE_URL``."""
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else ""


def email_subject(notification: Notification) -> str:
    """The subject line; a reminder carries its date, so two reminders of one thing differ."""
    if not is_reminder(notification.kind):
        return notification.subject
    day = formats.date_format(timezone.localdate(notification.created_at), "SHORT_DATE_FORMAT")
    return f"{notification.subject} ({day})"


def is_reminder(kind: str) -> bool:
    """Reminders and escalations: what the sweeps send (the reminder ledger's notifications)."""
    return kind in REMINDER_KINDS


# The notification kinds the apps' sweeps write (deviations, documents, risk, annual_wheel).
REMINDER_KINDS = frozenset(
    {
        "action.overdue",
        "action.escalated",
        "documents.revision_notice",
        "documents.revision_due",
        "documents.read_overdue",
        "risk.review_due",
        "annual_wheel.due",
        "annual_wheel.overdue",
    }
)


def build_email(notification: Notification) -> EmailMessage:
    """The e-mail of one notification, as mail systems expect an automatic message.

    It carries the subject and a link, never the notification's text: that may be case text
    with personal data, and stays behind the login (issue 15).
    """
    link = absolute_url(notification.url)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Du har et nytt varsel i kvalitetssystemet:"), "", notification.subject]
        if link:
            lines += ["", _("Åpne: %(link)s") % {"link": link}]
        lines += ["", _("Denne e-posten er sendt automatisk. Du kan ikke svare på den.")]
        subject = email_subject(notification)
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        headers={
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "Message-ID": make_msgid(f"qms-{notification.pk}", domain=site_domain()),
        },
    )


def deliver_email(notification_id: int) -> bool:
    """Send the e-mail of a notification if this caller wins the claim. Returns True if sent.

    Claim, then send: a task delivered twice, the outbox flush and a manual retry cannot send
    one notification twice.
    """
    if not claim_email(notification_id):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        build_email(notification).send()
    except Exception as exc:
        record_email_failure(notification, exc)
        return False
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT,
        email_sent_at=timezone.now(),
        email_next_attempt_at=None,
        email_attempts=notification.email_attempts + 1,
    )
    return True


def record_email_failure(notification: Notification, exc: BaseException) -> None:
    """A 5xx (or a temporary failure after ``EMAIL_RETRY_FOR``) fails for good and waits for an
    admin; anything else is tried again after ``retry_delay``."""
    now = timezone.now()
    attempts = notification.email_attempts + 1
    give_up = is_permanent_failure(exc) or now - notification.created_at >= EMAIL_RETRY_FOR
    Notification.objects.filter(pk=notification.pk).update(
        email_status=Notification.EmailStatus.FAILED
        if give_up
        else Notification.EmailStatus.PENDING,
        email_attempts=attempts,
        email_next_attempt_at=None if give_up else now + retry_delay(attempts),
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
    )
    logger.warning(
        "E-mail for notification %s failed (%s): %s",
        notification.pk,
        "permanent" if give_up else "will retry",
        exc,
    )


def retry_failed_emails(queryset) -> int:
    """An admin's "send again": failed e-mails go back to the outbox (the claim still guards)."""
    return queryset.filter(email_status=Notification.EmailStatus.FAILED).update(
        email_status=Notification.EmailStatus.PENDING,
        email_next_attempt_at=None,
        email_claimed_at=None,
    )


def pending_email_ids(limit: int = 500) -> list[int]:
    return list(
        Notification.objects.filter(_outbox_due(timezone.now()))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
