"""Views of statistics and reports: thin — parse the scope and period, compute, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from qms import permissions
from qms.reports import exports, periods, scope, services, snapshots, stats
from qms.reports.forms import ReportRequestForm
from qms.reports.models import GeneratedReport

PERIOD_CHOICES = [
    ("month", gettext_lazy("Måned")),
    ("tertial", gettext_lazy("Tertial")),
    ("year", gettext_lazy("År")),
    ("custom", gettext_lazy("Egendefinert")),
]


def _selection(request):
    """(units, scope, period, error) from the query string; 404 for a unit outside the scope."""
    units = scope.choices(request.user)
    error = ""
    if not units:
        return units, None, None, error
    try:
        period = periods.parse(request.GET)
    except periods.PeriodError as exc:
        error = str(exc)
        period = periods.default_period()
    chosen = scope.resolve(request.user, request.GET.get("unit"), units)
    return units, chosen, period, error


def _query(chosen, period) -> str:
    return urlencode({"unit": chosen.unit.pk, **period.as_query()})


@login_required
def index(request):
    units, chosen, period, error = _selection(request)
    if chosen is None:
        return render(request, "reports/no_access.html")
    # The overview (every section's key figures) or one section with its charts and tables:
    # one click apart, instead of one page of every chart. Computed live: only the shown
    # section draws its charts.
    sections = snapshots.live(chosen, period, charts=request.GET.get("section") or False).sections
    current = next((s for s in sections if s.key == request.GET.get("section")), None)
    context = {
        "current": current,
        "units": units,
        "scope": chosen,
        "period": period,
        "error": error,
        "sections": sections,
        "query": _query(chosen, period),
        "params": request.GET,
        "period_choices": PERIOD_CHOICES,
        "months": list(enumerate(periods.MONTH_NAMES, start=1)),
        "period_query": period.as_query(),
    }
    return render(request, "reports/index.html", context)


@login_required
def export(request, key: str, fmt: str):
    """One statistics table (or ``alle``: every table) as CSV or XLSX, same scope and filters;
    every table as CSV comes as a ZIP of one CSV per table (``alle.zip``, also ``alle.csv``)."""
    if fmt not in exports.FORMATS:
        raise Http404
    _units, chosen, period, error = _selection(request)
    if chosen is None:
        raise PermissionDenied
    if error:
        raise Http404
    sections = snapshots.live(chosen, period, charts=False).sections
    if key == "alle":
        tables = [t for s in sections for t in s.tables()]
    else:
        table = stats.find_table(sections, key)
        if table is None:
            raise Http404
        tables = [table]
    name = f"statistikk-{key}-{chosen.unit.code}-{period.start:%Y-%m-%d}"
    return exports.tables_response(fmt, name, tables)


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    """The quality reports the user may download, and the form asking for a new one."""
    units = scope.choices(request.user)
    if not units:
        raise PermissionDenied
    if request.method == "POST":
        form = ReportRequestForm(request.POST)
        if form.is_valid():
            chosen = scope.resolve(request.user, form.cleaned_data["unit"], units)
            if chosen.hms_only:
                # The quality report holds every section: not for an HMS-only viewer.
                raise PermissionDenied
            report = services.request_report(request.user, chosen, form.cleaned_data["period_obj"])
            return redirect(report)
        messages.error(request, " ".join(form.non_field_errors()) or _("Ugyldig bestilling."))
        return redirect("reports:index")
    reports = (
        GeneratedReport.objects.restrict(request.user)
        .select_related("unit")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(request, "reports/report_list.html", {"reports": reports})


@login_required
def report_detail(request, uid):
    report = permissions.get_object_or_404(
        request.user, GeneratedReport.objects.select_related("unit"), uid=uid
    )
    template = "reports/_report_status.html" if request.htmx else "reports/report_detail.html"
    return render(request, template, {"report": report})


@login_required
def report_download(request, uid):
    report = permissions.get_object_or_404(
        request.user, GeneratedReport.objects.select_related("unit"), uid=uid
    )
    handle = services.open_file(report)
    if handle is None:
        raise Http404
    return FileResponse(
        handle,
        as_attachment=True,
        filename=report.filename,
        content_type="application/pdf",
    )
