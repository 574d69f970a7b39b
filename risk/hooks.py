"""What the risk module adds to other pages: panels on the deviation and action pages (linked
risks), and "Mine oppgaver" rows for assessments due for review.

Measures are corrective actions of the deviations module, so they already appear in "Mine
oppgaver" through that module; this module adds only the review of assessments a user leads.
Each provider runs a constant number of queries through the permission layer.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from qms import hooks
from qms.hooks import Panel, TaskItem
from qms.permissions import actor_for
from risk.models import RiskAssessment, RiskItem
from risk.querysets import OVERDUE, review_status


def _items_panel(request, items, title: str, empty: str) -> Panel:
    rows = list(
        items.select_related("assessment__unit").order_by("-score", "assessment_id", "number")[:50]
    )
    return Panel(
        order=50,
        template="risk/panels/linked_items.html",
        context={"title": title, "items": rows, "empty": empty},
    )


def deviation_panel(request, deviation) -> Panel | None:
    items = RiskItem.objects.restrict(request.user, "view").filter(
        deviation_links__deviation=deviation
    )
    return _items_panel(
        request, items, _("Koblede risikoforhold"), _("Ingen risikoforhold er koblet til avviket.")
    )


def document_panel(request, document) -> Panel | None:
    items = RiskItem.objects.restrict(request.user, "view").filter(
        document_links__document=document
    )
    if not items.exists():
        return None
    return _items_panel(request, items, _("Risikoforhold som rutinen styrer"), "")


def action_panel(request, action) -> Panel | None:
    items = RiskItem.objects.restrict(request.user, "view").filter(measures__action=action)
    if not items.exists():
        return None
    return _items_panel(request, items, _("Tiltak for risikoforhold"), "")


def review_tasks(user) -> list[TaskItem]:
    """Active assessments in units the user leads whose review is due within a month."""
    actor = actor_for(user)
    if not actor.led_paths:
        return []
    today = timezone.localdate()
    due = (
        RiskAssessment.objects.review_due(today)
        .filter(actor.led_subtree_q())
        .select_related("unit")
        .order_by("next_review")[:20]
    )
    return [
        TaskItem(
            module=_("ROS-analyse"),
            title=_("Gjennomgå «%(title)s» (%(unit)s)") % {"title": a.title, "unit": a.unit.name},
            url=a.get_absolute_url(),
            deadline=a.next_review,
            status=_("Gjennomgang"),
            overdue=review_status(a, today) == OVERDUE,
        )
        for a in due
    ]


hooks.register_detail_panel("deviations.Deviation", deviation_panel)
hooks.register_detail_panel("deviations.CorrectiveAction", action_panel)
hooks.register_detail_panel("documents.Document", document_panel)
hooks.register_tasks(review_tasks)
