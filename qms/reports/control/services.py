"""State changes of the report on internal control: create, assemble, write, approve.

Draft → approved. The chief executive (the leader of the municipality's top unit) approves;
quality advisors and the chief executive prepare the draft. Once approved, nothing in the report
changes: the figures were kept at approval, and every edit is refused with a message.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qms import permissions
from qms.dispatch import enqueue_on_commit_in_background
from qms.exceptions import StateError
from qms.reports.control import assembly
from qms.reports.models import InternalControlReport, ReportChapter
from qms.reports.periods import Period

REPORT_KINDS = ("year", "tertial")
PDF_PREFIX = "private/reports/"


class ReportStateError(StateError):
    """A change an approved report (or an incomplete draft) does not allow."""


def create_report(user, unit, period: Period) -> InternalControlReport:
    """A new draft for ``unit`` (the municipality) and ``period`` (a year or a tertial), with
    its chapters assembled. One report per municipality and period."""
    if period.kind not in REPORT_KINDS:
        raise ValidationError(_("Rapporten lages for et år eller et tertial."))
    if not permissions.can_create(user, InternalControlReport, unit):
        raise PermissionDenied
    try:
        with transaction.atomic():
            report = InternalControlReport.objects.create(
                unit=unit,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError(
            _("Det finnes allerede en rapport for %(period)s.") % {"period": period.label}
        ) from None
    _assemble(report)
    return report


def _lock(report: InternalControlReport) -> InternalControlReport:
    locked = InternalControlReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_approved:
        raise ReportStateError(_("Rapporten er godkjent og kan ikke endres."))
    return locked


def _assemble(report: InternalControlReport) -> None:
    """(Re)compute every chapter's figures; chapters keep their texts, a new service area gets
    a chapter, one no longer active keeps its place only if it has a text."""
    units = assembly.chapter_units(report.unit)
    existing = {c.unit_id: c for c in report.chapters.all()}
    period = report.period
    for position, unit in enumerate(units, start=1):
        chapter = existing.pop(unit.pk, None) or ReportChapter(report=report, unit=unit)
        chapter.position = position
        chapter.title = assembly.chapter_title(report.unit, unit)
        chapter.content = assembly.assemble_chapter(unit, period)
        chapter.save()
    for position, chapter in enumerate(existing.values(), start=len(units) + 1):
        if chapter.good or chapter.weak or chapter.planned:
            chapter.position = position
            chapter.save(update_fields=["position"])
        else:
            chapter.delete()
    report.assembled_at = timezone.now()
    report.save(update_fields=["assembled_at"])


def assemble_report(user, report: InternalControlReport) -> InternalControlReport:
    """Fetch the figures again for a draft (the texts stay)."""
    permissions.check(user, report, "change")
    with transaction.atomic():
        locked = _lock(report)
        _assemble(locked)
    return locked


def save_chapter(user, chapter: ReportChapter, *, good: str, weak: str, planned: str):
    """The chief executive's text of one chapter: what works well, what does not, what will be
    done."""
    permissions.check(user, chapter, "change")
    with transaction.atomic():
        _lock(chapter.report)
        ReportChapter.objects.filter(pk=chapter.pk).update(
            good=good.strip(), weak=weak.strip(), planned=planned.strip(), updated_at=timezone.now()
        )
    chapter.refresh_from_db()
    return chapter


def approval_problems(report: InternalControlReport) -> list[str]:
    """Why the report cannot be approved yet (empty: it can): it is a draft and its overall
    chapter carries the chief executive's assessment."""
    if report.is_approved:
        return [_("Rapporten er allerede godkjent.")]
    overall = report.chapters.filter(unit_id=report.unit_id).first()
    if overall is None or not (overall.good and overall.weak and overall.planned):
        return [
            _(
                "Skriv vurderingen i det samlede kapitlet (hva fungerer godt, hva fungerer ikke "
                "godt nok, hva vil vi gjøre) før rapporten godkjennes."
            )
        ]
    return []


def approve_report(user, report: InternalControlReport) -> InternalControlReport:
    """Approval by the chief executive: the figures are assembled once more and kept, so the
    approved report never changes; its PDF is made on the ``pdf`` queue."""
    from qms.reports import tasks

    permissions.check(user, report, "approve")
    with transaction.atomic():
        locked = _lock(report)
        problems = approval_problems(locked)
        if problems:
            raise ReportStateError(*problems)
        _assemble(locked)
        locked.status = InternalControlReport.Status.APPROVED
        locked.approved_by = user
        locked.approved_at = timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        language = translation.get_language() or settings.LANGUAGE_CODE
        enqueue_on_commit_in_background(tasks.render_control_report_pdf, locked.pk, language)
    return locked


def render_pdf_file(report_id: int) -> str:
    """Render an approved report's PDF into the storage once (the task on the ``pdf`` queue)."""
    from qms.reports.control import render

    report = InternalControlReport.objects.select_related("unit", "approved_by").get(pk=report_id)
    if not report.is_approved or report.pdf_file:
        return "skipped"
    content = render.pdf_bytes(report)
    name = default_storage.save(f"{PDF_PREFIX}{report.uid}.pdf", ContentFile(content))
    InternalControlReport.objects.filter(pk=report_id, pdf_file="").update(pdf_file=name)
    return "ready"


def pdf_content(report: InternalControlReport) -> bytes:
    """The PDF to download: an approved report's kept file, else rendered now from the kept
    figures (a draft, or an approved report whose file is still being made)."""
    from qms.reports.control import render

    if report.is_approved and report.pdf_file.startswith(PDF_PREFIX):
        try:
            with default_storage.open(report.pdf_file, "rb") as handle:
                return handle.read()
        except OSError:
            pass
    return render.pdf_bytes(report)
