"""Pages of the report on internal control: thin — parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qms import permissions
from qms.forms import add_service_errors
from qms.reports.control import render as rendering
from qms.reports.control import services
from qms.reports.forms import ChapterForm, ControlReportForm
from qms.reports.models import InternalControlReport
from qms.reports.permissions import may_read_reports

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def _report(request, uid, action: str = "view") -> InternalControlReport:
    return permissions.get_object_or_404(
        request.user,
        InternalControlReport.objects.select_related("unit", "approved_by"),
        action,
        uid=uid,
    )


def _creatable_units(user):
    return permissions.creatable_units(user, InternalControlReport).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    """The reports the user may read, and (for the chief executive and the advisors) the form
    that makes a new one."""
    actor = permissions.actor_for(request.user)
    units = list(_creatable_units(request.user)[:1])
    if not units and not may_read_reports(actor):
        raise PermissionDenied
    form = ControlReportForm(
        request.POST or None, initial={"year": timezone.localdate().year - 1, "part": "year"}
    )
    if request.method == "POST":
        if not units:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.create_report(request.user, units[0], form.period())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Rapporten er satt sammen."))
                return redirect(report)
    reports = (
        InternalControlReport.objects.restrict(request.user)
        .select_related("unit")
        .order_by("-period_start", "period_kind")
    )
    context = {"reports": reports, "form": form if units else None}
    return render(request, "reports/control/list.html", context)


@login_required
def report_detail(request, uid):
    report = _report(request, uid)
    editable = not report.is_approved and permissions.can(request.user, report, "change")
    may_approve = not report.is_approved and permissions.can(request.user, report, "approve")
    context = {
        "report": report,
        "chapters": list(report.chapters.select_related("unit").order_by("position")),
        "editable": editable,
        "may_approve": may_approve,
        "problems": services.approval_problems(report) if may_approve else [],
        "approver": rendering.approver_name(report),
    }
    return render(request, "reports/control/detail.html", context)


@login_required
@require_POST
def report_assemble(request, uid):
    report = _report(request, uid)
    try:
        services.assemble_report(request.user, report)
    except services.ReportStateError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tallene er hentet på nytt."))
    return redirect(report)


@login_required
@require_POST
def report_approve(request, uid):
    report = _report(request, uid)
    try:
        services.approve_report(request.user, report)
    except services.ReportStateError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rapporten er godkjent."))
    return redirect(report)


@login_required
@require_http_methods(["GET", "POST"])
def chapter_edit(request, uid, pk):
    report = _report(request, uid)
    chapter = permissions.get_object_or_404(
        request.user, report.chapters.select_related("report"), "change", pk=pk
    )
    if report.is_approved:
        messages.error(request, _("Rapporten er godkjent og kan ikke endres."))
        return redirect(report)
    initial = {"good": chapter.good, "weak": chapter.weak, "planned": chapter.planned}
    form = ChapterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_chapter(request.user, chapter, **form.cleaned_data)
        except services.ReportStateError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Vurderingen er lagret."))
            return redirect(f"{report.get_absolute_url()}#kapittel-{chapter.position}")
    context = {"report": report, "chapter": chapter, "form": form}
    return render(request, "reports/control/chapter_form.html", context)


@login_required
def report_download(request, uid, fmt: str):
    """The report as PDF, DOCX or a self-contained HTML page to publish."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    report = _report(request, uid)
    if fmt == "pdf":
        content = services.pdf_content(report)
    elif fmt == "docx":
        content = rendering.docx_bytes(report)
    else:
        content = rendering.html(report).encode()
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report.filename(fmt)}"'
    return response
