"""In-app notifications with their e-mail, sent after commit, exactly once."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from qms.dispatch import enqueue_on_commit
from qms.models import Notification, User
from qms.site import language_of

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
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        subject=str(subject)[:200],
        body=str(body),
        url=url,
        email_status=email_status(recipient, kind, email),
    )
    if notification.email_status == Notification.EmailStatus.PENDING:
        from qms.tasks import send_notification_email

        enqueue_on_commit(send_notification_email, notification.pk)
    return notification


@dataclass(frozen=True)
class Message:
    """One notification a sweep decided to send (see :func:`notify_all`)."""

    recipient: User
    kind: str
    subject: str
    body: str = ""
    url: str = ""
    email: bool = True


def notify_all(messages: Sequence[Message]) -> list[Notification]:
    """:func:`notify` for a sweep's batch: the same rows with the same e-mail status (the
    digest rule counts what each person got earlier today and earlier in this batch), written
    in one INSERT, and one task after commit that sends the batch's e-mails (each one claimed as
    ever, so a duplicate task sends nothing). The notifications in the order of ``messages``."""
    if not messages:
        return []
    sent_today = reminders_emailed_today({m.recipient.pk for m in messages if is_reminder(m.kind)})
    rows = []
    for m in messages:
        status = email_status(m.recipient, m.kind, m.email, sent_today)
        if status == Notification.EmailStatus.PENDING and is_reminder(m.kind):
            sent_today[m.recipient.pk] = sent_today.get(m.recipient.pk, 0) + 1
        rows.append(
            Notification(
                recipient=m.recipient,
                kind=m.kind,
                subject=str(m.subject)[:200],
                body=str(m.body),
                url=m.url,
                email_status=status,
            )
        )
    created = Notification.objects.bulk_create(rows)
    pending = [n.pk for n in created if n.email_status == Notification.EmailStatus.PENDING]
    if pending:
        from qms.tasks import send_notification_emails

        enqueue_on_commit(send_notification_emails, pending)
    return created


# Reminders and escalations one person gets by e-mail at once per day before the rest wait for
# the digest (User.EmailMode.AUTO). The digest covers the day up to DIGEST_HOUR, local time.
DIGEST_AFTER = 5
DIGEST_HOUR = 6


def email_status(
    recipient: User, kind: str, email: bool = True, sent_today: dict[int, int] | None = None
) -> str:
    """The e-mail status a new notification starts with: none (no address, or not wanted),
    waiting for the daily digest (:func:`goes_to_digest`), or pending in the outbox."""
    if not (email and recipient.email):
        return Notification.EmailStatus.NONE
    if goes_to_digest(recipient, kind, sent_today):
        return Notification.EmailStatus.DIGEST
    return Notification.EmailStatus.PENDING


def goes_to_digest(recipient: User, kind: str, sent_today: dict[int, int] | None = None) -> bool:
    """Whether this e-mail waits for the recipient's daily digest: the one rule for it.

    ``sent_today`` (:func:`reminders_emailed_today` for a batch) saves the count query."""
    mode = recipient.email_mode
    if mode == User.EmailMode.DAILY:
        return True
    if mode == User.EmailMode.IMMEDIATE or not is_reminder(kind):
        return False
    if sent_today is None:
        sent_today = reminders_emailed_today([recipient.pk])
    return sent_today.get(recipient.pk, 0) >= DIGEST_AFTER


def reminders_emailed_today(recipient_ids: Iterable[int]) -> dict[int, int]:
    """Reminder e-mails each person got (or is getting) one by one today, local time: the count
    the digest rule compares with ``DIGEST_AFTER``. One query for any number of people."""
    recipient_ids = list(recipient_ids)
    if not recipient_ids:
        return {}
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return dict(
        Notification.objects.filter(
            recipient_id__in=recipient_ids, kind__in=REMINDER_KINDS, created_at__gte=today
        )
        .exclude(email_status__in=[Notification.EmailStatus.DIGEST, Notification.EmailStatus.NONE])
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("recipient_id", "n")
    )


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


def automatic_email(subject: str, lines: list[str], to: str, tag: str) -> EmailMessage:
    """An e-mail as mail systems expect an automatic message: ``Auto-Submitted`` (no
    auto-replies, no vacation loops) and a Message-ID on the site's own domain."""
    lines = [*lines, "", _("Denne e-posten er sendt automatisk. Du kan ikke svare på den.")]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "Message-ID": make_msgid(tag, domain=site_domain()),
        },
    )


PASSWORD_RESET = "account.password_reset"


def send_password_reset(user: User) -> Notification:
    """E-mail ``user`` a link to choose a new password, through the outbox like every e-mail:
    the request that asked waits on no mail server, a temporary SMTP failure is retried, and
    the daily digest never holds it back. No token is stored: the link is made when the e-mail
    is sent (valid for PASSWORD_RESET_TIMEOUT from then), from SITE_URL, never from the Host
    header of the request. The row stays in the person's notifications, already read: a trace
    of a reset they did not ask for."""
    now = timezone.now()
    notification = Notification.objects.create(
        recipient=user,
        kind=PASSWORD_RESET,
        subject=_("Nytt passord til kvalitetssystemet"),
        email_status=Notification.EmailStatus.PENDING,
        read_at=now,
    )
    from qms.tasks import send_notification_email

    enqueue_on_commit(send_notification_email, notification.pk)
    return notification


def password_reset_email(notification: Notification) -> EmailMessage:
    from django.contrib.auth.tokens import default_token_generator

    user = notification.recipient
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Du (eller noen andre) har bedt om å lage nytt passord i kvalitetssystemet."),
            "",
            _("Åpne lenken for å velge et nytt passord:"),
            absolute_url(path),
            "",
            f"{_('Brukernavnet ditt er:')} {user.get_username()}",
            "",
            _("Hvis du ikke ba om dette, kan du se bort fra e-posten."),
        ]
        return automatic_email(notification.subject, lines, user.email, f"qms-{notification.pk}")


def build_email(notification: Notification) -> EmailMessage:
    """The e-mail of one notification: the subject and a link, never the notification's text,
    which may be case text with personal data and stays behind the login."""
    if notification.kind == PASSWORD_RESET:
        return password_reset_email(notification)
    link = absolute_url(notification.url)
    with translation.override(language_of(notification.recipient)):
        lines = [_("Du har et nytt varsel i kvalitetssystemet:"), "", notification.subject]
        if link:
            lines += ["", _("Åpne: %(link)s") % {"link": link}]
        return automatic_email(
            email_subject(notification),
            lines,
            notification.recipient.email,
            f"qms-{notification.pk}",
        )


def digest_cutoff(now=None):
    """The digest takes what waited until DIGEST_HOUR today (local), or yesterday before it:
    the cut-off moves once a day, so each person gets at most one digest a day."""
    local = timezone.localtime(now)
    cutoff = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return cutoff if local >= cutoff else cutoff - timedelta(days=1)


def send_digests(now=None) -> int:
    """Sweep: one digest e-mail per person with notifications waiting before the cut-off."""
    cutoff = digest_cutoff(now)
    waiting = Notification.objects.filter(
        email_status=Notification.EmailStatus.DIGEST, created_at__lt=cutoff
    )
    recipients = waiting.values_list("recipient_id", flat=True).distinct().order_by()
    return sum(deliver_digest(pk, cutoff) for pk in list(recipients))


def deliver_digest(recipient_id: int, cutoff) -> bool:
    """Claim this person's waiting notifications, then send them as one e-mail (claim-then-
    send: a second sweep finds nothing to claim). A failure puts them back, or fails them for
    good like a single e-mail (record_email_failure)."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                recipient_id=recipient_id,
                email_status=Notification.EmailStatus.DIGEST,
                created_at__lt=cutoff,
            )
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            email_status=Notification.EmailStatus.SENDING, email_claimed_at=timezone.now()
        )
    if not ids:
        return False
    items = list(Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("pk"))
    recipient = items[0].recipient
    with translation.override(language_of(recipient)):
        day = formats.date_format(timezone.localdate(cutoff), "SHORT_DATE_FORMAT")
        lines = [_("Varsler i kvalitetssystemet siden forrige sammendrag:"), ""]
        for n in items:
            link = absolute_url(n.url)
            lines.append(f"- {email_subject(n)}" + (f"\n  {link}" if link else ""))
        subject = _("Daglig sammendrag %(day)s: %(n)s varsler") % {"day": day, "n": len(items)}
        message = automatic_email(subject, lines, recipient.email, f"qms-digest-{recipient.pk}")
    try:
        message.send()
    except Exception as exc:
        for n in items:
            record_email_failure(n, exc, waiting=Notification.EmailStatus.DIGEST)
        return False
    Notification.objects.filter(pk__in=ids).update(
        email_status=Notification.EmailStatus.SENT, email_sent_at=timezone.now()
    )
    return True


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


def record_email_failure(
    notification: Notification, exc: BaseException, waiting: str = Notification.EmailStatus.PENDING
) -> None:
    """A 5xx (or a temporary failure after ``EMAIL_RETRY_FOR``) fails for good and waits for an
    admin; anything else is tried again after ``retry_delay`` (or by the next digest sweep)."""
    now = timezone.now()
    attempts = notification.email_attempts + 1
    give_up = is_permanent_failure(exc) or now - notification.created_at >= EMAIL_RETRY_FOR
    Notification.objects.filter(pk=notification.pk).update(
        email_status=Notification.EmailStatus.FAILED if give_up else waiting,
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
