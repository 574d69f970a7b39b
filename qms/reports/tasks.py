"""Celery entry points of the reports app: thin wrappers over services.

The task names match ``*.render_*_pdf`` and ``*.refresh_statistics``, which settings route to
the ``pdf`` queue (its own worker with ``--max-tasks-per-child``), so heavy work never delays a
reminder.
"""

from celery import shared_task
from django.utils import translation


@shared_task(name="reports.tasks.render_quality_report_pdf", ignore_result=True)
def render_quality_report_pdf(report_id: int, language: str = "nb") -> str:
    from qms.reports import services
    from qms.reports.models import GeneratedReport

    if not GeneratedReport.objects.filter(pk=report_id).exists():
        return "missing"
    with translation.override(language):
        return services.render_report(report_id)


@shared_task(name="qms.reports.tasks.refresh_statistics", ignore_result=True)
def refresh_statistics() -> int:
    """Beat tick: recompute the statistics snapshots of the large scopes (snapshots.py)."""
    from qms.reports import snapshots

    return snapshots.refresh_large_scopes()


@shared_task(name="qms.reports.tasks.requeue_pending_reports", ignore_result=True)
def requeue_pending_reports(older_than_seconds: int = 120) -> int:
    """Beat tick: re-send the reports whose enqueue was lost while the broker was away."""
    from datetime import timedelta

    from qms.reports import services

    return services.requeue_pending(timedelta(seconds=older_than_seconds))


@shared_task(name="reports.tasks.render_control_report_pdf", ignore_result=True)
def render_control_report_pdf(report_id: int, language: str = "nb") -> str:
    """The approved report on internal control as a tagged PDF, kept in the storage."""
    from qms.reports.control import services
    from qms.reports.models import InternalControlReport

    if not InternalControlReport.objects.filter(pk=report_id).exists():
        return "missing"
    with translation.override(language):
        return services.render_pdf_file(report_id)
