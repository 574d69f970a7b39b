"""Hand-over of open work when a person leaves or moves (docs/design.md §12).

A person who leaves the municipality, moves to another unit or whose unit is closed must leave
nothing without an owner: the cases they handle, the actions they are responsible for, the
documents they revise or own, the activities they are responsible for and the assessments they
take part in go to the leader of the unit they leave. This module is the one service for it;
each app registers a :class:`WorkProvider` (``<app>/handover.py``) that answers "open work of
user U in unit X" and "hand it to leader L" for its own models, writing its own history. This
module records the hand-over (``qms.models.Handover``) and sends the receiving leader one
notification listing everything handed over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qms.models import Handover, OrgUnit, User
from qms.notifications import notify
from qms.organisation import leader_chain


@dataclass(frozen=True)
class WorkItem:
    """One piece of open work: what it is, its title and where it is seen."""

    module: str
    role: str  # the person's part in it: "saksbehandler", "ansvarlig for tiltak", ...
    title: str
    url: str = ""


OpenWork = Callable[[User, OrgUnit | None], list[WorkItem]]
# (user, unit or None for everything, receiver, actor) -> the items handed over
HandOver = Callable[[User, OrgUnit | None, User, User | None], list[WorkItem]]


@dataclass(frozen=True)
class WorkProvider:
    name: str
    open_work: OpenWork
    hand_over: HandOver


_providers: dict[str, WorkProvider] = {}


def register(provider: WorkProvider) -> WorkProvider:
    """Called by each app in ``AppConfig.ready()``; registering the same name again replaces."""
    _providers[provider.name] = provider
    return provider


def providers() -> list[WorkProvider]:
    return [_providers[name] for name in sorted(_providers)]


def within(queryset, unit: OrgUnit | None, field: str = "unit"):
    """``queryset`` narrowed to objects whose ``field`` is in ``unit``'s subtree (one indexed
    prefix filter); unchanged when ``unit`` is None."""
    if unit is None:
        return queryset
    return queryset.filter(**{f"{field}__path__startswith": unit.path})


def open_work(user: User, unit: OrgUnit | None = None) -> list[WorkItem]:
    """Everything ``user`` still has open in ``unit``'s subtree (every unit when None)."""
    return [item for p in providers() for item in p.open_work(user, unit)]


def receiver_for(unit: OrgUnit, leaving: User) -> User | None:
    """Who receives the work of ``leaving`` in ``unit``: the unit's leader, or (the unit has
    none, or ``leaving`` is its leader) the nearest leader above. None when nobody is left."""
    for leader in leader_chain(unit):
        if leader.user.pk != leaving.pk:
            return leader.user
    return None


@transaction.atomic
def hand_over(
    user: User,
    unit: OrgUnit | None,
    *,
    reason: str,
    receiver: User | None = None,
    actor: User | None = None,
    source: str = "",
) -> Handover | None:
    """Give ``user``'s open work in ``unit``'s subtree (all of it when ``unit`` is None) to
    ``receiver`` (by default :func:`receiver_for` the unit) and tell the receiver once.

    Returns the record, or None when there was nothing to hand over. With no receiver the work
    stays where it is and the record (``to_user`` empty) shows what is left without an owner.
    """
    if receiver is None and unit is not None:
        receiver = receiver_for(unit, user)
    if receiver is None:
        items = open_work(user, unit)
    else:
        items = [item for p in providers() for item in p.hand_over(user, unit, receiver, actor)]
    if not items:
        return None
    record = Handover.objects.create(
        from_user=user,
        to_user=receiver,
        unit=unit,
        reason=reason,
        source=source,
        items=[asdict(item) for item in items],
    )
    if receiver is not None:
        _tell_receiver(record, items)
    return record


def _tell_receiver(record: Handover, items: list[WorkItem]) -> None:
    lines = [f"- {item.module}: {item.title} ({item.role})" for item in items]
    intro = _(
        "%(person)s har sluttet eller flyttet (%(reason)s). Dette var åpent arbeid hos "
        "%(person)s og er nå ditt:"
    ) % {"person": record.from_user, "reason": record.get_reason_display().lower()}
    notify(
        record.to_user,
        kind="qms.handover",
        subject=ngettext(
            "Du har overtatt %(count)s oppgave fra %(person)s",
            "Du har overtatt %(count)s oppgaver fra %(person)s",
            len(items),
        )
        % {"count": len(items), "person": record.from_user},
        body="\n".join([intro, *lines]),
        url=items[0].url if len(items) == 1 else "",
    )


def hand_over_all(
    user: User, *, units: list[OrgUnit], reason: str, actor=None, source: str = ""
) -> list[Handover]:
    """Everything ``user`` has open, unit by unit (``units``: the units they belonged to,
    deepest first): the work in each goes to that unit's leader; what is left elsewhere goes to
    the leader of the last of them (with no unit, it is recorded as left without an owner).
    Used when a person leaves."""
    records = []
    for unit in dict.fromkeys(units):
        record = hand_over(user, unit, reason=reason, actor=actor, source=source)
        if record:
            records.append(record)
    receiver = receiver_for(units[-1], user) if units else None
    rest = hand_over(user, None, reason=reason, receiver=receiver, actor=actor, source=source)
    if rest:
        records.append(rest)
    return records
