"""The open work of a person in deviations, and its hand-over (qms.handover).

Open cases they handle and open actions they are responsible for go to the receiving leader;
each change is written to the case's or the action's history (``Event``).
"""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from deviations.models import CorrectiveAction, Deviation, Event
from deviations.services import case_text
from qms.handover import WorkItem, WorkProvider, register, within


def _cases(user, unit):
    return within(Deviation.objects.open().filter(handler=user), unit).order_by("pk")


def _actions(user, unit):
    return (
        within(CorrectiveAction.objects.open().filter(responsible=user), unit)
        .select_related("deviation")
        .order_by("pk")
    )


def _case_item(case: Deviation) -> WorkItem:
    title = " ".join(filter(None, [case.number, case_text(case, case.title)]))
    return WorkItem(pgettext("module", "Avvik"), _("saksbehandler"), title, case.get_absolute_url())


def _action_item(action: CorrectiveAction) -> WorkItem:
    text = case_text(action.deviation, Truncator(action.description).chars(80))
    number = action.deviation.number if action.deviation else ""
    title = " – ".join(filter(None, [number, text])) or _("Tiltak %(id)s") % {"id": action.pk}
    return WorkItem(_("Tiltak"), _("ansvarlig"), title, action.get_absolute_url())


def open_work(user, unit) -> list[WorkItem]:
    return [_case_item(c) for c in _cases(user, unit)] + [
        _action_item(a) for a in _actions(user, unit)
    ]


def hand_over(user, unit, receiver, actor) -> list[WorkItem]:
    items = []
    for case in _cases(user, unit).select_for_update(of=("self",)):
        case.handler = receiver
        case.save(update_fields=["handler", "updated_at"])
        Event.objects.create(
            kind=Event.Kind.ASSIGNED,
            actor=actor,
            deviation=case,
            text=_("%(new)s overtok saken etter %(old)s") % {"new": receiver, "old": user},
            changes={"handler": [user.pk, receiver.pk]},
        )
        items.append(_case_item(case))
    for action in _actions(user, unit).select_for_update(of=("self",)):
        action.responsible = receiver
        action.save(update_fields=["responsible"])
        Event.objects.create(
            kind=Event.Kind.EDITED,
            actor=actor,
            deviation=action.deviation,
            action=action,
            text=_("%(new)s overtok tiltaket etter %(old)s") % {"new": receiver, "old": user},
            changes={"responsible": [user.pk, receiver.pk]},
        )
        items.append(_action_item(action))
    return items


register(WorkProvider("deviations", open_work, hand_over))
