"""State changes of generated reports: ask for one, render it, record the outcome."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from qms.dispatch import enqueue, enqueue_on_commit_in_background
from qms.reports.models import GeneratedReport
from qms.reports.periods import Period
from qms.reports.scope import Scope
from qms.site import language_of

logger = logging.getLogger(__name__)

Status = GeneratedReport.Status
STALE_AFTER = timedelta(minutes=15)  # a PROCESSING row this old belongs to a dead worker


# Generated PDFs live in the default storage (MEDIA_ROOT or the S3 bucket, qms.settings), under a
# prefix nothing serves directly; downloads go through a view that asks the permission layer.
REPORT_PREFIX = "private/reports/"


def request_report(user, scope: Scope, period: Period) -> GeneratedReport:
    """Ask for the quality report of ``scope`` and ``period``; the PDF is rendered by a task on
    the ``pdf`` queue after commit (in-process: in a background thread), so the request returns
    at once and the report's page shows the progress. The caller has checked the scope through
    the permission layer. An identical report already queued or being made is returned instead
    of a second one.
    """
    from qms.reports import tasks

    with transaction.atomic():
        existing = (
            GeneratedReport.objects.filter(
                unit=scope.unit,
                period_start=period.start,
                period_end=period.end,
                status__in=[Status.PENDING, Status.PROCESSING],
                created_at__gte=timezone.now() - STALE_AFTER,
            )
            .order_by("-created_at")
            .first()
        )
        if existing is not None:
            return existing
        report = GeneratedReport.objects.create(
            unit=scope.unit,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            requested_by=user,
        )
        language = translation.get_language() or settings.LANGUAGE_CODE
        # Never a 500 because the broker is away (docs/design.md §10): the row stays PENDING and a
        # new request after STALE_AFTER queues it again.
        enqueue_on_commit_in_background(tasks.render_quality_report_pdf, report.pk, language)
    return report


REQUEUE_AFTER = timedelta(minutes=2)


def requeue_pending(older_than: timedelta = REQUEUE_AFTER) -> int:
    """Put every report still PENDING after ``older_than`` on the queue again: its enqueue was
    lost (broker refused or hung when it was asked for). A duplicate delivery of a report that
    was queued after all finds it claimed and renders nothing (``_claim``)."""
    from qms.reports import tasks

    pending = GeneratedReport.objects.filter(
        status=Status.PENDING, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for pk in pending.iterator():
        # The language of the request is not kept on the row; a re-sent report is in the
        # municipality's målform.
        count += enqueue(tasks.render_quality_report_pdf, pk, language_of())
    return count


def _claim(report_id: int) -> bool:
    """PENDING → PROCESSING, or take over a PROCESSING row whose worker died (claim-then-work:
    a task delivered twice renders once)."""
    now = timezone.now()
    claimed = GeneratedReport.objects.filter(pk=report_id, status=Status.PENDING).update(
        status=Status.PROCESSING, started_at=now, progress=5, attempts=F("attempts") + 1
    )
    if not claimed:
        claimed = GeneratedReport.objects.filter(
            pk=report_id, status=Status.PROCESSING, started_at__lt=now - STALE_AFTER
        ).update(started_at=now, progress=5, attempts=F("attempts") + 1)
    return bool(claimed)


def _progress(report_id: int, value: int) -> None:
    GeneratedReport.objects.filter(pk=report_id, status=Status.PROCESSING).update(progress=value)


def render_report(report_id: int) -> str:
    """Render one report to its file: written to a temporary file in the same directory and
    moved into place, so a READY report always has a whole PDF. Returns the final status."""
    from qms.reports import pdf, quality_report

    if not _claim(report_id):
        return "skipped"
    report = GeneratedReport.objects.select_related("unit").get(pk=report_id)
    try:
        context = quality_report.build_context(
            Scope(report.unit), report.period, progress=lambda v: _progress(report_id, v)
        )
        _progress(report_id, 70)
        content, pages = pdf.render_pdf(pdf.render_html(context))
        _progress(report_id, 95)
        # Saved whole before the row turns READY, so a READY report always has a whole PDF; on
        # several hosts every web process finds it in the shared storage.
        name = default_storage.save(f"{REPORT_PREFIX}{report.uid}.pdf", ContentFile(content))
    except Exception as exc:
        logger.exception("quality report %s failed", report_id)
        GeneratedReport.objects.filter(pk=report_id).update(
            status=Status.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return Status.FAILED
    GeneratedReport.objects.filter(pk=report_id).update(
        status=Status.READY,
        progress=100,
        file=name,
        size=len(content),
        pages=pages,
        last_error="",
        finished_at=timezone.now(),
    )
    return Status.READY


def open_file(report: GeneratedReport) -> File | None:
    """The PDF of a READY report, opened from the storage, or None."""
    if report.status != Status.READY or not report.file.startswith(REPORT_PREFIX):
        return None
    try:
        return default_storage.open(report.file, "rb")
    except (FileNotFoundError, OSError):
        return None
