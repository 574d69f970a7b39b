"""What the deviations module adds to "Min side" (docs/design.md §5)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from deviations.models import CorrectiveAction, Deviation, InspectionFinding
from qms import hooks, permissions

MY_CASES = 10
MY_ACTIONS = 50


def my_cases_panel(request):
    """ "Mine saker": the reporter follows their own reports. One query."""
    user = request.user
    if not user.is_authenticated:
        return None
    cases = list(
        Deviation.objects.filter(reporter=user)
        .select_related("unit")
        .only("pk", "number", "title", "state", "created_at", "unit__name")
        .order_by("-pk")[: MY_CASES + 1]
    )
    return hooks.Panel(
        order=20,
        template="deviations/panels/my_cases.html",
        context={"cases": cases[:MY_CASES], "more": len(cases) > MY_CASES},
    )


def my_actions(user) -> list[hooks.TaskItem]:
    """ "Mine oppgaver": open actions assigned to me, from every module. One query."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    rows = (
        CorrectiveAction.objects.open()
        .filter(responsible=user)
        .select_related("deviation")
        .only("pk", "description", "deadline", "deviation__number", "done_at")
        .order_by("deadline", "pk")[:MY_ACTIONS]
    )
    return [
        hooks.TaskItem(
            module=pgettext("module", "Avvik") if a.deviation_id else _("Tiltak"),
            title=(f"{a.deviation.number}: " if a.deviation_id else "") + a.description[:80],
            url=a.get_absolute_url(),
            deadline=a.deadline,
            status=_("Tiltak"),
            overdue=a.is_overdue(today),
        )
        for a in rows
    ]


def my_inspection_findings(user) -> list[hooks.TaskItem]:
    """ "Mine oppgaver" for a leader of an inspection's responsible unit: its findings not yet
    replied to whose authority's deadline is near or passed. One query."""
    actor = permissions.actor_for(user)
    if not actor.led_unit_ids:
        return []
    today = timezone.localdate()
    rows = (
        InspectionFinding.objects.deadline_near(today)
        .filter(inspection__unit__in=sorted(actor.led_unit_ids))
        .select_related("inspection__authority")
        .only("pk", "title", "deadline", "inspection_id", "inspection__authority__name")
        .order_by("deadline", "pk")[:MY_ACTIONS]
    )
    return [
        hooks.TaskItem(
            module=_("Tilsyn"),
            title=f"{f.inspection.authority.name}: {f.title}",
            url=f.get_absolute_url(),
            deadline=f.deadline,
            status=_("Svar til tilsynet"),
            overdue=f.deadline < today,
        )
        for f in rows
    ]


def inspection_panel(request, deviation) -> hooks.Panel | None:
    """On the page of a case that is an inspection finding: the authority, its deadline, the
    reply and the confirmation; the inspection linked for those who may see it. Two queries."""
    if deviation.source != Deviation.Source.INSPECTION:
        return None
    finding = (
        InspectionFinding.objects.filter(deviation=deviation)
        .select_related("inspection__authority")
        .first()
    )
    if finding is None:
        return None
    return hooks.Panel(
        order=40,
        template="deviations/panels/inspection_finding.html",
        context={
            "finding": finding,
            "overdue": finding.is_past_deadline(),
            "can_view_inspection": permissions.can(request.user, finding.inspection, "view"),
        },
    )


hooks.register_panel(my_cases_panel)
hooks.register_detail_panel("deviations.Deviation", inspection_panel)
hooks.register_tasks(my_actions)
hooks.register_tasks(my_inspection_findings)
