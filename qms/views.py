"""Views of the organisation app: the start page, unit pages, notifications."""

from __future__ import annotations

import base64
import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qms import absence, hooks, hr_import, permissions, rules
from qms.forms import AbsenceForm, HrImportForm, UnitDescriptionForm, add_service_errors
from qms.models import Membership, Notification, OrgUnit, UnitDescription
from qms.organisation import acting_leader, leader_chain, units_of


@login_required
def home(request):
    """ "Min side": the user's units, tasks from every module and the modules' own panels."""
    user = request.user
    memberships = (
        Membership.objects.filter(user=user).select_related("unit").order_by("unit__path", "role")
    )
    context = {
        "memberships": memberships,
        "tasks": hooks.tasks_for(user),
        "panels": hooks.panels_for(request),
        "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).listed()[:10],
        "routed": absence.routed_while_away(user)[:25],
        "away": absence.absences_of(user)[:3],
        "may_register_absence": absence.absent_leaders(user).exists(),
    }
    return render(request, "qms/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def absences(request):
    """ "Fravær": a leader registers their absence (a quality advisor anyone's) and sees what
    went to someone else while they were away. Who receives the work is decided by
    ``qms.organisation.acting_leader``; this page only records the period."""
    user = request.user
    if not absence.absent_leaders(user).exists():
        raise PermissionDenied
    form = AbsenceForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            absence.register_absence(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Fraværet er registrert."))
            return HttpResponseRedirect(reverse("absences"))
    context = {
        "form": form,
        "absences": absence.managed_absences(user),
        "routed": absence.routed_while_away(user)[:100],
    }
    return render(request, "qms/absences.html", context)


@login_required
@require_POST
def absence_cancel(request, pk: int):
    """Remove a coming absence, or end a running one (its leader, an advisor, an admin)."""
    found = absence.managed_absences(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    absence.cancel_absence(actor=request.user, absence=found)
    messages.success(request, _("Fraværet er avsluttet."))
    return HttpResponseRedirect(reverse("absences"))


@login_required
def unit_detail(request, pk: int):
    unit = permissions.get_object_or_404(request.user, OrgUnit, pk=pk)
    members = permissions.restrict(request.user, Membership).filter(unit=unit)
    context = {
        "unit": unit,
        "ancestors": unit.ancestors_and_self().exclude(pk=unit.pk).order_by("depth"),
        "children": OrgUnit.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1
        ).order_by("name"),
        "leaders": leader_chain(unit),
        "acting": acting_leader(unit),
        "members": members.select_related("user").order_by("role", "user__last_name"),
        "deputy": Membership.objects.filter(
            unit=unit, role=Membership.Role.DEPUTY, user__is_active=True
        )
        .select_related("user")
        .first(),
        "description": UnitDescription.objects.filter(unit=unit).first(),
        "may_describe": permissions.can(request.user, unit, "describe"),
    }
    if context["description"]:
        # Every saved version but the one shown, newest first: the unit's change log.
        context["earlier"] = (
            context["description"]
            .history.select_related("history_user")
            .order_by("-history_date", "-history_id")[1:]
        )
    return render(request, "qms/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_description_edit(request, pk: int):
    """ "Endre beskrivelse": the unit's leaders (and those above), quality advisors and
    administrators (``describe`` in qms/rules.py); everyone else 403."""
    unit = permissions.get_object_or_404(request.user, OrgUnit, "describe", pk=pk)
    description = UnitDescription.objects.filter(unit=unit).first() or UnitDescription(unit=unit)
    form = UnitDescriptionForm(request.POST or None, instance=description)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        messages.success(request, _("Beskrivelsen er lagret."))
        return HttpResponseRedirect(unit.get_absolute_url())
    return render(request, "qms/unit_description_form.html", {"unit": unit, "form": form})


@login_required
def unit_list(request):
    units = permissions.restrict(request.user, OrgUnit).active().order_by("path")
    return render(
        request,
        "qms/unit_list.html",
        {
            "units": units,
            "my_unit_ids": set(units_of(request.user).values_list("pk", flat=True)),
            "may_provision": rules.may_provision(request.user),
        },
    )


HR_IMPORT_SESSION = "qms_hr_import"


def _plan_digest(plan: hr_import.Plan) -> str:
    """A fingerprint of the changes shown, so Apply does what the person saw, nothing else."""
    text = json.dumps(plan.sections(), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _stash(request, tables, plan) -> None:
    request.session[HR_IMPORT_SESSION] = {
        "tables": [[t[0], base64.b64encode(t[1]).decode()] if t else None for t in tables],
        "digest": _plan_digest(plan),
    }


def _unstash(request):
    stash = request.session.get(HR_IMPORT_SESSION)
    if not stash:
        return None, ""
    tables = [(t[0], base64.b64decode(t[1])) if t else None for t in stash["tables"]]
    return tables, stash["digest"]


@login_required
@require_http_methods(["GET", "POST"])
def hr_import_view(request):
    """Import units and people from the HR system: upload, see the dry-run diff, then apply
    (quality advisors and administrators, ``rules.may_provision``)."""
    if not rules.may_provision(request.user):
        raise PermissionDenied
    if request.method == "POST" and "apply" in request.POST:
        return _hr_import_apply(request)
    form = HrImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        tables = form.tables()
        plan = hr_import.plan(*tables)
        context["plan"] = plan
        if not plan.errors and not plan.is_empty():
            _stash(request, tables, plan)
            context["digest"] = request.session[HR_IMPORT_SESSION]["digest"]
    return render(request, "qms/hr_import.html", context)


def _hr_import_apply(request):
    tables, digest = _unstash(request)
    if tables is None:
        messages.error(request, _("Last opp filene på nytt."))
        return HttpResponseRedirect(reverse("hr_import"))
    plan = hr_import.plan(*tables)
    posted = request.POST.get("digest")
    if plan.errors or _plan_digest(plan) != posted or digest != posted:
        # Something changed since the dry run: show the new changes and ask again.
        messages.warning(
            request,
            _("Endringene er ikke de samme som i forhåndsvisningen. Se over og bekreft på nytt."),
        )
        if not plan.errors and not plan.is_empty():
            _stash(request, tables, plan)
        context = {"form": HrImportForm(), "plan": plan}
        if not plan.errors:
            context["digest"] = _plan_digest(plan)
        return render(request, "qms/hr_import.html", context)
    outcome = hr_import.apply(plan)
    del request.session[HR_IMPORT_SESSION]
    return render(
        request, "qms/hr_import.html", {"form": HrImportForm(), "done": outcome, "plan": plan}
    )


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user).listed(), 25).get_page(
        request.GET.get("side")
    )
    return render(request, "qms/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    # Opening a line of the list reads every notification on it (QuerySet.listed()).
    Notification.objects.filter(recipient=request.user).same_item(pk).unread().update(
        read_at=timezone.now()
    )
    target = (
        Notification.objects.filter(recipient=request.user, pk=pk)
        .values_list("url", flat=True)
        .first()
    )
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect("/varsler/")


def healthz(request):
    """Liveness and database readiness for the container health check."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Finnes ikke."}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Ingen tilgang."}, status=403)
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Ugyldig forespørsel."}, status=400)
    return render(request, "400.html", status=400)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": "Intern feil."}, status=500)
    return render(request, "500.html", status=500)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's own API keys: make one (shown once), see when each expires, revoke."""
    from qms import tokens

    created_key = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100] or "API"
        days = request.POST.get("days", "")
        _token, created_key = tokens.issue_token(
            request.user, name, int(days) if days.isdigit() else None
        )
    context = {
        "tokens": tokens.tokens_of(request.user),
        "created_key": created_key,
        "now": timezone.now(),
        "day_choices": [30, 90, 365],
        "default_days": settings.API_TOKEN_DAYS,
    }
    return render(request, "qms/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    from qms import tokens

    if tokens.revoke(request.user, pk):
        messages.success(request, _("Nøkkelen er trukket tilbake og virker ikke lenger."))
    return HttpResponseRedirect(reverse("api_tokens"))


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    """The user's choice between e-mails at once and one daily digest (User.EmailMode)."""
    from qms.models import User

    if request.method == "POST":
        mode = request.POST.get("email_mode")
        if mode in User.EmailMode.values:
            User.objects.filter(pk=request.user.pk).update(email_mode=mode)
            messages.success(request, _("Valget ditt er lagret."))
        return HttpResponseRedirect(reverse("email_settings"))
    return render(
        request,
        "qms/email_settings.html",
        {"choices": User.EmailMode.choices, "current": request.user.email_mode},
    )


def _remember_language(response, language: str):
    """The language selector's cookie follows the saved choice (deleted for "the målform")."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
        )
    return response


@require_POST
def set_language(request):
    """The footer's language selector: Django's set_language, and for a signed-in user the
    choice is also saved on their profile (it wins over the cookie, qms.middleware)."""
    from django.views.i18n import set_language as django_set_language

    from qms.models import User

    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


def _in_own_language(code: str, label) -> str:
    with translation.override(code):
        return str(label)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    """The user's own settings: their language (or the municipality's målform), with links to
    e-mail notifications, API keys and the password."""
    from qms.models import Language, User
    from qms.site import site_settings

    if request.method == "POST":
        language = request.POST.get("language", "")
        if language == "" or language in Language.values:
            User.objects.filter(pk=request.user.pk).update(language=language)
            messages.success(request, _("Valget ditt er lagret."))
        return _remember_language(HttpResponseRedirect(reverse("account_settings")), language)
    written_standard = site_settings().get_default_language_display()
    return render(
        request,
        "qms/account_settings.html",
        {
            # Each language named in itself, as language selectors do.
            "choices": [("", _("Kommunens målform (%(name)s)") % {"name": written_standard})]
            + [(code, _in_own_language(code, label)) for code, label in Language.choices],
            "current": request.user.language,
        },
    )
