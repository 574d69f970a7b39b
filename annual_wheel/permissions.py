"""The annual wheel's rows in the permission layer (docs/design.md §3).

Everyone reads the whole municipality's activities and those of their own units and their
ancestors (the inherited wheel); leaders read and edit their subtree's; the quality committee
reads its subtree's (for completion figures); advisors and administrators read and edit all.
An occurrence is read with its activity, and recorded (done / not done) by those who may change
the activity or by the activity's responsible.
"""

from __future__ import annotations

from django.db.models import Q

from annual_wheel.models import Activity, CalendarFeed, Category, Occurrence
from qms import permissions
from qms.permissions import ALL, NOTHING, Actor
from qms.querysets import subtree_q


def _activity_q(actor: Actor, action: str, prefix: str = "") -> Q:
    field = f"{prefix}unit"
    if actor.is_admin or actor.is_advisor:
        return ALL
    if action == "view":
        return (
            Q(**{f"{field}__isnull": True})
            | actor.member_and_ancestors_q(field)
            | actor.led_subtree_q(field)
            | actor.committee_subtree_q(field)
        )
    if action in ("add", "change", "delete"):
        return actor.led_subtree_q(field)
    return NOTHING


def activity_rule(actor: Actor, action: str) -> Q:
    return _activity_q(actor, action)


def occurrence_rule(actor: Actor, action: str) -> Q:
    if action == "view":
        return _activity_q(actor, "view", "activity__")
    if action == "record":
        # The responsible records their own activity's occurrences even outside a led unit.
        return _activity_q(actor, "change", "activity__") | Q(
            activity__responsible_id=actor.user_id
        )
    return _activity_q(actor, action, "activity__")


def category_rule(actor: Actor, action: str) -> Q:
    if action == "view":
        return ALL
    return ALL if actor.is_admin or actor.is_advisor else NOTHING


def feed_rule(actor: Actor, action: str) -> Q:
    # A subscription address is the owner's secret: only they see or revoke it.
    return Q(user_id=actor.user_id)


permissions.register(Activity, activity_rule)
permissions.register(Occurrence, occurrence_rule)
permissions.register(Category, category_rule)
permissions.register(CalendarFeed, feed_rule)


def activity_create_units(actor: Actor, source=None) -> Q:
    """Leaders add activities to their subtree's wheels; advisors and administrators anywhere."""
    if actor.is_admin or actor.is_advisor:
        return ALL
    return subtree_q(actor.led_paths)


def may_create_without_unit(actor: Actor) -> bool:
    """The whole municipality's activities (no owning unit) are kept by advisors and admins."""
    return actor.is_admin or actor.is_advisor


permissions.register_create(Activity, activity_create_units, without_unit=may_create_without_unit)
