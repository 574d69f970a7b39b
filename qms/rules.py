"""The organisation's own rows in the permission layer."""

from django.db.models import Q

from qms import permissions
from qms.models import ApiToken, Membership, OrgUnit
from qms.permissions import ALL, NOTHING, Actor


def orgunit_rule(actor: Actor, action: str) -> Q:
    # The organisation chart is not secret inside the municipality: everyone signed in reads it
    # (a deviation may be reported for any unit). Changing it is the administrators' job.
    if action == "view":
        return ALL
    return ALL if actor.is_admin else NOTHING


def membership_rule(actor: Actor, action: str) -> Q:
    # Who works where is personal data: your own rows, your subtree's as a leader, all for
    # advisors and administrators.
    if action == "view":
        if actor.is_admin or actor.is_advisor:
            return ALL
        return Q(user_id=actor.user_id) | actor.led_subtree_q()
    return ALL if actor.is_admin else NOTHING


permissions.register(OrgUnit, orgunit_rule)
permissions.register(Membership, membership_rule)


def api_token_rule(actor: Actor, action: str) -> Q:
    # An API key is its owner's alone: nobody else lists, sees or revokes it, administrators
    # included (they deactivate the user instead). Everyone signed in may make their own.
    if action == "add":
        return ALL
    return Q(user_id=actor.user_id)


permissions.register(ApiToken, api_token_rule)
