"""The open work of a person in risk assessments, and its hand-over (qms.handover).

A draft or active assessment the person takes part in gets the receiving leader as participant
in their place; the change is written to the assessment's history (``RiskEvent``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from qms.handover import WorkItem, WorkProvider, register, within
from risk.models import RiskAssessment, RiskEvent


def _assessments(user, unit):
    qs = RiskAssessment.objects.exclude(status=RiskAssessment.Status.ARCHIVED).filter(
        participants=user
    )
    return within(qs, unit).order_by("pk")


def _item(assessment: RiskAssessment) -> WorkItem:
    return WorkItem(
        _("Risiko og sårbarhet"), _("deltaker"), assessment.title, assessment.get_absolute_url()
    )


def open_work(user, unit) -> list[WorkItem]:
    return [_item(a) for a in _assessments(user, unit)]


def hand_over(user, unit, receiver, actor) -> list[WorkItem]:
    items = []
    for assessment in _assessments(user, unit).select_for_update(of=("self",)):
        assessment.participants.remove(user)
        assessment.participants.add(receiver)
        RiskEvent.objects.create(
            assessment=assessment,
            actor=actor,
            kind=RiskEvent.Kind.UPDATED,
            text=_("%(new)s deltar i stedet for %(old)s") % {"new": receiver, "old": user},
        )
        items.append(_item(assessment))
    return items


register(WorkProvider("risk", open_work, hand_over))
