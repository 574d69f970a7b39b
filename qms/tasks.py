"""Celery entry points of the organisation app: thin wrappers over services."""

from celery import shared_task

from qms import notifications


@shared_task(name="qms.tasks.send_notification_email", ignore_result=True)
def send_notification_email(notification_id: int) -> bool:
    """Send one notification's e-mail; a duplicate delivery finds it claimed and does nothing."""
    return notifications.deliver_email(notification_id)


@shared_task(name="qms.tasks.send_notification_emails", ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send the e-mails of a sweep's batch; each is claimed, so a duplicate sends nothing."""
    return sum(notifications.deliver_email(pk) for pk in notification_ids)


@shared_task(name="qms.tasks.flush_outbox", ignore_result=True)
def flush_outbox() -> int:
    """Send every e-mail still waiting (broker was down, worker died, SMTP failed)."""
    return sum(notifications.deliver_email(pk) for pk in notifications.pending_email_ids())


@shared_task(name="qms.tasks.send_email_digests", ignore_result=True)
def send_email_digests() -> int:
    """Hourly tick: the daily digests whose cut-off has passed (at most one a day per person)."""
    return notifications.send_digests()
