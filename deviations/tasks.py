"""Celery entry points of the deviations module: thin wrappers over services."""

from celery import shared_task

from deviations import services


@shared_task(name="deviations.tasks.escalate_overdue_actions", ignore_result=True)
def escalate_overdue_actions() -> int:
    """Remind and escalate overdue corrective actions of every module, each step once."""
    return services.escalate_overdue_actions()
