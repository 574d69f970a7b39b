"""The risk module's rows in the permission layer (docs/design.md §3).

Risk assessment: members of its unit subtree read (a member of Enhet A1 reads the assessments of
Enhet A1, Sektor A and the municipality); leaders read and edit their led subtree; named
participants read and edit; quality advisors read everything; the quality committee reads its
subtree; the members of a committee it is referred to read it while the meeting is not yet
approved (qms.referrals); administrators do everything. Formal acceptance of a residual risk is a leader's act
("accept"), never a participant's. Items follow their assessment.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qms import permissions, referrals
from qms.permissions import ALL, NOTHING, Actor
from qms.querysets import subtree_q
from risk.models import RiskAssessment, RiskItem

EDIT_ACTIONS = ("change", "delete", "add")


def _participant_q(actor: Actor, prefix: str = "") -> Q:
    through = RiskAssessment.participants.through
    return Q(
        **{
            f"{prefix}pk__in": through.objects.filter(user_id=actor.user_id).values(
                "riskassessment_id"
            )
        }
    )


def assessment_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    unit = f"{prefix}unit"
    if actor.is_admin:
        return ALL
    if action == "view":
        q = (
            actor.member_and_ancestors_q(unit)
            | actor.led_subtree_q(unit)
            | actor.committee_subtree_q(unit)
            | _participant_q(actor, prefix)
            | actor.advised_q(unit)
            | referrals.referred_q(actor, "risk", f"{prefix}pk")
        )
        return ALL if actor.is_advisor else q
    if action == "accept":
        return actor.led_subtree_q(unit)
    if action in EDIT_ACTIONS:
        return actor.led_subtree_q(unit) | _participant_q(actor, prefix)
    return NOTHING


def item_rule(actor: Actor, action: str) -> Q:
    # An item is seen and edited by whoever may see and edit its assessment.
    return assessment_rule(actor, action, prefix="assessment__")


def assessment_create_units(actor: Actor, source=None) -> Q:
    """Leaders start assessments for the units they lead (and below); administrators anywhere."""
    if actor.is_admin:
        return ALL
    return subtree_q(actor.led_paths)


permissions.register(RiskAssessment, assessment_rule)
permissions.register(RiskItem, item_rule)
referrals.register_kind("risk", "risk.RiskAssessment", _("Risikovurdering"))
permissions.register_create(RiskAssessment, assessment_create_units)
