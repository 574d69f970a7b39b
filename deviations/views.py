"""Pages of the deviations module: thin — parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deviations import forms, services
from deviations.filters import DeviationFilter
from deviations.models import (
    AccessLog,
    Attachment,
    CorrectiveAction,
    Deviation,
    Inspection,
    InspectionFinding,
    ReportLink,
)
from qms import hooks, permissions
from qms.forms import add_service_errors
from qms.models import OrgUnit

PAGE_SIZE = 50
COUNT_CAP = 1000


def keyset_page(queryset, after: str | None, size: int = PAGE_SIZE):
    """One page ordered by -pk after the cursor ``after``; no COUNT(*) (docs/design.md §11)."""
    if after and after.isdigit():
        queryset = queryset.filter(pk__lt=int(after))
    rows = list(queryset.order_by("-pk")[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)


def capped_count(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Count at most ``cap`` + 1 rows: "more than 1000" is all a list needs to say."""
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def _list_rows(queryset):
    return queryset.select_related("unit", "category").only(
        "pk",
        "number",
        "title",
        "kind",
        "state",
        "severity",
        "created_at",
        "occurred_at",
        "contains_personal_data",
        "unit__name",
        "category__name",
    )


@login_required
def index(request):
    """The inbox: what the user may see (a leader's subtree), with filters, newest first."""
    base = Deviation.objects.restrict(request.user, "view")
    filterset = DeviationFilter(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    rows, next_after = keyset_page(_list_rows(queryset), request.GET.get("etter"))
    count, more = capped_count(queryset)
    params = request.GET.copy()
    params.pop("etter", None)
    actor = permissions.actor_for(request.user)
    return render(
        request,
        "deviations/index.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "rows": rows,
            "next_after": next_after,
            "query": params.urlencode(),
            "count": count,
            "more": more,
            "is_handler": actor.is_leader or actor.is_advisor or actor.is_admin,
            "today": timezone.localdate(),
        },
    )


@login_required
def mine(request):
    """ "Mine saker": everything I have reported."""
    queryset = _list_rows(Deviation.objects.filter(reporter=request.user))
    rows, next_after = keyset_page(queryset, request.GET.get("etter"))
    return render(request, "deviations/mine.html", {"rows": rows, "next_after": next_after})


@login_required
def report(request):
    """The reporting form, one click from every page; typed text survives every error."""
    if request.method == "POST":
        form = forms.ReportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                deviation = services.report_deviation(
                    reporter=request.user,
                    unit=data["unit"],
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    occurred_at=data["occurred_at"],
                    severity=data["severity"],
                    place=data["place"],
                    immediate_action=data["immediate_action"],
                    contains_personal_data=data["contains_personal_data"],
                    category=data.get("category"),
                    files=data["attachments"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Takk! Meldingen er registrert som %(number)s. Nærmeste leder er varslet.")
                    % {"number": deviation.number},
                )
                return redirect(deviation)
    else:
        initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        own = list(request.user.memberships.values_list("unit_id", flat=True)[:2])
        if len(own) == 1:
            initial["unit"] = own[0]
        form = forms.ReportForm(user=request.user, initial=initial)
    return render(request, "deviations/report.html", {"form": form})


def _detail_context(request, deviation: Deviation, **forms_override) -> dict:
    user = request.user
    can_change = permissions.can(user, deviation, "change")
    can_share = permissions.can(user, deviation, "share")
    actions = list(
        permissions.restrict(user, deviation.actions.all())
        .select_related("responsible", "unit")
        .order_by("deadline", "pk")
    )
    today = timezone.localdate()
    for action in actions:
        action.overdue = action.is_overdue(today)
    events = deviation.events.select_related("actor", "action").order_by("at", "pk")
    context = {
        "deviation": deviation,
        "actions": actions,
        "events": events,
        "attachments": deviation.attachments.all(),
        "can_change": can_change,
        "can_share": can_share,
        "is_reporter": deviation.reporter_id == user.pk,
        "panels": hooks.detail_panels_for(request, deviation),
        "State": Deviation.State,
        "comment_form": forms.CommentForm(prefix="comment"),
        "attach_form": forms.AttachForm(auto_id="id_new_%s"),
        "documents": permissions.restrict(user, deviation.documents.all()).only(
            "pk", "number", "title"
        ),
    }
    if can_change and deviation.is_open:
        context.update(
            {
                "handler_form": forms.HandlerForm(
                    prefix="handler", deviation=deviation, initial={"handler": deviation.handler_id}
                ),
                "classify_form": forms.ClassifyForm(
                    prefix="classify",
                    initial={
                        "cause_class": deviation.cause_class,
                        "cause_analysis": deviation.cause_analysis,
                        "category": deviation.category_id,
                    },
                ),
                "action_form": forms.ActionForm(
                    prefix="action", unit=deviation.unit, deviation=deviation
                ),
                "forward_form": forms.ForwardForm(prefix="forward"),
                "reject_form": forms.ReasonForm(prefix="reject"),
                "close_form": forms.CloseForm(prefix="close"),
                "closing_problems": services.closing_problems(deviation, actions),
                "document_form": forms.DocumentLinkForm(prefix="document"),
            }
        )
    if can_share:
        context["share_form"] = forms.ShareForm(prefix="share")
        context["shared_with"] = services.shared_with(deviation)
    if deviation.contains_personal_data and can_share:
        context["access_log"] = AccessLog.objects.filter(deviation=deviation).select_related(
            "user"
        )[:50]
    context.update(forms_override)
    return context


def _get_deviation(request, pk: int, action: str = "view", channel: str = "web") -> Deviation:
    """Every page and form of a case loads it through ``fetch_for``, which logs the read."""
    return services.fetch_for(
        request.user,
        pk,
        action,
        channel,
        Deviation.objects.select_related("unit", "reporter", "handler", "category"),
    )


@login_required
def detail(request, pk: int):
    """The case page: facts, timeline, actions and — for the handler — every next step."""
    deviation = _get_deviation(request, pk)
    return render(request, "deviations/detail.html", _detail_context(request, deviation))


def _rerender(request, deviation, **forms_override):
    return render(
        request,
        "deviations/detail.html",
        _detail_context(request, deviation, **forms_override),
        status=400,
    )


def _run(request, deviation, form_name: str, form, call):
    """Validate ``form``, run the service; on errors show the page again with what was typed."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except services.TransitionError as exc:
            messages.error(request, exc.message)
            return redirect(deviation)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _after_change(request, deviation)
    return _rerender(request, deviation, **{form_name: form})


def _after_change(request, deviation):
    """Back to the case, or to the inbox when the step took it out of the user's sight (a
    forward out of a leader's subtree): the case page would answer 404."""
    if permissions.restrict(request.user, Deviation).filter(pk=deviation.pk).exists():
        return redirect(deviation)
    messages.success(
        request,
        _("Endringen er lagret. Du har ikke lenger tilgang til sak %(number)s.")
        % {"number": deviation.number},
    )
    return redirect("deviations:index")


@login_required
@require_POST
def start(request, pk: int):
    deviation = _get_deviation(request, pk, "change")
    try:
        services.start_treatment(actor=request.user, deviation=deviation)
    except services.TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Du er nå saksbehandler."))
    return redirect(deviation)


@login_required
@require_POST
def assign(request, pk: int):
    deviation = _get_deviation(request, pk, "change")
    form = forms.HandlerForm(request.POST, prefix="handler", deviation=deviation)
    return _run(
        request,
        deviation,
        "handler_form",
        form,
        lambda d: services.assign_handler(
            actor=request.user, deviation=deviation, handler=d["handler"]
        ),
    )


@login_required
@require_POST
def classify(request, pk: int):
    deviation = _get_deviation(request, pk, "change")
    form = forms.ClassifyForm(request.POST, prefix="classify")
    return _run(
        request,
        deviation,
        "classify_form",
        form,
        lambda d: services.classify_deviation(
            actor=request.user,
            deviation=deviation,
            cause_class=d["cause_class"],
            cause_analysis=d["cause_analysis"],
            category=d["category"],
        ),
    )


@login_required
@require_POST
def add_action(request, pk: int):
    deviation = _get_deviation(request, pk, "change")
    form = forms.ActionForm(request.POST, prefix="action", unit=deviation.unit, deviation=deviation)
    return _run(
        request,
        deviation,
        "action_form",
        form,
        lambda d: services.create_action(
            actor=request.user,
            unit=deviation.unit,
            description=d["description"],
            responsible=d["responsible"],
            deadline=d["deadline"],
            deviation=deviation,
        ),
    )


@login_required
@require_POST
def forward(request, pk: int):
    deviation = _get_deviation(request, pk, "change")
    form = forms.ForwardForm(request.POST, prefix="forward")
    return _run(
        request,
        deviation,
        "forward_form",
        form,
        lambda d: services.forward_deviation(
            actor=request.user, deviation=deviation, unit=d["unit"], reason=d["reason"]
        ),
    )


@login_required
@require_POST
def reject(request, pk: int):
    deviation = _get_deviation(request, pk, "change")
    form = forms.ReasonForm(request.POST, prefix="reject")
    return _run(
        request,
        deviation,
        "reject_form",
        form,
        lambda d: services.reject_deviation(
            actor=request.user, deviation=deviation, reason=d["reason"]
        ),
    )


@login_required
@require_POST
def close(request, pk: int):
    deviation = _get_deviation(request, pk, "change")
    form = forms.CloseForm(request.POST, prefix="close")
    return _run(
        request,
        deviation,
        "close_form",
        form,
        lambda d: services.close_deviation(actor=request.user, deviation=deviation, note=d["note"]),
    )


@login_required
@require_POST
def comment(request, pk: int):
    deviation = _get_deviation(request, pk)
    form = forms.CommentForm(request.POST, prefix="comment")
    return _run(
        request,
        deviation,
        "comment_form",
        form,
        lambda d: services.add_comment(actor=request.user, deviation=deviation, text=d["text"]),
    )


@login_required
@require_POST
def link_document(request, pk: int):
    deviation = _get_deviation(request, pk, "change")
    form = forms.DocumentLinkForm(request.POST, prefix="document", user=request.user)
    return _run(
        request,
        deviation,
        "document_form",
        form,
        lambda d: services.link_document(
            actor=request.user, deviation=deviation, document=d["number"]
        ),
    )


@login_required
@require_POST
def unlink_document(request, pk: int, document_id: int):
    deviation = _get_deviation(request, pk, "change")
    document = deviation.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    services.unlink_document(actor=request.user, deviation=deviation, document=document)
    messages.success(request, _("Koblingen er fjernet."))
    return redirect(deviation)


@login_required
@require_POST
def share(request, pk: int):
    deviation = _get_deviation(request, pk, "share")
    form = forms.ShareForm(request.POST, prefix="share")
    return _run(
        request,
        deviation,
        "share_form",
        form,
        lambda d: services.share_deviation(
            actor=request.user, deviation=deviation, user=d["username"]
        ),
    )


@login_required
@require_POST
def unshare(request, pk: int, user_id: int):
    from qms.models import User

    deviation = _get_deviation(request, pk, "share")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    services.unshare_deviation(actor=request.user, deviation=deviation, user=user)
    messages.success(request, _("Delingen er fjernet."))
    return redirect(deviation)


@login_required
@require_POST
def attach(request, pk: int):
    deviation = _get_deviation(request, pk)
    field = forms.AttachmentsField()
    try:
        uploads = field.clean(request.FILES.getlist("attachments"))
        if not uploads:
            raise ValidationError(_("Velg en fil å laste opp."))
        for upload in uploads:
            services.add_attachment(actor=request.user, deviation=deviation, upload=upload)
    except services.TransitionError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Vedlegget er lagt til."))
    return redirect(deviation)


@login_required
def attachment(request, pk: int, attachment_id: int):
    """Attachments are served only through the permission layer, never from MEDIA_URL."""
    item = Attachment.objects.filter(
        deviation=_get_deviation(request, pk, channel="attachment"), pk=attachment_id
    ).first()
    if item is None:
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.content_type.startswith("image/"),
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Corrective actions -------------------------------------------------------------------


def _get_action(request, pk: int, action: str = "view") -> CorrectiveAction:
    """An action of a personal-data case is that case's content: ``fetch_action_for`` logs it."""
    return services.fetch_action_for(
        request.user,
        pk,
        action,
        "web",
        CorrectiveAction.objects.select_related(
            "deviation", "unit", "responsible", "done_by", "effect_evaluated_by", "created_by"
        ),
    )


def _action_context(request, action: CorrectiveAction, **override) -> dict:
    user = request.user
    open_case = action.deviation is None or action.deviation.is_open
    context = {
        "action": action,
        "overdue": action.is_overdue(),
        "can_complete": open_case
        and action.done_at is None
        and permissions.can(user, action, "complete"),
        "can_evaluate": open_case
        and action.done_at is not None
        and action.effect_evaluated_at is None
        and permissions.can(user, action, "evaluate"),
        "can_view_deviation": action.deviation is not None
        and permissions.can(user, action.deviation, "view"),
        "events": action.events.select_related("actor").order_by("at", "pk"),
        "panels": hooks.detail_panels_for(request, action),
        "complete_form": forms.CompleteActionForm(prefix="complete"),
        "evaluate_form": forms.EvaluateForm(prefix="evaluate"),
    }
    context.update(override)
    return context


@login_required
def action_detail(request, pk: int):
    """One action: mark done, evaluate effect; other modules show where it comes from."""
    action = _get_action(request, pk)
    return render(request, "deviations/action.html", _action_context(request, action))


def _submit(request, obj, form, call, message: str, page):
    """Validate ``form`` and run the service; back to ``obj`` with ``message``, or ``page()`` (the
    page again, 400) with what was typed and the errors. A refused step goes back with its reason."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except services.TransitionError as exc:
            messages.error(request, exc.message)
            return redirect(obj)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(obj)
    return page()


def _run_action(request, action, form_name, form, call):
    return _submit(
        request,
        action,
        form,
        call,
        _("Lagret."),
        lambda: render(
            request,
            "deviations/action.html",
            _action_context(request, action, **{form_name: form}),
            status=400,
        ),
    )


@login_required
@require_POST
def action_complete(request, pk: int):
    action = _get_action(request, pk, "complete")
    form = forms.CompleteActionForm(request.POST, prefix="complete")
    return _run_action(
        request,
        action,
        "complete_form",
        form,
        lambda d: services.complete_action(actor=request.user, action=action, note=d["note"]),
    )


@login_required
@require_POST
def action_evaluate(request, pk: int):
    action = _get_action(request, pk, "evaluate")
    form = forms.EvaluateForm(request.POST, prefix="evaluate")
    return _run_action(
        request,
        action,
        "evaluate_form",
        form,
        lambda d: services.evaluate_action_effect(
            actor=request.user, action=action, effect=d["effect"], note=d["note"]
        ),
    )


# --- Reporting without an account ---------------------------------------------------------


def _report_link(token: str) -> ReportLink:
    link = (
        ReportLink.objects.select_related("unit")
        .filter(token=token, is_active=True, unit__is_active=True)
        .first()
    )
    if link is None:
        raise Http404
    return link


@login_required
def unit_link(request, unit_id: int):
    """A leader's page with the unit's public link and printable QR code."""
    unit = permissions.get_object_or_404(request.user, OrgUnit, pk=unit_id)
    if not permissions.can_create(request.user, ReportLink, unit):
        raise PermissionDenied
    if request.method == "POST":
        link, created = ReportLink.objects.get_or_create(unit=unit)
        if not created and request.POST.get("renew"):
            link.token = ReportLink._meta.get_field("token").default()
            link.is_active = True
            link.save()
            messages.success(request, _("Ny lenke er laget. Den gamle virker ikke lenger."))
        return redirect("deviations:unit_link", unit_id=unit.pk)
    link = ReportLink.objects.filter(unit=unit).first()
    context = {"unit": unit, "link": link}
    if link is not None:
        import segno

        url = request.build_absolute_uri(link.get_absolute_url())
        context["url"] = url
        context["qr_svg"] = segno.make(url, error="m").svg_inline(scale=6, title=unit.name)
    return render(request, "deviations/unit_link.html", context)


def public_report(request, token: str):
    """The open form of one unit: no login, rate-limited, honeypot; nothing else is reachable."""
    from qms.net import rate_limited

    link = _report_link(token)
    if request.method == "POST":
        limited = rate_limited(request, group="deviations.public", rate="10/h")
        form = forms.PublicReportForm(request.POST, request.FILES, unit=link.unit)
        if limited:
            form.is_valid()
            form.add_error(
                None,
                _("For mange meldinger fra denne adressen. Vent en stund og prøv igjen."),
            )
            return render(
                request, "deviations/public_report.html", {"form": form, "link": link}, status=429
            )
        if form.is_valid():
            data = form.cleaned_data
            deviation = services.report_deviation(
                reporter=None,
                unit=link.unit,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                occurred_at=data["occurred_at"],
                severity=data["severity"],
                place=data["place"],
                immediate_action=data["immediate_action"],
                contains_personal_data=data["contains_personal_data"],
                files=data["attachments"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
                via_public_form=True,
            )
            return render(
                request, "deviations/public_done.html", {"number": deviation.number, "link": link}
            )
    else:
        form = forms.PublicReportForm(
            unit=link.unit,
            initial={"occurred_at": timezone.localtime().replace(second=0, microsecond=0)},
        )
    return render(request, "deviations/public_report.html", {"form": form, "link": link})


def qr_code(request, token: str):
    """The QR code of a unit's open form as SVG, for printing."""
    import segno

    link = _report_link(token)
    url = request.build_absolute_uri(link.get_absolute_url())
    svg = segno.make(url, error="m").svg_inline(scale=8, title=link.unit.name)
    return HttpResponse(svg, content_type="image/svg+xml")


# --- Inspections (tilsyn) -----------------------------------------------------------------


@login_required
def inspections(request):
    """The register of inspections the user may see, filtered by authority, status and year;
    open findings past the authority's deadline are counted per inspection."""
    today = timezone.localdate()
    base = Inspection.objects.restrict(request.user, "view")
    form = forms.InspectionFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["authority"]:
            base = base.filter(authority=data["authority"])
        if data["status"]:
            base = base.filter(status=data["status"])
        if data["year"]:
            base = base.in_year(data["year"])
    queryset = base.select_related("authority", "unit").with_finding_counts(today)
    rows, next_after = keyset_page(queryset, request.GET.get("etter"))
    params = request.GET.copy()
    params.pop("etter", None)
    return render(
        request,
        "deviations/inspections.html",
        {
            "form": form,
            "rows": rows,
            "next_after": next_after,
            "query": params.urlencode(),
            "can_record": permissions.can_create_somewhere(request.user, Inspection),
        },
    )


@login_required
def inspection_new(request):
    """Record an inspection: leaders of the responsible unit (or above) and quality advisors."""
    units = permissions.creatable_units(request.user, Inspection).order_by("path")
    if not units.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = forms.InspectionForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection = services.record_inspection(actor=request.user, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Tilsynet er registrert."))
                return redirect(inspection)
    else:
        form = forms.InspectionForm(units=units, initial={"status": Inspection.Status.PLANNED})
    return render(request, "deviations/inspection_form.html", {"form": form})


def _get_inspection(request, pk: int, action: str = "view") -> Inspection:
    return permissions.get_object_or_404(
        request.user,
        Inspection.objects.select_related("authority", "unit", "created_by"),
        action,
        pk=pk,
    )


def _inspection_context(request, inspection: Inspection, **override) -> dict:
    user = request.user
    today = timezone.localdate()
    can_change = permissions.can(user, inspection, "change")
    findings = list(
        permissions.restrict(user, inspection.findings.all())
        .select_related("deviation", "deviation__unit", "confirmed_by")
        .order_by("deadline", "pk")
    )
    # The finding's case follows deviation_rule: linked only for those who may open it.
    visible_cases = set(
        permissions.restrict(
            user, Deviation.objects.filter(pk__in=[f.deviation_id for f in findings])
        ).values_list("pk", flat=True)
    )
    for finding in findings:
        finding.overdue = finding.is_past_deadline(today)
        finding.case_visible = finding.deviation_id in visible_cases
        if can_change and not finding.is_closed:
            finding.problems = services.confirmation_problems(finding, user)
            # Each finding has its own forms (own ids); a refused one comes back bound.
            finding.reply_form = override.pop(
                f"reply-{finding.pk}", forms.ReplyForm(prefix=f"reply-{finding.pk}")
            )
            finding.confirm_form = override.pop(
                f"confirm-{finding.pk}", forms.ConfirmFindingForm(prefix=f"confirm-{finding.pk}")
            )
    context = {
        "inspection": inspection,
        "findings": findings,
        "units": inspection.units.order_by("path"),
        "can_change": can_change,
        "status_form": forms.InspectionStatusForm(
            prefix="status", initial={"status": inspection.status}
        ),
        "report_form": forms.InspectionReportForm(prefix="report"),
        "Status": Inspection.Status,
    }
    context.update(override)
    return context


@login_required
def inspection(request, pk: int):
    """One inspection: details, the authority's report, the findings with their cases."""
    found = _get_inspection(request, pk)
    return render(request, "deviations/inspection.html", _inspection_context(request, found))


@login_required
def inspection_report(request, pk: int):
    """The authority's report, served through the permission layer like case attachments."""
    found = _get_inspection(request, pk)
    if not found.report:
        raise Http404
    response = FileResponse(
        found.report.open("rb"),
        content_type=found.report_content_type or "application/octet-stream",
        as_attachment=not found.report_content_type.startswith("image/"),
        filename=found.report_name or "tilsynsrapport",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _run_inspection(request, found, form_name, form, call, message):
    return _submit(
        request,
        found,
        form,
        call,
        message,
        lambda: render(
            request,
            "deviations/inspection.html",
            _inspection_context(request, found, **{form_name: form}),
            status=400,
        ),
    )


@login_required
@require_POST
def inspection_upload(request, pk: int):
    found = _get_inspection(request, pk, "change")
    form = forms.InspectionReportForm(request.POST, request.FILES, prefix="report")
    return _run_inspection(
        request,
        found,
        "report_form",
        form,
        lambda d: services.attach_inspection_report(
            actor=request.user, inspection=found, upload=d["report"], received_on=d["received_on"]
        ),
        _("Rapporten er lagret."),
    )


@login_required
@require_POST
def inspection_status(request, pk: int):
    found = _get_inspection(request, pk, "change")
    form = forms.InspectionStatusForm(request.POST, prefix="status")
    return _run_inspection(
        request,
        found,
        "status_form",
        form,
        lambda d: services.set_inspection_status(
            actor=request.user, inspection=found, status=d["status"]
        ),
        _("Status er endret."),
    )


@login_required
def inspection_finding_new(request, pk: int):
    """Add a finding: it is reported as a deviation in the chosen unit."""
    found = _get_inspection(request, pk, "change")
    units = permissions.creatable_units(request.user, InspectionFinding, source=found)
    units = units.order_by("path")
    if request.method == "POST":
        form = forms.FindingForm(request.POST, units=units)
        if form.is_valid():
            try:
                finding = services.add_finding(
                    actor=request.user, inspection=found, **form.cleaned_data
                )
            except services.TransitionError as exc:
                messages.error(request, exc.message)
                return redirect(found)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Funnet er registrert som avvik %(number)s.")
                    % {"number": finding.deviation.number},
                )
                return redirect(found)
    else:
        form = forms.FindingForm(
            units=units,
            initial={"unit": found.unit_id, "kind": InspectionFinding.Kind.NONCONFORMITY},
        )
    return render(request, "deviations/finding_form.html", {"form": form, "inspection": found})


def _get_finding(request, pk: int, action: str) -> InspectionFinding:
    return permissions.get_object_or_404(
        request.user,
        InspectionFinding.objects.select_related("inspection", "deviation"),
        action,
        pk=pk,
    )


@login_required
@require_POST
def inspection_finding_reply(request, pk: int):
    finding = _get_finding(request, pk, "change")
    found = _get_inspection(request, finding.inspection_id)
    form = forms.ReplyForm(request.POST, prefix=f"reply-{finding.pk}")
    return _run_inspection(
        request,
        found,
        f"reply-{finding.pk}",
        form,
        lambda d: services.reply_to_finding(actor=request.user, finding=finding, reply=d["reply"]),
        _("Svaret er registrert."),
    )


@login_required
@require_POST
def inspection_finding_confirm(request, pk: int):
    finding = _get_finding(request, pk, "change")
    found = _get_inspection(request, finding.inspection_id)
    form = forms.ConfirmFindingForm(request.POST, prefix=f"confirm-{finding.pk}")
    return _run_inspection(
        request,
        found,
        f"confirm-{finding.pk}",
        form,
        lambda d: services.confirm_finding_closed(
            actor=request.user, finding=finding, note=d["note"]
        ),
        _("Funnet er lukket etter tilsynets bekreftelse."),
    )
