"""What may be referred to a committee meeting, and who sees a case because it was referred.

docs/design.md §14. A leader or advisor refers a case (a deviation, a risk assessment, later a
management review) to a committee's meeting. The committees live in an app above ``qms``; the
cases live in other apps. Neither imports the other: each app that owns a referable kind
registers it here with one line (:func:`register_kind`), and the app that keeps the meetings
registers where the referrals are (:func:`register_source`). A case's view rule then ORs in
:func:`referred_q` — "referred to a committee the actor is a member of" — so the permission
layer, not a view, opens a referred case to the committee's members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q

from qms.permissions import NOTHING, Actor

FREE = "free"


def _never(obj) -> bool:
    return False


@dataclass(frozen=True)
class ReferableKind:
    """A kind of case that can be put on a committee's agenda.

    ``summary_only(obj)`` says whether the case itself must stay hidden from the committee (a
    deviation with personal data): it is referred only through the referrer's written summary,
    and :func:`referred_q` must not open it (the kind's view rule excludes it).
    """

    key: str
    model_label: str
    label: str
    summary_only: Callable[[object], bool] = _never

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


_KINDS: dict[str, ReferableKind] = {}
ReferralSource = Callable[[Actor, str], models.QuerySet]
_SOURCES: list[ReferralSource] = []


def register_kind(
    key: str, model_label: str, label, *, summary_only: Callable[[object], bool] = _never
) -> ReferableKind:
    """Make ``model_label``'s objects referable under ``key`` (e.g. "deviation")."""
    if key == FREE:
        raise ValueError(f"{key!r} is reserved for free agenda items")
    existing = _KINDS.get(key)
    if existing is not None and existing.model_label != model_label:
        raise ValueError(f"referable kind {key!r} is already registered for {existing.model_label}")
    kind = ReferableKind(key, model_label, label, summary_only)
    _KINDS[key] = kind
    return kind


def kinds() -> list[ReferableKind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)


def kind(key: str) -> ReferableKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"{key!r} is not a referable kind") from None


def kind_for(obj: models.Model) -> ReferableKind | None:
    label = obj._meta.label
    return next((k for k in _KINDS.values() if k.model_label == label), None)


def register_source(source: ReferralSource) -> ReferralSource:
    """Register ``source(actor, key)``: the ids of ``key`` objects referred to the actor."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def referred_q(actor: Actor, key: str, field: str = "pk") -> Q:
    """Objects of kind ``key`` currently referred to a committee the actor is a member of."""
    if not actor.authenticated:
        return NOTHING
    q = NOTHING
    for source in _SOURCES:
        q |= Q(**{f"{field}__in": source(actor, key)})
    return q
