"""The open work of a person in the annual wheel, and its hand-over (qms.handover).

Active activities they are responsible for and audits they lead that are not yet reported go to
the receiving leader (the activity's history keeps the change; the hand-over record the audit's).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from annual_wheel.models import Activity, Audit
from qms.handover import WorkItem, WorkProvider, register, within


def _activities(user, unit):
    return within(Activity.objects.filter(is_active=True, responsible=user), unit).order_by("pk")


def _audits(user, unit):
    qs = Audit.objects.exclude(status=Audit.Status.REPORTED).filter(lead_auditor=user)
    return within(qs, unit).order_by("pk")


def _activity_item(activity: Activity) -> WorkItem:
    return WorkItem(_("Årshjul"), _("ansvarlig"), activity.title, activity.get_absolute_url())


def _audit_item(audit: Audit) -> WorkItem:
    return WorkItem(
        _("Intern revisjon"), _("revisjonsleder"), audit.title, audit.get_absolute_url()
    )


def open_work(user, unit) -> list[WorkItem]:
    return [_activity_item(a) for a in _activities(user, unit)] + [
        _audit_item(a) for a in _audits(user, unit)
    ]


def hand_over(user, unit, receiver, actor) -> list[WorkItem]:
    items = []
    for activity in _activities(user, unit).select_for_update(of=("self",)):
        activity.responsible = receiver
        activity._change_reason = _("Overlevert fra %(old)s") % {"old": user}
        activity.save()
        items.append(_activity_item(activity))
    for audit in _audits(user, unit).select_for_update(of=("self",)):
        audit.lead_auditor = receiver
        audit.save(update_fields=["lead_auditor"])
        items.append(_audit_item(audit))
    return items


register(WorkProvider("annual_wheel", open_work, hand_over))
