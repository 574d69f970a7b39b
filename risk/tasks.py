"""Celery entry points of the risk module: thin wrappers over services."""

from celery import shared_task

from risk import services


@shared_task(name="risk.tasks.send_review_reminders", ignore_result=True)
def send_review_reminders() -> int:
    """Remind unit leaders one month before a ROS analysis is due for review (exactly once)."""
    return services.send_review_reminders()
