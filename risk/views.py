"""Pages of the risk module: thin — parse, call a service, render.

Every object is fetched through the permission layer (404 when invisible, 403 when visible but
not editable); every change is a service call; a service's refusal is shown in place and keeps
what the user typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import hooks, permissions
from qms.forms import add_service_errors
from qms.models import Membership, OrgUnit
from risk import heatmap, services
from risk.filters import RiskAssessmentFilter
from risk.forms import AcceptForm, AssessmentForm, ItemForm, MeasureForm
from risk.matrix import matrix_for
from risk.models import RiskAssessment, RiskEvent, RiskItem, RiskMeasure

PAGE_SIZE = 50
SORTS = {
    "score": ["-score", "number"],
    "residual": ["-residual_score", "-score", "number"],
    "number": ["number"],
}


def _assessment(request, pk: int, action: str = "view") -> RiskAssessment:
    return permissions.get_object_or_404(
        request.user, RiskAssessment.objects.select_related("unit", "previous"), action, pk=pk
    )


def _item(request, assessment_pk: int, pk: int, action: str = "view") -> RiskItem:
    return permissions.get_object_or_404(
        request.user,
        RiskItem.objects.select_related("assessment__unit", "accepted_by"),
        action,
        pk=pk,
        assessment_id=assessment_pk,
    )


@login_required
def index(request):
    """Assessments the user may see, newest first; one query for the page plus one capped count."""
    base = RiskAssessment.objects.restrict(request.user, "view")
    filterset = RiskAssessmentFilter(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    queryset = (
        queryset.select_related("unit")
        .with_counts()
        .order_by("-assessed_on", "-pk")
        .only(
            "pk",
            "title",
            "activity",
            "status",
            "revision",
            "assessed_on",
            "next_review",
            "unit__name",
        )
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "risk/index.html",
        {
            "page": page,
            "filter": filterset,
            "query": query.urlencode(),
            "can_create": permissions.can_create_somewhere(request.user, RiskAssessment),
        },
    )


@login_required
def create(request):
    if not permissions.can_create_somewhere(request.user, RiskAssessment):
        raise PermissionDenied
    form = AssessmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            assessment = services.create_assessment(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("ROS-analysen er opprettet. Legg til risikoforhold."))
            return redirect(assessment)
    return render(request, "risk/assessment_form.html", {"form": form})


@login_required
def edit(request, pk: int):
    assessment = _assessment(request, pk, "change")
    form = AssessmentForm(request.POST or None, instance=assessment, user=request.user)
    if services.is_read_only(assessment):
        messages.error(request, _("Analysen er skrivebeskyttet."))
        return redirect(assessment)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        participants = data.pop("participants")
        # form.is_valid() wrote the values onto the instance; the service compares with the row.
        fresh = RiskAssessment.objects.get(pk=assessment.pk)
        try:
            services.update_assessment(
                actor=request.user, assessment=fresh, participants=participants, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect(assessment)
    return render(request, "risk/assessment_form.html", {"form": form, "assessment": assessment})


def _measures_prefetch():
    return Prefetch(
        "measures",
        queryset=RiskMeasure.objects.select_related("action__responsible").order_by(
            "action__deadline", "pk"
        ),
    )


@login_required
def detail(request, pk: int):
    """The assessment as a table of items (sortable by score), flags, and the two heat maps."""
    assessment = _assessment(request, pk)
    matrix = matrix_for(assessment.unit)
    sort = request.GET.get("sort", "number")
    items = list(
        # The flags (untreated, residual_unaccepted) are the rule activation_problems refuses on.
        assessment.items.with_flags(matrix.action_threshold)
        .select_related("accepted_by")
        .prefetch_related(_measures_prefetch())
        .order_by(*SORTS.get(sort, SORTS["number"]))
    )
    for item in items:
        matrix.mark(item)
    maps = [heatmap.build(matrix, items, "i"), heatmap.build(matrix, items, "r")]
    cell = heatmap.parse_cell(request.GET.get("celle"), matrix.size)
    shown = [i for i in items if heatmap.in_cell(i, cell)] if cell else items
    can_edit = permissions.can(request.user, assessment, "change")
    read_only = services.is_read_only(assessment)
    context = {
        "assessment": assessment,
        "matrix": matrix,
        "items": shown,
        "all_count": len(items),
        "cell": cell,
        "sort": sort if sort in SORTS else "number",
        "maps": maps,
        "can_edit": can_edit and not read_only,
        "can_revise": can_edit
        and assessment.status != RiskAssessment.Status.DRAFT
        and not read_only,
        "read_only": read_only,
        "untreated": [i for i in items if i.untreated],
        "unaccepted": [i for i in items if i.residual_unaccepted],
        "participants": assessment.participants.order_by("first_name", "last_name"),
        "events": RiskEvent.objects.filter(assessment=assessment)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:20],
        "next_revision": RiskAssessment.objects.filter(previous=assessment).first(),
        "panels": hooks.detail_panels_for(request, assessment),
    }
    if assessment.status == RiskAssessment.Status.DRAFT:
        context["problems"] = services.activation_problems(assessment, matrix)
    return render(request, "risk/detail.html", context)


def _item_context(request, assessment, matrix, form, item=None, **extra):
    context = {"assessment": assessment, "matrix": matrix, "form": form, "item": item, **extra}
    if item is not None:
        matrix.mark(item)
        context["measures"] = list(
            RiskMeasure.objects.filter(item=item)
            .select_related("action__responsible")
            .order_by("action__deadline", "pk")
        )
        context["can_accept"] = (
            permissions.can(request.user, assessment, "accept")
            and item.residual_above_threshold
            and not services.is_read_only(assessment)
        )
        context["panels"] = hooks.detail_panels_for(request, item)
        context["deviations"] = list(
            permissions.restrict(request.user, _deviation_model())
            .filter(risk_links__item=item)
            .only("pk", "number", "title")
            .order_by("number")
        )
        from documents.models import Document

        context["documents"] = list(
            permissions.restrict(request.user, Document)
            .filter(risk_links__item=item)
            .only("pk", "number", "title")
            .order_by("number")
        )
    return context


def _deviation_model():
    from deviations.models import Deviation

    return Deviation


@login_required
def item_create(request, pk: int):
    assessment = _assessment(request, pk, "change")
    if services.is_read_only(assessment):
        messages.error(request, _("Analysen er skrivebeskyttet."))
        return redirect(assessment)
    matrix = matrix_for(assessment.unit)
    form = ItemForm(request.POST or None, matrix=matrix)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(actor=request.user, assessment=assessment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Risikoforholdet er lagt til."))
            if request.POST.get("next") == "another":
                return redirect("risk:item_create", assessment.pk)
            return redirect(item)
    return render(request, "risk/item_form.html", _item_context(request, assessment, matrix, form))


@login_required
def item_detail(request, pk: int, item_pk: int):
    """An item: its form (for editors), measures, residual acceptance and links."""
    item = _item(request, pk, item_pk)
    assessment = item.assessment
    matrix = matrix_for(assessment.unit)
    editable = permissions.can(request.user, item, "change") and not services.is_read_only(
        assessment
    )
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    form = ItemForm(request.POST or None, matrix=matrix, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_item(actor=request.user, item=item, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Endringene er lagret."))
                return redirect(item)
    context = _item_context(
        request,
        assessment,
        matrix,
        form,
        item,
        editable=editable,
        accept_form=AcceptForm(),
        measure_form=MeasureForm(assessment=assessment) if editable else None,
    )
    return render(request, "risk/item_detail.html", context)


@login_required
@require_POST
def item_delete(request, pk: int, item_pk: int):
    item = _item(request, pk, item_pk, "change")
    try:
        services.remove_item(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(item)
    messages.success(request, _("Risikoforholdet er fjernet."))
    return redirect(item.assessment)


@login_required
@require_POST
def item_accept(request, pk: int, item_pk: int):
    item = _item(request, pk, item_pk, "accept")
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.accept_residual_risk(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Restrisikoen er formelt akseptert."))
            return redirect(item)
    matrix = matrix_for(item.assessment.unit)
    context = _item_context(
        request,
        item.assessment,
        matrix,
        ItemForm(
            matrix=matrix, initial={name: getattr(item, name) for name in services.ITEM_FIELDS}
        ),
        item,
        editable=not services.is_read_only(item.assessment)
        and permissions.can(request.user, item, "change"),
        accept_form=form,
        measure_form=None,
    )
    return render(request, "risk/item_detail.html", context, status=400)


@login_required
@require_POST
def link_deviation(request, pk: int, item_pk: int):
    """Link a deviation by its number (AV-2026-00042) or id; unknown or invisible is an error."""
    from deviations.models import Deviation

    item = _item(request, pk, item_pk, "change")
    ref = (request.POST.get("deviation") or "").strip()[:30]
    visible = permissions.restrict(request.user, Deviation, "view")
    deviation = visible.filter(number__iexact=ref).first() if ref else None
    if deviation is None and ref.isdigit():
        deviation = visible.filter(pk=int(ref)).first()
    if deviation is None:
        messages.error(
            request,
            _("Fant ikke avviket «%(ref)s», eller du har ikke tilgang til det.") % {"ref": ref},
        )
        return redirect(item)
    services.link_deviation(actor=request.user, item=item, deviation=deviation)
    messages.success(request, _("Avviket er koblet til risikoforholdet."))
    return redirect(item)


@login_required
@require_POST
def unlink_deviation(request, pk: int, item_pk: int, deviation_pk: int):
    item = _item(request, pk, item_pk, "change")
    services.unlink_deviation(actor=request.user, item=item, deviation_id=deviation_pk)
    messages.success(request, _("Koblingen er fjernet."))
    return redirect(item)


@login_required
@require_POST
def link_document(request, pk: int, item_pk: int):
    """Link a procedure by its number (RUT-0042); unknown or invisible is an error."""
    from documents.models import Document

    item = _item(request, pk, item_pk, "change")
    ref = (request.POST.get("document") or "").strip()[:30]
    document = (
        permissions.restrict(request.user, Document, "view").filter(number__iexact=ref).first()
        if ref
        else None
    )
    if document is None:
        messages.error(
            request,
            _("Fant ikke dokumentet «%(ref)s», eller du har ikke tilgang til det.") % {"ref": ref},
        )
        return redirect(item)
    services.link_document(actor=request.user, item=item, document=document)
    messages.success(request, _("Dokumentet er koblet til risikoforholdet."))
    return redirect(item)


@login_required
@require_POST
def unlink_document(request, pk: int, item_pk: int, document_pk: int):
    item = _item(request, pk, item_pk, "change")
    services.unlink_document(actor=request.user, item=item, document_id=document_pk)
    messages.success(request, _("Koblingen er fjernet."))
    return redirect(item)


@login_required
@require_POST
def measure_create(request, pk: int, item_pk: int):
    item = _item(request, pk, item_pk, "change")
    assessment = item.assessment
    form = MeasureForm(request.POST, assessment=assessment)
    if form.is_valid():
        try:
            services.add_measure(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tiltaket er lagt til."))
            return redirect(item)
    matrix = matrix_for(assessment.unit)
    context = _item_context(
        request,
        assessment,
        matrix,
        ItemForm(
            matrix=matrix, initial={name: getattr(item, name) for name in services.ITEM_FIELDS}
        ),
        item,
        editable=True,
        accept_form=AcceptForm(),
        measure_form=form,
    )
    return render(request, "risk/item_detail.html", context, status=400)


def _transition(request, pk: int, service, success: str):
    assessment = _assessment(request, pk, "change")
    try:
        result = service(actor=request.user, assessment=assessment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(assessment)
    messages.success(request, success)
    return redirect(result)


@login_required
@require_POST
def activate(request, pk: int):
    return _transition(request, pk, services.activate, _("Analysen er satt som gjeldende."))


@login_required
@require_POST
def archive(request, pk: int):
    return _transition(request, pk, services.archive, _("Analysen er arkivert."))


@login_required
@require_POST
def revise(request, pk: int):
    return _transition(
        request,
        pk,
        services.new_revision,
        _("Ny revisjon er opprettet. Den forrige er nå skrivebeskyttet."),
    )


@login_required
def export_pdf(request, pk: int):
    from risk import exports

    assessment = _assessment(request, pk)
    pdf = exports.assessment_pdf(assessment, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ros-{assessment.pk}.pdf"'
    return response


@login_required
def export_xlsx(request, pk: int):
    from risk import exports

    assessment = _assessment(request, pk)
    data = exports.assessment_xlsx(assessment)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="ros-{assessment.pk}.xlsx"'
    return response


@login_required
def matrix_page(request):
    """The municipality's matrix: levels with descriptions, bands and the threshold.

    The user's own municipality (the root of their first unit), else the first municipality.
    """
    membership = (
        Membership.objects.filter(user=request.user).select_related("unit").order_by("pk").first()
    )
    unit = membership.unit if membership else OrgUnit.objects.filter(depth=1).first()
    matrix = matrix_for(unit) if unit else None
    rows = []
    if matrix:
        for p in matrix.levels_desc:
            rows.append(
                (p, matrix.probability_label(p), [(c, *matrix.cell(p, c)) for c in matrix.levels])
            )
    return render(request, "risk/matrix.html", {"matrix": matrix, "rows": rows})
