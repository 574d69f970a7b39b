"""Celery entry points of the annual wheel: thin wrappers over services."""

from celery import shared_task

from annual_wheel import services


@shared_task(name="annual_wheel.tasks.send_activity_reminders", ignore_result=True)
def send_activity_reminders() -> dict:
    """Beat's tick: extend the horizon, remind before due, flag overdue — each exactly once."""
    result = services.run_reminder_sweep()
    return {
        "materialised": result.materialised,
        "reminded": result.reminded,
        "flagged": result.flagged,
    }
