"""The organisation's own rows in the permission layer."""

from django.db.models import Q

from qms import permissions
from qms.models import ApiToken, Membership, OrgUnit, UnitDescription
from qms.permissions import ALL, NOTHING, Actor


def describing_q(actor: Actor, field: str = "pk") -> Q:
    """Units whose description (kommuneloven § 25-1 a) the actor may write: the leaders and
    deputies of the unit or of a unit above it, quality advisors and administrators."""
    if actor.is_admin or actor.is_advisor:
        return ALL
    return actor.led_subtree_q(field) | actor.advised_q(field)


def orgunit_rule(actor: Actor, action: str) -> Q:
    # The organisation chart is not secret inside the municipality: everyone signed in reads it
    # (a deviation may be reported for any unit). Changing it is the administrators' job; its
    # description ("describe") is its leaders' and the quality advisors'.
    if action == "view":
        return ALL
    if action == "describe":
        return describing_q(actor)
    return ALL if actor.is_admin else NOTHING


def unit_description_rule(actor: Actor, action: str) -> Q:
    # Read with the unit page by everyone signed in; written by those who may describe its unit.
    if action == "view":
        return ALL
    return describing_q(actor, "unit")


def membership_rule(actor: Actor, action: str) -> Q:
    # Who works where is personal data: your own rows, your subtree's as a leader, all for
    # advisors and administrators.
    if action == "view":
        if actor.is_admin or actor.is_advisor:
            return ALL
        return Q(user_id=actor.user_id) | actor.led_subtree_q() | actor.advised_q()
    return ALL if actor.is_admin else NOTHING


permissions.register(OrgUnit, orgunit_rule)
permissions.register(Membership, membership_rule)
permissions.register(UnitDescription, unit_description_rule)


def api_token_rule(actor: Actor, action: str) -> Q:
    # An API key is its owner's alone: nobody else lists, sees or revokes it, administrators
    # included (they deactivate the user instead). Everyone signed in may make their own.
    if action == "add":
        return ALL
    return Q(user_id=actor.user_id)


permissions.register(ApiToken, api_token_rule)


def may_provision(user) -> bool:
    """Who may import units and people from the HR system (and see the hand-overs): quality
    advisors and administrators. SCIM has its own key (``qms.tokens``), never a person."""
    actor = permissions.actor_for(user)
    return actor.is_admin or actor.is_advisor
