"""What the deviations module adds to "Min side" (DESIGN.md §5)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from deviations.models import CorrectiveAction, Deviation
from qms import hooks

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
            overdue=a.deadline < today,
        )
        for a in rows
    ]


hooks.register_panel(my_cases_panel)
hooks.register_tasks(my_actions)
