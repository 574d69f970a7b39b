"""In-app notifications with their e-mail, sent after commit, exactly once."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation

from qms.dispatch import enqueue_on_commit
from qms.models import Notification, User

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


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


def claim_email(notification_id: int) -> bool:
    """Claim the e-mail of one notification for sending; True for exactly one caller.

    A claim older than ``REMINDER_CLAIM_TIMEOUT`` is considered abandoned (a worker died between
    claim and send) and may be claimed again.
    """
    now = timezone.now()
    stale = now - settings.REMINDER_CLAIM_TIMEOUT
    return (
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(email_status=Notification.EmailStatus.PENDING)
            | Q(email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=stale)
        )
        .update(email_status=Notification.EmailStatus.SENDING, email_claimed_at=now)
        == 1
    )


def deliver_email(notification_id: int) -> bool:
    """Send the e-mail of a notification if this caller wins the claim. Returns True if sent."""
    if not claim_email(notification_id):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    link = f"{settings.SITE_URL}{notification.url}" if notification.url.startswith("/") else ""
    text = notification.body + (f"\n\n{link}" if link else "")
    try:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                notification.subject,
                text,
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient.email],
            )
    except Exception as exc:
        attempts = notification.email_attempts + 1
        Notification.objects.filter(pk=notification_id).update(
            email_status=Notification.EmailStatus.FAILED
            if attempts >= MAX_EMAIL_ATTEMPTS
            else Notification.EmailStatus.PENDING,
            email_attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("E-mail for notification %s failed: %s", notification_id, exc)
        return False
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT,
        email_sent_at=timezone.now(),
        email_attempts=notification.email_attempts + 1,
    )
    return True


def pending_email_ids(limit: int = 500) -> list[int]:
    stale = timezone.now() - settings.REMINDER_CLAIM_TIMEOUT
    return list(
        Notification.objects.filter(
            Q(email_status=Notification.EmailStatus.PENDING)
            | Q(email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=stale)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
