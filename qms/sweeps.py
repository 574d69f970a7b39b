"""The periodic sweeps that beat ticks (docs/design.md §10).

Beat is only a tick: each sweep derives what is due from the database, so a missed tick catches
up by itself. An app declares its sweeps here by task name; the schedule runs in UTC.
"""

from __future__ import annotations

from importlib import import_module

from celery.schedules import crontab

# task name -> schedule. Only tasks whose module imports are scheduled, so an app that is not
# installed never puts an unknown task on the queue.
SWEEPS: dict[str, object] = {
    "qms.tasks.flush_outbox": crontab(minute="*/5"),
    "qms.tasks.send_email_digests": crontab(minute=45),
    "documents.tasks.send_revision_reminders": crontab(minute=15),
    "documents.tasks.send_read_reminders": crontab(minute=20),
    "deviations.tasks.escalate_overdue_actions": crontab(minute=25),
    "deviations.tasks.remind_finding_deadlines": crontab(minute=27),
    "risk.tasks.send_review_reminders": crontab(minute=30),
    "annual_wheel.tasks.send_activity_reminders": crontab(minute=35),
    "qms.reports.tasks.refresh_statistics": crontab(minute="*/10"),
    "qms.reports.tasks.requeue_pending_reports": crontab(minute="*/5"),
}


def task_exists(name: str) -> bool:
    module_name, _, attr = name.rpartition(".")
    try:
        module = import_module(module_name)
    except ImportError:
        return False
    return hasattr(module, attr)


def beat_schedule() -> dict[str, dict]:
    return {
        name: {"task": name, "schedule": schedule}
        for name, schedule in SWEEPS.items()
        if task_exists(name)
    }
