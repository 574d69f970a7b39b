"""The report on internal control on "Min side": the draft waiting for the chief executive's
approval (or an advisor's preparation) in "Mine oppgaver", and the latest approved report for
everyone who reads reports (the control committee, elected members, leaders)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from qms import hooks
from qms.permissions import actor_for
from qms.reports.models import InternalControlReport

PANEL_DAYS = 90  # an approved report is news on Min side this long


def control_report_tasks(user) -> list[hooks.TaskItem]:
    """Drafts the user may approve ("Godkjenn") or prepare; two queries."""
    if not actor_for(user).authenticated:
        return []
    drafts = InternalControlReport.objects.filter(status=InternalControlReport.Status.DRAFT)
    to_approve = list(drafts.restrict(user, "approve").select_related("unit")[:5])
    to_prepare = list(
        drafts.restrict(user, "change")
        .exclude(pk__in=[r.pk for r in to_approve])
        .select_related("unit")[:5]
    )
    module = _("Rapport om internkontroll")
    return [
        hooks.TaskItem(
            module=module,
            title=_("Godkjenn: %(report)s") % {"report": report},
            url=report.get_absolute_url(),
            status=report.get_status_display(),
        )
        for report in to_approve
    ] + [
        hooks.TaskItem(
            module=module,
            title=_("Forbered: %(report)s") % {"report": report},
            url=report.get_absolute_url(),
            status=report.get_status_display(),
        )
        for report in to_prepare
    ]


def control_report_panel(request):
    """The latest approved report the user may read, when it is recent (one query)."""
    user = request.user
    if not actor_for(user).authenticated:
        return None
    since = timezone.now() - timedelta(days=PANEL_DAYS)
    report = (
        InternalControlReport.objects.restrict(user)
        .filter(status=InternalControlReport.Status.APPROVED, approved_at__gte=since)
        .select_related("unit")
        .order_by("-approved_at")
        .first()
    )
    if report is None:
        return None
    return hooks.Panel(
        order=60, template="reports/control/_home_panel.html", context={"report": report}
    )


hooks.register_tasks(control_report_tasks)
hooks.register_panel(control_report_panel)
