"""The annual wheel on "Min side": the coming activities panel and "Mine oppgaver" rows; the
committee panel ("Meld til utvalg") on the pages of referable cases."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from annual_wheel.models import (
    Activity,
    AgendaItem,
    Audit,
    AuditFinding,
    CommitteeMember,
    Meeting,
    Occurrence,
    Review,
    ReviewParticipant,
    Round,
    RoundAnswer,
)
from annual_wheel.permissions import may_refer, may_sign_review_q
from deviations.models import Deviation
from qms import hooks
from qms.permissions import actor_for

PANEL_DAYS = 30
TASK_DAYS = 30
TASK_LIMIT = 20


def upcoming_panel(request):
    """Occurrences in the wheels of the user's units in the next 30 days (one query)."""
    user = request.user
    actor = actor_for(user)
    if not actor.authenticated:
        return None
    today = timezone.localdate()
    rows = list(
        Occurrence.objects.restrict(user)
        # The municipality's wheel and those of the user's units and their ancestors.
        .filter(Q(activity__unit__isnull=True) | actor.member_and_ancestors_q("activity__unit"))
        .filter(activity__is_active=True)
        .in_period(today, today + timedelta(days=PANEL_DAYS))
        .select_related("activity", "activity__unit", "activity__category")
        .order_by("due_date", "activity__title")[:10]
    )
    return hooks.Panel(
        order=40,
        template="annual_wheel/_home_panel.html",
        context={"occurrences": rows, "days": PANEL_DAYS},
    )


def my_tasks(user) -> list[hooks.TaskItem]:
    """Planned occurrences of activities the user is responsible for: due soon or overdue."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    rows = (
        Occurrence.objects.restrict(user)
        .filter(
            activity__responsible=user,
            activity__is_active=True,
            status=Occurrence.Status.PLANNED,
            due_date__lte=today + timedelta(days=TASK_DAYS),
            due_date__gte=today - timedelta(days=365),
        )
        .select_related("activity")
        .order_by("due_date")[:TASK_LIMIT]
    )
    return [
        hooks.TaskItem(
            module=_("Årshjul"),
            title=occ.activity.title,
            url=occ.get_absolute_url(),
            deadline=occ.due_date,
            status=occ.get_status_display(),
            overdue=occ.due_date < today,
        )
        for occ in rows
    ]


def my_rounds(user) -> list[hooks.TaskItem]:
    """Rounds the user takes part in that are still in progress (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    rows = (
        Round.objects.restrict(user)
        .in_progress()
        .filter(participants=user)
        .select_related("version__checklist", "unit")
        .order_by("date", "pk")[:TASK_LIMIT]
    )
    return [
        hooks.TaskItem(
            module=_("Runde"),
            title=f"{r.version.checklist.title} – {r.unit.name}",
            url=r.get_absolute_url(),
            deadline=r.date,
            status=r.get_status_display(),
            overdue=r.date < today,
        )
        for r in rows
    ]


def my_audits(user) -> list[hooks.TaskItem]:
    """Planned and in-progress audits the user leads or takes part in as an auditor, with the
    planned date as deadline; a planned audit past its date is overdue (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    rows = (
        Audit.objects.restrict(user)
        .not_reported()
        .audited_by(user)
        .select_related("unit")
        .order_by("planned_date", "pk")[:TASK_LIMIT]
    )
    return [
        hooks.TaskItem(
            module=_("Intern revisjon"),
            title=f"{a.title} – {a.unit.name}",
            url=a.get_absolute_url(),
            deadline=a.planned_date,
            status=a.get_status_display(),
            overdue=a.status == Audit.Status.PLANNED and a.planned_date < today,
        )
        for a in rows
    ]


def my_reviews(user) -> list[hooks.TaskItem]:
    """Management reviews in progress waiting for the user: those they take part in and those
    they are to sign (the unit's leader or deputy, ``may_sign_review_q``), with the meeting date
    as deadline (one query)."""
    actor = actor_for(user)
    if not actor.authenticated:
        return []
    today = timezone.localdate()
    mine = ReviewParticipant.objects.filter(user_id=actor.user_id).values("review_id")
    rows = (
        Review.objects.restrict(user)
        .in_progress()
        .filter(Q(pk__in=mine) | may_sign_review_q(actor))
        .select_related("unit")
        .order_by("date", "pk")[:TASK_LIMIT]
    )
    return [
        hooks.TaskItem(
            module=_("Ledelsens gjennomgåelse"),
            title=_("%(unit)s, år %(year)s") % {"unit": r.unit.name, "year": r.year},
            url=r.get_absolute_url(),
            deadline=r.date,
            status=r.get_status_display(),
            overdue=r.date < today,
        )
        for r in rows
    ]


hooks.register_panel(upcoming_panel)
hooks.register_tasks(my_tasks)
hooks.register_tasks(my_rounds)
hooks.register_tasks(my_audits)
hooks.register_tasks(my_reviews)


def document_panel(request, document):
    """On a document's page: the annual-wheel activities that build on it (one query)."""
    activities = list(
        Activity.objects.restrict(request.user)
        .filter(documents=document, is_active=True)
        .select_related("unit", "category")
        .order_by("start_date", "title")[:20]
    )
    if not activities:
        return None
    return hooks.Panel(
        order=60,
        template="annual_wheel/_document_panel.html",
        context={"activities": activities},
    )


hooks.register_detail_panel("documents.Document", document_panel)


def finding_panel(request, deviation) -> hooks.Panel | None:
    """On the page of a case that is a finding of a round or an internal audit: where it came
    from, linked. Only for those who may see that round or audit (``restrict``): one query,
    none for a reported case."""
    user = request.user
    if deviation.source == Deviation.Source.ROUND:
        answer = (
            RoundAnswer.objects.restrict(user)
            .filter(deviation=deviation)
            .select_related("round__version__checklist", "round__unit", "question")
            .first()
        )
        context = {"answer": answer, "round": answer and answer.round}
    elif deviation.source == Deviation.Source.INTERNAL_AUDIT:
        finding = (
            AuditFinding.objects.restrict(user)
            .filter(deviation=deviation)
            .select_related("audit__unit", "criterion")
            .first()
        )
        context = {"finding": finding, "audit": finding and finding.audit}
    else:
        return None
    if context.get("round") is None and context.get("audit") is None:
        return None
    return hooks.Panel(order=40, template="annual_wheel/_deviation_panel.html", context=context)


hooks.register_detail_panel("deviations.Deviation", finding_panel)


def my_meetings(user) -> list[hooks.TaskItem]:
    """Meetings whose agenda is sent, for those with a seat to prepare; held meetings whose
    minutes wait for the chair's approval (two queries)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    meetings = Meeting.objects.restrict(user, "attend").select_related("committee")
    prepare = meetings.with_seat(user).filter(
        status=Meeting.Status.AGENDA_PUBLISHED, date__gte=today - timedelta(days=7)
    )
    approve = meetings.with_seat(user, CommitteeMember.Role.CHAIR).filter(
        status=Meeting.Status.HELD
    )
    items = [
        hooks.TaskItem(
            module=_("Utvalg"),
            title=_("Forbered møte: %(committee)s") % {"committee": m.committee.name},
            url=m.get_absolute_url(),
            deadline=m.date,
            status=m.get_status_display(),
        )
        for m in prepare.order_by("date")[:TASK_LIMIT]
    ]
    items += [
        hooks.TaskItem(
            module=_("Utvalg"),
            title=_("Godkjenn protokollen: %(committee)s") % {"committee": m.committee.name},
            url=m.get_absolute_url(),
            deadline=m.date,
            status=m.get_status_display(),
        )
        for m in approve.order_by("date")[:TASK_LIMIT]
    ]
    return items


hooks.register_tasks(my_meetings)


def referral_panel(request, case) -> hooks.Panel | None:
    """On a referable case's page: the meetings it is on the agenda of, and «Meld til utvalg»
    for those who may refer it (``may_refer``)."""
    from qms import referrals

    kind = referrals.kind_for(case)
    items = list(
        AgendaItem.objects.referring(case)
        .select_related("meeting__committee")
        .order_by("-meeting__date")[:10]
    )
    can_refer = may_refer(request.user, case)
    if not items and not can_refer:
        return None
    readable = set(
        Meeting.objects.restrict(request.user)
        .filter(pk__in=[i.meeting_id for i in items])
        .values_list("pk", flat=True)
    )
    for item in items:
        item.readable = item.meeting_id in readable
    return hooks.Panel(
        order=70,
        template="annual_wheel/_referral_panel.html",
        context={"items": items, "can_refer": can_refer, "kind": kind.key, "case": case},
    )


hooks.register_detail_panel("deviations.Deviation", referral_panel)
hooks.register_detail_panel("risk.RiskAssessment", referral_panel)
hooks.register_detail_panel("annual_wheel.Review", referral_panel)
