"""Celery entry points of the reports app: thin wrappers over services.

The task name matches ``*.render_*_pdf``, which settings route to the ``pdf`` queue (its own
worker with ``--max-tasks-per-child``), so a heavy report never delays a reminder.
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
