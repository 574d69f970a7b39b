"""Views of the annual wheel: thin — parse, call a service, render."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Max, Prefetch, Q, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from annual_wheel import ical, services, wheel
from annual_wheel.forms import (
    MAX_YEAR,
    MIN_YEAR,
    ActionPlanForm,
    ActivityForm,
    AgendaItemForm,
    AnswerForm,
    AssessmentForm,
    ChecklistForm,
    DecisionForm,
    FeedForm,
    FindingForm,
    MinutesForm,
    ParticipantForm,
    PlanAuditForm,
    PlanMeetingForm,
    QuestionForm,
    RecordForm,
    ReferForm,
    ReportAuditForm,
    ReviewSummaryForm,
    StartAuditForm,
    StartReviewForm,
    StartRoundForm,
    WheelFilterForm,
)
from annual_wheel.models import (
    Activity,
    AgendaItem,
    Audit,
    CalendarFeed,
    Category,
    Checklist,
    ChecklistQuestion,
    ChecklistVersion,
    Committee,
    Meeting,
    Occurrence,
    Review,
    ReviewParticipant,
    Round,
    RoundAnswer,
)
from annual_wheel.permissions import may_refer
from annual_wheel.querysets import completion_figures
from qms import hooks, permissions
from qms.exceptions import StateError
from qms.forms import add_service_errors


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
    occurrences = list(
        occurrences.prefetch_related(
            Prefetch(
                "rounds",
                queryset=Round.objects.restrict(request.user).order_by("date", "pk"),
                to_attr="visible_rounds",
            ),
            Prefetch(
                "reviews",
                queryset=Review.objects.restrict(request.user).order_by("date", "pk"),
                to_attr="visible_reviews",
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.restrict(request.user).order_by("date", "pk"),
                to_attr="visible_meetings",
            ),
        )
    )
    can_record = permissions.can(request.user, occurrences[0], "record") if occurrences else False
    # A round is started from an occurrence when the activity names a checklist.
    can_start_round = bool(
        occurrences
        and activity.checklist_id
        and activity.is_active
        and (
            permissions.can_create(request.user, Round, activity.unit, source=occurrences[0])
            if activity.unit_id
            else permissions.can_create_somewhere(request.user, Round)
        )
    )
    # A management review is started from an occurrence of a review activity of a unit.
    can_start_review = bool(
        occurrences
        and activity.kind == Activity.Kind.REVIEW
        and activity.unit_id
        and activity.is_active
        and permissions.can_create(request.user, Review, activity.unit, source=occurrences[0])
    )
    # A meeting is planned from an occurrence when the activity names a committee.
    can_plan_meeting = bool(
        occurrences
        and activity.committee_id
        and activity.is_active
        and can_record
        and permissions.can_create(
            request.user, Meeting, activity.committee.unit, source=activity.committee
        )
    )
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
        "can_start_round": can_start_round,
        "can_start_review": can_start_review,
        "can_plan_meeting": can_plan_meeting,
        "documents": _documents(request.user, activity),
        "today": today,
    }


def _documents(user, activity: Activity) -> list:
    return list(permissions.restrict(user, activity.documents.all()).order_by("pk"))


def _visible_activity(request, pk: int) -> Activity:
    return permissions.get_object_or_404(
        request.user,
        Activity.objects.select_related(
            "unit", "category", "responsible", "created_by", "checklist", "committee__unit"
        ),
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
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Aktiviteten er lagt til i årshjulet."))
            return redirect(activity)
    return render(request, "annual_wheel/activity_form.html", {"form": form, "activity": None})


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
            add_service_errors(form, exc)
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
            add_service_errors(form, exc)
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


# --- Checklists ----------------------------------------------------------------------------------


def _can_keep_checklists(user) -> bool:
    return permissions.can_create_somewhere(user, Checklist)


@login_required
@require_GET
def checklist_list(request):
    """Every active checklist, with the version rounds start from; advisors add new ones."""
    checklists = (
        Checklist.objects.restrict(request.user)
        .active()
        .select_related("unit")
        .annotate(
            published=Max(
                "versions__number", filter=Q(versions__status=ChecklistVersion.Status.PUBLISHED)
            ),
            draft=Max("versions__number", filter=Q(versions__status=ChecklistVersion.Status.DRAFT)),
        )
        .order_by("title", "pk")
    )
    return render(
        request,
        "annual_wheel/checklist_list.html",
        {
            "checklists": checklists,
            "can_add": _can_keep_checklists(request.user),
            "can_start": permissions.can_create_somewhere(request.user, Round),
        },
    )


@login_required
def checklist_create(request):
    if not _can_keep_checklists(request.user):
        raise PermissionDenied
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checklist = services.create_checklist(request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sjekklisten er laget. Legg til spørsmål i utkastet."))
            return redirect(checklist.versions.get().get_absolute_url())
    return render(request, "annual_wheel/checklist_form.html", {"form": form, "checklist": None})


@login_required
def checklist_edit(request, pk: int):
    checklist = permissions.get_object_or_404(request.user, Checklist, "change", pk=pk)
    form = ChecklistForm(request.POST or None, instance=checklist)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_checklist(
                request.user, Checklist.objects.get(pk=pk), **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect(reverse("annual_wheel:checklist_detail", args=[pk]))
    return render(
        request, "annual_wheel/checklist_form.html", {"form": form, "checklist": checklist}
    )


def _grouped(questions) -> list[tuple[str, list]]:
    """Questions in order, grouped by consecutive section titles."""
    groups: list[tuple[str, list]] = []
    for question in questions:
        if not groups or groups[-1][0] != question.section:
            groups.append((question.section, []))
        groups[-1][1].append(question)
    return groups


def _questions(user, version: ChecklistVersion):
    from documents.models import Document

    return list(
        version.questions.order_by("order", "pk").prefetch_related(
            Prefetch(
                "document",
                queryset=permissions.restrict(user, Document).only("pk", "number", "title"),
            )
        )
    )


@login_required
@require_GET
def checklist_detail(request, pk: int):
    checklist = permissions.get_object_or_404(
        request.user, Checklist.objects.select_related("unit"), pk=pk
    )
    versions = list(
        permissions.restrict(request.user, checklist.versions.all())
        .select_related("published_by")
        .order_by("-number")
    )
    published = next((v for v in versions if v.status == ChecklistVersion.Status.PUBLISHED), None)
    draft = next((v for v in versions if v.is_draft), None)
    return render(
        request,
        "annual_wheel/checklist_detail.html",
        {
            "checklist": checklist,
            "versions": versions,
            "published": published,
            "draft": draft,
            "groups": _grouped(_questions(request.user, published)) if published else [],
            "can_change": permissions.can(request.user, checklist, "change"),
            "can_start": published is not None
            and permissions.can_create_somewhere(request.user, Round),
        },
    )


@login_required
@require_POST
def checklist_draft(request, pk: int):
    checklist = permissions.get_object_or_404(request.user, Checklist, "change", pk=pk)
    draft = services.start_draft(request.user, checklist)
    return redirect(draft.get_absolute_url())


def _version(request, pk: int, version_pk: int, action: str = "view") -> ChecklistVersion:
    return permissions.get_object_or_404(
        request.user,
        ChecklistVersion.objects.select_related("checklist", "checklist__unit"),
        action,
        pk=version_pk,
        checklist_id=pk,
    )


def _version_page(request, version: ChecklistVersion, form=None, status: int = 200):
    editable = version.is_draft and permissions.can(request.user, version, "change")
    return render(
        request,
        "annual_wheel/checklist_version.html",
        {
            "version": version,
            "checklist": version.checklist,
            "questions": _questions(request.user, version),
            "editable": editable,
            "form": form or (QuestionForm(user=request.user) if editable else None),
        },
        status=status,
    )


@login_required
@require_GET
def checklist_version(request, pk: int, version_pk: int):
    """A version's questions; a draft is edited here (add, change, reorder, remove, publish)."""
    return _version_page(request, _version(request, pk, version_pk))


@login_required
@require_POST
def question_add(request, pk: int, version_pk: int):
    version = _version(request, pk, version_pk, "change")
    form = QuestionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.add_question(request.user, version, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StateError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(version.get_absolute_url())
        else:
            messages.success(request, _("Spørsmålet er lagt til."))
            return redirect(version.get_absolute_url() + "#add-question")
    return _version_page(request, version, form, status=400)


def _question(request, pk: int, action: str = "change") -> ChecklistQuestion:
    return permissions.get_object_or_404(
        request.user,
        ChecklistQuestion.objects.select_related("version", "version__checklist", "document"),
        action,
        pk=pk,
    )


@login_required
def question_edit(request, pk: int):
    question = _question(request, pk)
    if not question.version.is_draft:
        raise PermissionDenied
    form = QuestionForm(request.POST or None, instance=question, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(
                request.user, ChecklistQuestion.objects.get(pk=pk), **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Spørsmålet er lagret."))
            return redirect(question.version.get_absolute_url() + f"#question-{pk}")
    return render(request, "annual_wheel/question_form.html", {"form": form, "question": question})


def _version_change(request, pk: int, change) -> HttpResponse:
    question = _question(request, pk)
    try:
        change(question)
    except StateError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(question.version.get_absolute_url() + f"#question-{pk}")


@login_required
@require_POST
def question_move(request, pk: int):
    up = request.POST.get("direction") != "down"
    return _version_change(request, pk, lambda q: services.move_question(request.user, q, up=up))


@login_required
@require_POST
def question_remove(request, pk: int):
    return _version_change(request, pk, lambda q: services.remove_question(request.user, q))


@login_required
@require_POST
def version_publish(request, pk: int, version_pk: int):
    version = _version(request, pk, version_pk, "change")
    try:
        services.publish_version(request.user, version)
    except StateError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(version.get_absolute_url())
    messages.success(
        request,
        _(
            "Versjon %(number)s er publisert. Nye runder bruker den; gjennomførte runder beholder "
            "sin versjon."
        )
        % {"number": version.number},
    )
    return redirect(version.checklist)


# --- Rounds --------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request):
    """The rounds the user may see: those in progress first, then the signed ones."""
    rounds = (
        Round.objects.restrict(request.user)
        .select_related("version", "version__checklist", "unit")
        .order_by(Case(When(status=Round.Status.IN_PROGRESS, then=0), default=1), "-date", "-pk")[
            :100
        ]
    )
    return render(
        request,
        "annual_wheel/round_list.html",
        {"rounds": rounds, "can_start": permissions.can_create_somewhere(request.user, Round)},
    )


@login_required
def round_start(request):
    """Start a round by hand, or from an annual-wheel occurrence (``?occurrence=``)."""
    occurrence = None
    raw = request.GET.get("occurrence") or request.POST.get("occurrence")
    if raw:
        if not str(raw).isdigit():
            raise Http404
        occurrence = permissions.get_object_or_404(
            request.user, Occurrence.objects.select_related("activity"), pk=int(raw)
        )
    if occurrence is None and not permissions.can_create_somewhere(request.user, Round):
        raise PermissionDenied
    initial = {"date": timezone.localdate()}
    if occurrence is not None:
        initial["checklist"] = occurrence.activity.checklist_id
        initial["unit"] = occurrence.activity.unit_id
    else:
        led = permissions.actor_for(request.user).led_unit_ids
        if led:
            initial["unit"] = min(led)
        if request.GET.get("checklist", "").isdigit():
            initial["checklist"] = int(request.GET["checklist"])
    if request.method == "POST":
        form = StartRoundForm(
            request.POST, user=request.user, occurrence=occurrence, initial=initial
        )
        if "refresh" not in request.POST and form.is_valid():
            try:
                round_ = services.start_round(
                    request.user,
                    checklist=form.cleaned_data["checklist"],
                    unit=form.cleaned_data["unit"],
                    date=form.cleaned_data["date"],
                    participants=form.cleaned_data["participants"],
                    occurrence=occurrence,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Runden er startet. Svarene lagres etter hvert."))
                return redirect(round_)
    else:
        form = StartRoundForm(user=request.user, occurrence=occurrence, initial=initial)
    if not form.fields["unit"].queryset.exists():
        raise PermissionDenied
    return render(
        request, "annual_wheel/round_start.html", {"form": form, "occurrence": occurrence}
    )


def _round(request, pk: int, action: str = "view") -> Round:
    return permissions.get_object_or_404(
        request.user,
        Round.objects.select_related(
            "version", "version__checklist", "unit", "signed_by", "occurrence__activity"
        ),
        action,
        pk=pk,
    )


def _round_rows(user, round_: Round) -> list[tuple[str, list]]:
    """The round's questions, each with its answer (or None), grouped by section."""
    from deviations.models import CorrectiveAction, Deviation

    answers = {
        a.question_id: a
        for a in round_.answers.select_related("answered_by").prefetch_related(
            Prefetch(
                "deviation",
                queryset=permissions.restrict(user, Deviation).only("pk", "number", "title"),
            ),
            Prefetch(
                "action",
                queryset=permissions.restrict(user, CorrectiveAction)
                .select_related("responsible")
                .only("pk", "description", "deadline", "responsible"),
            ),
        )
    }
    questions = _questions(user, round_.version)
    for question in questions:
        question.answer = answers.get(question.pk)
        if question.answer is not None:
            question.answer.question = question  # ``failed`` reads it: no query per answer
    return _grouped(questions)


def _round_context(request, round_: Round) -> dict:
    can_change = not round_.is_signed and permissions.can(request.user, round_, "change")
    return {
        "round": round_,
        "groups": _round_rows(request.user, round_),
        "participants": round_.participants.order_by("first_name", "last_name", "username"),
        "can_change": can_change,
        "can_sign": not round_.is_signed and permissions.can(request.user, round_, "sign"),
        "problems": [] if round_.is_signed else services.signing_problems(round_),
    }


@login_required
@require_GET
def round_detail(request, pk: int):
    """The round on a phone: one question per row, each answer saved on its own."""
    round_ = _round(request, pk)
    return render(request, "annual_wheel/round_detail.html", _round_context(request, round_))


def _round_question(round_: Round, question_pk: int) -> ChecklistQuestion:
    question = round_.version.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404
    return question


def _question_response(request, round_: Round, question: ChecklistQuestion, error: str = ""):
    """The question's row for htmx (swapped in place); without htmx, back to the round page."""
    if request.headers.get("HX-Request"):
        context = _round_context(request, round_)
        rows = [q for _section, qs in context["groups"] for q in qs if q.pk == question.pk]
        context.update({"q": rows[0], "error": error, "saved": not error, "oob": True})
        return render(request, "annual_wheel/_round_question.html", context)
    if error:
        messages.error(request, error)
    return redirect(round_.get_absolute_url() + f"#q-{question.pk}")


@login_required
@require_POST
def round_answer(request, pk: int, question_pk: int):
    round_ = _round(request, pk, "change")
    question = _round_question(round_, question_pk)
    form = AnswerForm(request.POST, request.FILES)
    error = ""
    if not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            services.answer_question(
                request.user,
                round_,
                question,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except StateError as exc:
            error = " ".join(exc.messages)
    return _question_response(request, _round(request, pk), question, error)


def _answer(round_: Round, question: ChecklistQuestion) -> RoundAnswer:
    answer = round_.answers.filter(question=question).first()
    if answer is None:
        raise Http404
    return answer


@login_required
@require_POST
def round_finding(request, pk: int, question_pk: int):
    """«Meld avvik»: the failed answer becomes a deviation of the round's unit."""
    round_ = _round(request, pk, "change")
    question = _round_question(round_, question_pk)
    error = ""
    try:
        answer = services.report_finding(request.user, _answer(round_, question))
    except (StateError, ValidationError) as exc:
        error = " ".join(exc.messages)
    else:
        if not request.headers.get("HX-Request"):
            messages.success(
                request,
                _("Avvik %(number)s er meldt til enhetens leder.")
                % {"number": answer.deviation.number},
            )
    return _question_response(request, _round(request, pk), question, error)


@login_required
def round_action(request, pk: int, question_pk: int):
    """«Legg til i handlingsplan»: an action with responsible and deadline for a failed answer."""
    round_ = _round(request, pk, "change")
    question = _round_question(round_, question_pk)
    answer = _answer(round_, question)
    form = ActionPlanForm(
        request.POST or None,
        unit=round_.unit,
        initial={
            "description": answer.comment or question.text,
            "deadline": timezone.localdate() + timedelta(days=30),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_to_action_plan(request.user, answer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StateError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Tiltaket er lagt til i handlingsplanen."))
            return redirect(round_.get_absolute_url() + f"#q-{question.pk}")
    return render(
        request,
        "annual_wheel/round_action.html",
        {"form": form, "round": round_, "question": question, "answer": answer},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def round_photo(request, pk: int, question_pk: int):
    """A round's photo, served only through the permission layer, never from MEDIA_URL."""
    round_ = _round(request, pk)
    answer = round_.answers.filter(question_id=question_pk).exclude(photo="").first()
    if answer is None:
        raise Http404
    response = FileResponse(answer.photo.open("rb"), content_type=answer.photo_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def round_sign(request, pk: int):
    round_ = _round(request, pk, "sign")
    try:
        services.sign_round(request.user, round_)
    except StateError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Runden er signert."))
    return redirect(round_)


PDF_PHOTO_TYPES = ("image/jpeg", "image/png", "image/gif")


def _photo_data_url(answer: RoundAnswer) -> str:
    """The photo as a ``data:`` URL for the report (the PDF fetcher allows nothing else)."""
    import base64

    if not answer.photo or answer.photo_type not in PDF_PHOTO_TYPES:
        return ""
    with answer.photo.open("rb") as fh:
        body = base64.b64encode(fh.read()).decode()
    return f"data:{answer.photo_type};base64,{body}"


@login_required
@require_GET
def round_pdf(request, pk: int):
    """The round's report: answers, findings with their deviation numbers, the action plan."""
    from qms.reports import pdf

    round_ = _round(request, pk)
    context = _round_context(request, round_)
    context["findings"] = [
        q
        for _section, questions in context["groups"]
        for q in questions
        if q.answer is not None and q.answer.failed
    ]
    for _section, questions in context["groups"]:
        for question in questions:
            if question.answer is not None:
                question.answer.photo_data = _photo_data_url(question.answer)
    context["generated"] = timezone.localtime()
    content, _pages = pdf.render_pdf(
        render_to_string("annual_wheel/round_pdf.html", context, request=request)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="runde-{round_.pk}.pdf"'
    return response


# --- Internal audits -----------------------------------------------------------------------------


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return timezone.localdate().year


@login_required
@require_GET
def audit_list(request):
    """The year's audit programmes: the audits the user may see, grouped by programme."""
    year = _year(request)
    audits = (
        Audit.objects.restrict(request.user)
        .in_year(year)
        .select_related("programme", "programme__unit", "unit", "lead_auditor")
        .order_by("programme__unit__path", "planned_date", "pk")
    )
    programmes: OrderedDict = OrderedDict()
    for audit in audits:
        programmes.setdefault(audit.programme, []).append(audit)
    return render(
        request,
        "annual_wheel/audit_list.html",
        {
            "year": year,
            "previous_year": year - 1 if year > MIN_YEAR else None,
            "next_year": year + 1 if year < MAX_YEAR else None,
            "programmes": programmes.items(),
            "can_plan": permissions.can_create_somewhere(request.user, Audit),
        },
    )


@login_required
def audit_create(request):
    """Plan an audit; from an annual-wheel occurrence (``?occurrence=``) reporting it records the
    occurrence as done."""
    occurrence = None
    raw = request.GET.get("occurrence") or request.POST.get("occurrence")
    if raw:
        if not str(raw).isdigit():
            raise Http404
        occurrence = permissions.get_object_or_404(
            request.user, Occurrence.objects.select_related("activity"), "record", pk=int(raw)
        )
    if not permissions.can_create_somewhere(request.user, Audit):
        raise PermissionDenied
    initial = {"lead_auditor": request.user.pk}
    if occurrence is not None:
        initial.update(
            title=occurrence.activity.title,
            planned_date=occurrence.due_date,
            unit=occurrence.activity.unit_id,
        )
    form = PlanAuditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = services.plan_audit(
                request.user,
                title=data["title"],
                programme_unit=data["programme_unit"],
                unit=data["unit"],
                process=data["process"],
                planned_date=data["planned_date"],
                lead_auditor=data["lead_auditor"],
                auditors=data["auditors"],
                criteria=data["criteria_numbers"],
                requirements=data["requirements"],
                occurrence=occurrence,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Revisjonen er planlagt."))
            return redirect(audit)
    return render(
        request,
        "annual_wheel/audit_form.html",
        {"form": form, "occurrence": occurrence},
        status=400 if form.is_bound and form.errors else 200,
    )


def _audit(request, pk: int, action: str = "view") -> Audit:
    return permissions.get_object_or_404(
        request.user,
        Audit.objects.select_related(
            "programme",
            "programme__unit",
            "unit",
            "process",
            "lead_auditor",
            "reported_by",
            "occurrence__activity",
        ),
        action,
        pk=pk,
    )


def _audit_context(request, audit: Audit) -> dict:
    from deviations.models import Deviation

    findings = audit.findings.select_related("criterion").prefetch_related(
        Prefetch(
            "deviation",
            queryset=permissions.restrict(request.user, Deviation).only("pk", "number", "title"),
        )
    )
    can_change = not audit.is_reported and permissions.can(request.user, audit, "change")
    return {
        "audit": audit,
        "auditors": audit.auditors.order_by("first_name", "last_name", "username"),
        "criteria": permissions.restrict(request.user, audit.criteria.all()).order_by("number"),
        "findings": list(findings),
        "can_change": can_change,
        "start_form": StartAuditForm(initial={"opening_date": timezone.localdate()})
        if can_change and audit.status == Audit.Status.PLANNED
        else None,
    }


@login_required
@require_GET
def audit_detail(request, pk: int):
    audit = _audit(request, pk)
    return render(request, "annual_wheel/audit_detail.html", _audit_context(request, audit))


@login_required
@require_POST
def audit_start(request, pk: int):
    """The opening meeting: the audit is in progress."""
    audit = _audit(request, pk, "change")
    form = StartAuditForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
        return redirect(audit)
    try:
        services.start_audit(request.user, audit, opening_date=form.cleaned_data["opening_date"])
    except StateError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Revisjonen er startet."))
    return redirect(audit)


@login_required
def audit_finding(request, pk: int):
    """Add a finding; an avvik is reported as a deviation of the audited unit at once."""
    audit = _audit(request, pk, "change")
    form = FindingForm(request.POST or None, audit=audit)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.add_finding(request.user, audit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StateError as exc:
            form.add_error(None, exc.messages)
        else:
            if finding.deviation_id:
                messages.success(
                    request,
                    _("Avvik %(number)s er meldt til enhetens leder.")
                    % {"number": finding.deviation.number},
                )
            else:
                messages.success(request, _("Funnet er lagt til."))
            return redirect(audit.get_absolute_url() + "#funn")
    return render(
        request,
        "annual_wheel/audit_finding.html",
        {"form": form, "audit": audit},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def audit_report(request, pk: int):
    """The closing meeting and the report's summary and conclusion."""
    audit = _audit(request, pk, "change")
    form = ReportAuditForm(
        request.POST or None,
        initial={
            "closing_date": timezone.localdate(),
            "summary": audit.summary,
            "conclusion": audit.conclusion,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_audit(request.user, audit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StateError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Revisjonen er rapportert."))
            return redirect(audit)
    return render(
        request,
        "annual_wheel/audit_report.html",
        {"form": form, "audit": audit},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def audit_pdf(request, pk: int):
    """The audit's report: scope, criteria, findings with their deviation numbers, conclusion."""
    from qms.reports import pdf

    audit = _audit(request, pk)
    context = _audit_context(request, audit)
    context["generated"] = timezone.localtime()
    content, _pages = pdf.render_pdf(
        render_to_string("annual_wheel/audit_pdf.html", context, request=request)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="revisjon-{audit.pk}.pdf"'
    return response


# --- Management review ---------------------------------------------------------------------------


@login_required
@require_GET
def review_list(request):
    """The management reviews the user may see: those in progress first, then the signed ones."""
    reviews = (
        Review.objects.restrict(request.user)
        .select_related("unit", "signed_by")
        .order_by(
            Case(When(status=Review.Status.IN_PROGRESS, then=0), default=1), "-year", "unit__path"
        )[:200]
    )
    return render(
        request,
        "annual_wheel/review_list.html",
        {"reviews": reviews, "can_start": permissions.can_create_somewhere(request.user, Review)},
    )


@login_required
def review_start(request):
    """Start a management review by hand, or from an annual-wheel occurrence (``?occurrence=``)."""
    occurrence = None
    raw = request.GET.get("occurrence") or request.POST.get("occurrence")
    if raw:
        if not str(raw).isdigit():
            raise Http404
        occurrence = permissions.get_object_or_404(
            request.user, Occurrence.objects.select_related("activity"), pk=int(raw)
        )
    if occurrence is None and not permissions.can_create_somewhere(request.user, Review):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"date": today, "year": today.year - 1 if today.month <= 6 else today.year}
    led = permissions.actor_for(request.user).led_unit_ids
    if occurrence is not None:
        initial["unit"] = occurrence.activity.unit_id
    elif led:
        initial["unit"] = min(led)
    if led and initial.get("unit") in led:
        initial["role"] = _("Leder")
    form = StartReviewForm(
        request.POST or None, user=request.user, occurrence=occurrence, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.start_review(request.user, occurrence=occurrence, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Gjennomgåelsen er startet."))
            return redirect(review)
    return render(
        request,
        "annual_wheel/review_start.html",
        {"form": form, "occurrence": occurrence},
        status=400 if form.is_bound and form.errors else 200,
    )


def _review(request, pk: int, action: str = "view") -> Review:
    return permissions.get_object_or_404(
        request.user,
        Review.objects.select_related("unit", "signed_by", "occurrence__activity"),
        action,
        pk=pk,
    )


def _decisions(user, review: Review) -> list:
    from deviations.models import CorrectiveAction

    return list(
        review.decisions.select_related("created_by").prefetch_related(
            Prefetch(
                "action",
                queryset=permissions.restrict(user, CorrectiveAction).select_related("responsible"),
            )
        )
    )


def _review_context(request, review: Review, **bound) -> dict:
    """The review page: the agenda (live, or the snapshot once signed) with each heading's
    assessment form, the participants, the decisions, sign-off and the reviews below."""
    user = request.user
    can_change = not review.is_signed and permissions.can(user, review, "change")
    headings = services.review_agenda(review)
    for heading in headings:
        if can_change:
            assessment = heading["assessment"]
            heading["form"] = bound.get(f"assess_{heading['key']}") or AssessmentForm(
                initial={"text": assessment.text if assessment else ""},
                prefix=f"a-{heading['key']}",
            )
    sections = [(h["key"], h["title"]) for h in headings]
    decisions = _decisions(user, review)
    for decision in decisions:
        decision.section_title = dict(sections).get(decision.section, "")
    context = {
        "review": review,
        "headings": headings,
        "participants": review.participants.select_related("user").order_by("pk"),
        "decisions": decisions,
        "can_change": can_change,
        "can_sign": not review.is_signed and permissions.can(user, review, "sign"),
        "problems": [] if review.is_signed else services.review_signing_problems(review),
        "below": Review.objects.restrict(user)
        .below(review.unit)
        .filter(year=review.year)
        .select_related("unit", "signed_by")
        .order_by("unit__path"),
        "units_below": review.unit.subtree().filter(depth=review.unit.depth + 1).exists(),
        "panels": hooks.detail_panels_for(request, review),
    }
    if can_change:
        context["summary_form"] = bound.get("summary") or ReviewSummaryForm(
            initial={"date": review.date, "summary": review.summary}
        )
        context["participant_form"] = bound.get("participant") or ParticipantForm(unit=review.unit)
        context["decision_form"] = bound.get("decision") or DecisionForm(
            unit=review.unit,
            sections=sections,
            initial={"deadline": timezone.localdate() + timedelta(days=90)},
        )
    return context


def _review_page(request, review: Review, status: int = 200, **bound):
    return render(
        request,
        "annual_wheel/review_detail.html",
        _review_context(request, review, **bound),
        status=status,
    )


@login_required
@require_GET
def review_detail(request, pk: int):
    return _review_page(request, _review(request, pk))


def _review_post(request, review: Review, form, key: str, call, done: str, anchor: str):
    """Run ``call(cleaned_data)`` for a valid ``form``; on a refusal show the page again with
    what was typed and the error beside it (400); on a signed review say so."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StateError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(review)
        else:
            messages.success(request, done)
            return redirect(review.get_absolute_url() + anchor)
    return _review_page(request, review, status=400, **{key: form})


@login_required
@require_POST
def review_update(request, pk: int):
    review = _review(request, pk, "change")
    form = ReviewSummaryForm(request.POST)
    return _review_post(
        request,
        review,
        form,
        "summary",
        lambda data: services.update_review(request.user, review, **data),
        _("Den samlede vurderingen er lagret."),
        "#summary",
    )


@login_required
@require_POST
def review_assess(request, pk: int, section: str):
    from qms.reports.agenda import agenda

    review = _review(request, pk, "change")
    if section not in agenda:
        raise Http404
    form = AssessmentForm(request.POST, prefix=f"a-{section}")
    return _review_post(
        request,
        review,
        form,
        f"assess_{section}",
        lambda data: services.save_assessment(
            request.user, review, section=section, text=data["text"]
        ),
        _("Vurderingen er lagret."),
        f"#agenda-{section}",
    )


@login_required
@require_POST
def review_participant(request, pk: int):
    review = _review(request, pk, "change")
    form = ParticipantForm(request.POST, unit=review.unit)
    return _review_post(
        request,
        review,
        form,
        "participant",
        lambda data: services.add_participant(request.user, review, **data),
        _("Deltakeren er lagt til."),
        "#participants",
    )


@login_required
@require_POST
def review_participant_remove(request, pk: int, participant_pk: int):
    review = _review(request, pk, "change")
    participant = ReviewParticipant.objects.filter(review=review, pk=participant_pk).first()
    if participant is None:
        raise Http404
    try:
        services.remove_participant(request.user, participant)
    except StateError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Deltakeren er fjernet."))
    return redirect(review.get_absolute_url() + "#participants")


@login_required
@require_POST
def review_decision(request, pk: int):
    from qms.reports.agenda import agenda

    review = _review(request, pk, "change")
    sections = [(entry.key, entry.title) for entry in agenda]
    form = DecisionForm(request.POST, unit=review.unit, sections=sections)

    def call(data):
        services.add_decision(
            request.user,
            review,
            text=data["description"],
            section=data["section"],
            responsible=data["responsible"],
            deadline=data["deadline"],
        )

    return _review_post(
        request,
        review,
        form,
        "decision",
        call,
        _("Vedtaket er lagt til, og tiltaket er sendt til den ansvarlige."),
        "#decisions",
    )


@login_required
@require_POST
def review_sign(request, pk: int):
    review = _review(request, pk, "sign")
    try:
        services.sign_review(request.user, review)
    except StateError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Gjennomgåelsen er signert."))
    return redirect(review)


@login_required
@require_GET
def review_pdf(request, pk: int):
    """The review as a tagged PDF (PDF/UA-1): the agenda's figures (the snapshot once signed),
    the assessments, the decisions, the participants and the sign-off."""
    from qms.reports import pdf

    review = _review(request, pk)
    context = _review_context(request, review)
    context["generated"] = timezone.localtime()
    content, _pages = pdf.render_pdf(
        render_to_string("annual_wheel/review_pdf.html", context, request=request)
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"ledelsens-gjennomgaelse-{review.unit.code}-{review.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Committees and meetings (docs/design.md §14) ------------------------------------------------


@login_required
@require_GET
def committee_list(request):
    """The committees, and the meetings where the user has a seat or may read the minutes."""
    committees = (
        Committee.objects.restrict(request.user)
        .active()
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    meetings = (
        Meeting.objects.restrict(request.user)
        .select_related("committee")
        .order_by("-date", "pk")[:30]
    )
    return render(
        request,
        "annual_wheel/committee_list.html",
        {"committees": committees, "meetings": meetings},
    )


@login_required
def committee_detail(request, pk: int):
    """A committee: its members, its meetings, and (for its keepers) planning the next one."""
    committee = permissions.get_object_or_404(
        request.user, Committee.objects.select_related("unit"), pk=pk
    )
    can_plan = permissions.can_create(request.user, Meeting, committee.unit, source=committee)
    occurrence = _committee_occurrence(request, committee)
    form = None
    if can_plan:
        initial = {"date": occurrence.due_date} if occurrence else {}
        form = PlanMeetingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                meeting = services.plan_meeting(
                    request.user, committee, occurrence=occurrence, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Møtet er planlagt."))
                return redirect(meeting)
    meetings = Meeting.objects.restrict(request.user).filter(committee=committee)
    return render(
        request,
        "annual_wheel/committee_detail.html",
        {
            "committee": committee,
            "seats": committee.seats.select_related("user").order_by("role", "user__first_name"),
            "meetings": meetings.order_by("-date"),
            "form": form,
            "occurrence": occurrence,
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


def _committee_occurrence(request, committee: Committee) -> Occurrence | None:
    raw = request.GET.get("occurrence") or request.POST.get("occurrence")
    if not raw:
        return None
    if not str(raw).isdigit():
        raise Http404
    return permissions.get_object_or_404(
        request.user,
        Occurrence.objects.select_related("activity"),
        "record",
        pk=int(raw),
        activity__committee=committee,
    )


def _meeting(request, pk: int, action: str = "attend") -> Meeting:
    return permissions.get_object_or_404(
        request.user,
        Meeting.objects.select_related("committee", "committee__unit", "approved_by", "occurrence"),
        action,
        pk=pk,
    )


def _items(request, meeting: Meeting) -> list[AgendaItem]:
    """The agenda with each referred case, loaded through the layer (a hidden case: None)."""
    items = list(meeting.items.select_related("referred_by", "action", "action__responsible"))
    for item in items:
        case = services.referred_object(item)
        item.case = case if case is not None and permissions.can(request.user, case) else None
    return items


@login_required
@require_GET
def meeting_detail(request, pk: int):
    """The meeting's working page for those with a seat and its keepers; others who may read
    the published minutes are sent to them."""
    meeting = _meeting(request, pk, "view")
    if not permissions.can(request.user, meeting, "attend"):
        return redirect("annual_wheel:meeting_minutes", pk=meeting.pk)
    can_change = not meeting.minutes_locked and permissions.can(request.user, meeting, "change")
    return render(
        request,
        "annual_wheel/meeting_detail.html",
        {
            "meeting": meeting,
            "items": _items(request, meeting),
            "can_change": can_change,
            "can_approve": meeting.status == Meeting.Status.HELD
            and permissions.can(request.user, meeting, "approve"),
            "can_publish": meeting.status == Meeting.Status.APPROVED
            and permissions.can(request.user, meeting, "change"),
            "item_form": AgendaItemForm()
            if can_change and meeting.status in Meeting.REFERRABLE_STATES
            else None,
        },
    )


def _meeting_step(request, pk: int, step, success: str, action: str = "change"):
    meeting = _meeting(request, pk, action)
    try:
        step(request.user, meeting)
    except StateError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(meeting)


@login_required
@require_POST
def meeting_publish_agenda(request, pk: int):
    return _meeting_step(request, pk, services.publish_agenda, _("Saklisten er sendt."))


@login_required
@require_POST
def meeting_hold(request, pk: int):
    return _meeting_step(request, pk, services.hold_meeting, _("Møtet er avholdt."))


@login_required
@require_POST
def meeting_approve(request, pk: int):
    return _meeting_step(
        request, pk, services.approve_minutes, _("Protokollen er godkjent."), "approve"
    )


@login_required
@require_POST
def meeting_publish(request, pk: int):
    return _meeting_step(request, pk, services.publish_minutes, _("Protokollen er publisert."))


@login_required
@require_POST
def item_add(request, pk: int):
    """A free item on the agenda (an orientation, a question)."""
    meeting = _meeting(request, pk, "change")
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_free_item(request.user, meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StateError as exc:
            form.add_error(None, exc.messages)
    if form.errors:
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
    else:
        messages.success(request, _("Saken er lagt til."))
    return redirect(meeting.get_absolute_url() + "#sakliste")


def _item(request, pk: int) -> AgendaItem:
    return permissions.get_object_or_404(
        request.user,
        AgendaItem.objects.select_related("meeting", "meeting__committee", "action"),
        "change",
        pk=pk,
    )


@login_required
def item_minutes(request, pk: int):
    """Write an item's minutes: the discussion and the decision."""
    item = _item(request, pk)
    form = MinutesForm(
        request.POST or None, initial={"discussion": item.discussion, "decision": item.decision}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_minutes(request.user, item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except StateError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Vedtaket er lagret."))
            return redirect(item.meeting.get_absolute_url() + f"#sak-{item.pk}")
    return render(
        request,
        "annual_wheel/item_minutes.html",
        {"form": form, "item": item, "meeting": item.meeting},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def item_action(request, pk: int):
    """The decision becomes a corrective action with a responsible and a deadline."""
    item = _item(request, pk)
    case = services.referred_object(item)
    from deviations.models import Deviation

    unit = case.unit if isinstance(case, Deviation) else item.meeting.committee.unit
    form = ActionPlanForm(
        request.POST or None,
        unit=unit,
        initial={
            "description": item.decision,
            "deadline": timezone.localdate() + timedelta(days=30),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_action(request.user, item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (StateError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "messages", None) or str(exc))
        else:
            messages.success(request, _("Tiltaket er opprettet."))
            return redirect(item.meeting.get_absolute_url() + f"#sak-{item.pk}")
    return render(
        request,
        "annual_wheel/item_action.html",
        {"form": form, "item": item, "meeting": item.meeting},
        status=400 if form.is_bound and form.errors else 200,
    )


def _minutes_context(request, pk: int) -> dict:
    meeting = _meeting(request, pk, "view")
    if meeting.status != Meeting.Status.PUBLISHED and not permissions.can(
        request.user, meeting, "attend"
    ):
        raise Http404
    return {"meeting": meeting, "minutes": services.published_minutes(meeting)}


@login_required
@require_GET
def meeting_minutes(request, pk: int):
    """The published minutes: only what ``services.published_minutes`` lets out."""
    return render(request, "annual_wheel/meeting_minutes.html", _minutes_context(request, pk))


@login_required
@require_GET
def meeting_minutes_pdf(request, pk: int):
    from qms.reports import pdf

    context = _minutes_context(request, pk)
    context["generated"] = timezone.localtime()
    content, _pages = pdf.render_pdf(
        render_to_string("annual_wheel/meeting_minutes_pdf.html", context, request=request)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{pk}.pdf"'
    return response


@login_required
def refer(request, kind: str, pk: int):
    """«Meld til utvalg»: put a case on a coming meeting's agenda."""
    from qms import referrals

    try:
        model = referrals.kind(kind).model
    except LookupError:
        raise Http404 from None
    case = permissions.get_object_or_404(request.user, model, pk=pk)
    if not may_refer(request.user, case):
        raise PermissionDenied
    meetings = services.referral_meetings(request.user, case)
    summary_only = referrals.kind(kind).summary_only(case)
    initial = {} if summary_only else {"title": getattr(case, "title", "")}
    form = ReferForm(request.POST or None, meetings=meetings, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.refer_case(
                request.user, data["meeting"], case, title=data["title"], summary=data["summary"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Saken er meldt til %(meeting)s.") % {"meeting": item.meeting}
            )
            return redirect(case)
    return render(
        request,
        "annual_wheel/refer.html",
        {
            "form": form,
            "case": case,
            "summary_only": summary_only,
            "has_meetings": meetings.exists(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
