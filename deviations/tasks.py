"""Celery entry points of the deviations module: thin wrappers over services."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from deviations import services


@shared_task(name="deviations.tasks.escalate_overdue_actions", ignore_result=True)
def escalate_overdue_actions(today: str | None = None) -> int:
    """Remind and escalate overdue corrective actions of every module, each step once.

    ``today`` (ISO date) is for replaying a day, e.g. in the fault tests; beat sends none.
    """
    return services.escalate_overdue_actions(date.fromisoformat(today) if today else None)


@shared_task(name="deviations.tasks.remind_finding_deadlines", ignore_result=True)
def remind_finding_deadlines(today: str | None = None) -> int:
    """Remind and escalate the authority's deadlines of inspection findings, each step once."""
    return services.remind_finding_deadlines(date.fromisoformat(today) if today else None)
