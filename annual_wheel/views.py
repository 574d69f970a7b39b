"""Views of the annual wheel: thin — parse, call a service, render."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from annual_wheel import ical, services, wheel
from annual_wheel.forms import (
    MAX_YEAR,
    MIN_YEAR,
    ActivityForm,
    FeedForm,
    RecordForm,
    WheelFilterForm,
)
from annual_wheel.models import Activity, CalendarFeed, Category, Occurrence
from annual_wheel.querysets import completion_figures
from qms import permissions


def _filters(request):
    form = WheelFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    unit, year, category = form.values()
    return form, unit, year, category


def _wheel_occurrences(user, unit, year: int, category: Category | None):
    qs = (
        Occurrence.objects.restrict(user)
        .for_wheel_of(unit)
        .in_year(year)
        .filter(activity__is_active=True)
        .select_related("activity", "activity__category", "activity__unit", "activity__responsible")
        .order_by("due_date", "activity__title", "pk")
    )
    if category is not None:
        qs = qs.filter(activity__category=category)
    return qs


def _by_month(occurrences) -> OrderedDict:
    months = OrderedDict((m, []) for m in range(1, 13))
    for occ in occurrences:
        months[occ.due_date.month].append(occ)
    return months


def _common_context(request, unit, year, category, form):
    today = timezone.localdate()
    occurrences = list(_wheel_occurrences(request.user, unit, year, category))
    months = _by_month(occurrences)
    query = {"unit": unit.pk if unit else "", "year": year}
    if category:
        query["category"] = category.pk
    return {
        "form": form,
        "unit": unit,
        "year": year,
        "category": category,
        "today": today,
        "occurrences": occurrences,
        "months": [(wheel.MONTHS[m - 1], m, rows) for m, rows in months.items()],
        "categories": Category.objects.all(),
        "prev_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "query": query,
        "can_add": permissions.can_create_somewhere(request.user, Activity),
    }


@login_required
@require_GET
def index(request):
    """The wheel of one unit for one year: its own activities and those it inherits."""
    form, unit, year, category = _filters(request)
    context = _common_context(request, unit, year, category, form)
    context["wheel"] = wheel.layout(context["occurrences"], year, context["today"])
    return render(request, "annual_wheel/index.html", context)


@login_required
@require_GET
def month_list(request):
    """The same occurrences month by month, with status, and the unit's completion figure."""
    form, unit, year, category = _filters(request)
    context = _common_context(request, unit, year, category, form)
    if unit is not None:
        own = Occurrence.objects.restrict(request.user).filter(
            activity__unit=unit, activity__is_active=True
        )
        context["completion"] = completion_figures(
            own, date(year, 1, 1), date(year, 12, 31), context["today"]
        )
    return render(request, "annual_wheel/month_list.html", context)


def _detail_context(request, activity: Activity, record_forms=None) -> dict:
    today = timezone.localdate()
    year_param = request.GET.get("year", "")
    year = (
        int(year_param)
        if year_param.isdigit() and MIN_YEAR <= int(year_param) <= MAX_YEAR
        else None
    )
    occurrences = activity.occurrences.select_related("completed_by").order_by("due_date")
    if year:
        occurrences = occurrences.filter(due_date__year=year)
    else:
        occurrences = occurrences.filter(due_date__gte=date(today.year - 1, 1, 1))
    occurrences = list(occurrences)
    can_record = permissions.can(request.user, occurrences[0], "record") if occurrences else False
    record_forms = record_forms or {}
    for occ in occurrences:
        occ.form = record_forms.get(occ.pk) or RecordForm(
            initial={"status": occ.status, "note": occ.note}, prefix=f"occ{occ.pk}"
        )
        occ.overdue = occ.is_overdue(today)
    return {
        "activity": activity,
        "occurrences": occurrences,
        "can_change": permissions.can(request.user, activity, "change"),
        "can_record": can_record,
        "documents": _documents(request.user, activity),
        "today": today,
    }


def _documents(user, activity: Activity) -> list:
    return list(permissions.restrict(user, activity.documents.all()).order_by("pk"))


def _visible_activity(request, pk: int) -> Activity:
    return permissions.get_object_or_404(
        request.user,
        Activity.objects.select_related("unit", "category", "responsible", "created_by"),
        pk=pk,
    )


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = _visible_activity(request, pk)
    return render(request, "annual_wheel/activity_detail.html", _detail_context(request, activity))


@login_required
def activity_create(request):
    if not permissions.can_create_somewhere(request.user, Activity):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(request.user, **form.service_fields())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Aktiviteten er lagt til i årshjulet."))
            return redirect(activity)
    return render(request, "annual_wheel/activity_form.html", {"form": form, "activity": None})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def activity_edit(request, pk: int):
    activity = permissions.get_object_or_404(request.user, Activity, "change", pk=pk)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(
                request.user, Activity.objects.get(pk=pk), **form.service_fields()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect(reverse("annual_wheel:activity_detail", args=[pk]))
    return render(request, "annual_wheel/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_archive(request, pk: int):
    activity = permissions.get_object_or_404(request.user, Activity, "delete", pk=pk)
    services.archive_activity(request.user, activity)
    messages.success(request, _("Aktiviteten er tatt ut av årshjulet."))
    return redirect(
        reverse("annual_wheel:index") + (f"?unit={activity.unit_id}" if activity.unit_id else "")
    )


@login_required
@require_POST
def occurrence_record(request, pk: int):
    """Mark one occurrence done or not done, with a note; errors re-show the page with the text."""
    occurrence = permissions.get_object_or_404(
        request.user, Occurrence.objects.select_related("activity"), "record", pk=pk
    )
    form = RecordForm(request.POST, prefix=f"occ{pk}")
    if form.is_valid():
        try:
            services.record_occurrence(
                request.user, occurrence, form.cleaned_data["status"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("«%(title)s» %(date)s er registrert som %(status)s.")
                % {
                    "title": occurrence.activity.title,
                    "date": occurrence.due_date.strftime("%d.%m.%Y"),
                    "status": Occurrence.Status(form.cleaned_data["status"]).label.lower(),
                },
            )
            return redirect(occurrence.get_absolute_url())
    activity = _visible_activity(request, occurrence.activity_id)
    context = _detail_context(request, activity, {occurrence.pk: form})
    return render(request, "annual_wheel/activity_detail.html", context, status=400)


# --- Calendar feeds ------------------------------------------------------------------------------


def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("annual_wheel:ical_feed", args=[token]))


@login_required
def feed_list(request):
    """The user's calendar subscriptions: make a new secret address, revoke old ones."""
    form = FeedForm(
        request.POST or None, initial={"unit": WheelFilterForm(user=request.user).default_unit()}
    )
    new_url = None
    if request.method == "POST" and form.is_valid():
        _feed, token = services.create_feed(request.user, form.cleaned_data["unit"])
        new_url = _feed_url(request, token)
        form = FeedForm(initial={"unit": form.cleaned_data["unit"]})
    feeds = (
        permissions.restrict(request.user, CalendarFeed)
        .select_related("unit")
        .order_by("revoked_at", "-created_at")[:50]
    )
    status = 400 if request.method == "POST" and new_url is None else 200
    return render(
        request,
        "annual_wheel/feeds.html",
        {"form": form, "feeds": feeds, "new_url": new_url},
        status=status,
    )


@login_required
@require_POST
def feed_revoke(request, pk: int):
    feed = permissions.get_object_or_404(request.user, CalendarFeed, "delete", pk=pk)
    services.revoke_feed(request.user, feed)
    messages.success(request, _("Kalenderadressen er trukket tilbake og virker ikke lenger."))
    return redirect("annual_wheel:feeds")


@require_GET
def ical_feed(request, token: str):
    """The unit's wheel as iCalendar, for calendar apps that cannot sign in: the token is the key.

    A wrong, revoked or deactivated user's token is a 404 (nothing tells it ever existed).
    """
    feed = services.feed_for_token(token)
    if feed is None:
        raise Http404
    today = timezone.localdate()
    occurrences = (
        Occurrence.objects.restrict(feed.user)
        .for_wheel_of(feed.unit)
        .in_period(date(today.year - 1, 1, 1), services.horizon_end(today))
        .filter(activity__is_active=True)
        .select_related("activity", "activity__category", "activity__unit")
        .order_by("due_date", "pk")
    )
    body = ical.render(feed.unit, occurrences, base_url=request.build_absolute_uri("/"))
    if feed.last_used_at is None or feed.last_used_at < timezone.now() - timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="arshjul-{feed.unit.code}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
