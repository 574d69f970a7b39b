"""The deviations module's rows in the one permission layer (docs/design.md §3).

Deviation, ``view``: its reporter; leaders of the unit subtree it belongs to; the responsible of one
of its actions; quality advisors (a quality coordinator: in their sector) unless it contains
personal data; verneombud and hovedverneombud the HMS cases (``hms_q``) of their subtree unless
they contain personal data; explicit guardian grants (added by the layer); the members of a
committee it is referred to, while the meeting is not yet approved, unless it contains personal
data (qms.referrals: such a case is referred only through the referrer's written summary and
stays hidden). ``change`` (handle: assign, classify, add actions, forward, reject, close): leaders of the subtree
and the assigned handler; ``share``: leaders of the subtree. ``add``: every signed-in user may report.

CorrectiveAction, ``view``: its responsible, its creator, leaders of its unit's subtree, and whoever
may view its deviation. ``complete``: the responsible and the leaders. ``evaluate`` and ``change``:
the leaders.

Inspection (tilsyn), ``view``: members of a unit in the subtree of its responsible unit or of one
of its inspected units, the leaders above those units, quality advisors, the quality committee
of its subtree. ``change`` (record findings, replies, the report, confirmations): the leaders of
the responsible unit's subtree, quality advisors. A finding follows its inspection; the finding's
deviation keeps ``deviation_rule`` (seeing the inspection does not open the case).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from deviations.models import (
    CorrectiveAction,
    Deviation,
    DeviationGroupObjectPermission,
    DeviationUserObjectPermission,
    Inspection,
    InspectionFinding,
    ReportLink,
)
from deviations.querysets import hms_q
from qms import permissions, referrals
from qms.permissions import ALL, NOTHING, Actor
from qms.querysets import subtree_q


def deviation_rule(actor: Actor, action: str) -> Q:
    if action == "add":
        return ALL
    if actor.is_admin:
        return ALL
    leads = actor.led_subtree_q()
    if action == "change":
        return leads | Q(handler_id=actor.user_id)
    if action == "share":
        return leads
    if action == "view":
        responsible = Exists(
            CorrectiveAction.objects.filter(deviation=OuterRef("pk"), responsible=actor.user_id)
        )
        q = Q(reporter_id=actor.user_id) | Q(handler_id=actor.user_id) | leads | Q(responsible)
        if actor.is_advisor or actor.coordinator_paths:
            q |= actor.advised_q() & Q(contains_personal_data=False)
        if actor.hms_paths:
            q |= actor.hms_subtree_q() & hms_q() & Q(contains_personal_data=False)
        q |= referrals.referred_q(actor, "deviation") & Q(contains_personal_data=False)
        return q
    return NOTHING


def action_rule(actor: Actor, action: str) -> Q:
    if actor.is_admin:
        return ALL
    leads = actor.led_subtree_q()
    if action == "view":
        # Seeing a case is seeing its actions: the deviation's whole view rule, guardian shares
        # included, through the layer (the reporter, handler, shares and advisors come from it).
        visible_cases = permissions.restrict(actor.user, Deviation, "view").values("pk")
        q = Q(responsible_id=actor.user_id) | Q(created_by_id=actor.user_id) | leads
        q |= Q(deviation__in=visible_cases)
        if actor.is_advisor or actor.coordinator_paths:
            q |= actor.advised_q() & Q(deviation__isnull=True)
        return q
    if action == "complete":
        return Q(responsible_id=actor.user_id) | leads
    if action in ("evaluate", "change"):
        return leads
    return NOTHING


permissions.register(
    Deviation,
    deviation_rule,
    user_grants=DeviationUserObjectPermission,
    group_grants=DeviationGroupObjectPermission,
)
permissions.register(CorrectiveAction, action_rule)
referrals.register_kind(
    "deviation",
    "deviations.Deviation",
    _("Avvik"),
    summary_only=lambda deviation: deviation.contains_personal_data,
)


def action_create_units(actor: Actor, source=None) -> Q:
    """Where a corrective action may be added. For a source — the case, or another module's
    object such as a risk assessment — whoever may change that object, in its unit. Without
    one, the leaders of the unit's subtree and administrators."""
    if source is not None:
        if not permissions.can(actor.user, source, "change"):
            return NOTHING
        return Q(pk=source.unit_id)
    if actor.is_admin:
        return ALL
    return subtree_q(actor.led_paths)


def report_link_create_units(actor: Actor, source=None) -> Q:
    """A unit's open reporting link (and QR code) is made by its leaders, advisors and admins."""
    if actor.is_admin or actor.is_advisor:
        return ALL
    return subtree_q(actor.led_paths) | subtree_q(actor.coordinator_paths)


permissions.register_create(CorrectiveAction, action_create_units)
permissions.register_create(ReportLink, report_link_create_units)


def inspection_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    if actor.is_admin or (actor.is_advisor and action in ("view", "change")):
        return ALL
    unit = f"{prefix}unit"
    advised = actor.advised_q(unit) if action in ("view", "change") else NOTHING
    if action == "view":
        inspected = Inspection.units.through.objects.filter(
            actor.member_and_ancestors_q("orgunit") | actor.led_subtree_q("orgunit")
        ).values("inspection_id")
        return (
            actor.member_and_ancestors_q(unit)
            | actor.led_subtree_q(unit)
            | actor.committee_subtree_q(unit)
            | Q(**{f"{prefix}pk__in": inspected})
            | advised
        )
    if action == "change":
        return actor.led_subtree_q(unit) | advised
    return NOTHING


def finding_rule(actor: Actor, action: str) -> Q:
    # A finding is seen and followed up by whoever may see and change its inspection.
    return inspection_rule(actor, action, prefix="inspection__")


def inspection_create_units(actor: Actor, source=None) -> Q:
    """An inspection is recorded by the leaders of its responsible unit (or above), quality
    advisors and administrators."""
    if actor.is_admin or actor.is_advisor:
        return ALL
    return subtree_q(actor.led_paths) | subtree_q(actor.coordinator_paths)


def finding_create_units(actor: Actor, source=None) -> Q:
    """A finding is added to an inspection (``source``) by whoever may change it, in the
    subtree of the inspection's responsible unit or of one of its inspected units."""
    if source is None or not permissions.can(actor.user, source, "change"):
        return NOTHING
    paths = [source.unit.path, *source.units.values_list("path", flat=True)]
    return subtree_q(paths)


permissions.register(Inspection, inspection_rule)
permissions.register(InspectionFinding, finding_rule)
permissions.register_create(Inspection, inspection_create_units)
permissions.register_create(InspectionFinding, finding_create_units)
