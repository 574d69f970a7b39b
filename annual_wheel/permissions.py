"""The annual wheel's rows in the permission layer (docs/design.md §3).

Everyone reads the whole municipality's activities and those of their own units and their
ancestors (the inherited wheel); leaders read and edit their subtree's; the quality committee
reads its subtree's (for completion figures); advisors and administrators read and edit all.
An occurrence is read with its activity, and recorded (done / not done) by those who may change
the activity, by the activity's responsible, or by the participants of a round carrying it out.

Checklists (docs/design.md §13) are read by every signed-in user and kept by quality advisors; a draft
version is seen only by those who keep it. A round is read like a risk assessment — members of
its unit and the units below the ones they belong to read (member of Enhet A1: the rounds of
Enhet A1, Sektor A and the municipality), leaders their led subtree, the quality committee its
subtree, its participants and the advisors — and changed by its participants and the unit's
leaders. It is signed by a participant who leads the unit or is a quality advisor ("sign").

An internal audit is read like a round — members of the audited unit and the units below it,
leaders and the committee of its subtree, its auditors and the advisors — and changed (started,
findings added, reported) by its lead auditor, its other auditors and the advisors. An audit
programme is read like an activity of its unit; audits are planned by advisors anywhere and by
leaders for their subtree.

A management review (docs/design.md §14) holds the figures of its unit's subtree, so it is read like
the statistics — leaders of the unit or a unit above it, the quality committee of that subtree,
the advisors — and by its participants (verneombud, tillitsvalgte); it is prepared (assessments,
decisions, participants) by those leaders and the advisors, and signed only by the unit's own
leader or deputy (the acting leader) — "sign". A signed review is read-only (the services).

Committees (docs/design.md §14) and their members are known to every signed-in user; a committee
is kept (members, meetings planned) by the leaders of its unit's subtree, its chair and
secretary, advisors and administrators. A meeting's working agenda — the referred cases with
links, the discussion — is for those with a seat and those who keep the committee ("attend");
its chair and secretary (and the keepers) write the agenda and the minutes ("change"); only the
chair approves them ("approve"). Once published, the meeting's minutes are read by everyone in
the committee's unit subtree (and advisors); what they contain is decided by
``annual_wheel.services.published_minutes``. A case referred to a meeting opens to the
committee's members through the case's own rule (``qms.referrals.referred_q``) while the
meeting is not yet approved; who may refer one is :func:`may_refer`.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from annual_wheel.models import (
    Activity,
    AgendaItem,
    Audit,
    AuditFinding,
    AuditProgramme,
    CalendarFeed,
    Category,
    Checklist,
    ChecklistQuestion,
    ChecklistVersion,
    Committee,
    CommitteeMember,
    Meeting,
    Occurrence,
    Review,
    ReviewAssessment,
    ReviewDecision,
    ReviewParticipant,
    Round,
    RoundAnswer,
)
from qms import permissions, referrals
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
            | actor.advised_q(field)
        )
    if action in ("add", "change", "delete"):
        return actor.led_subtree_q(field) | actor.advised_q(field)
    return NOTHING


def activity_rule(actor: Actor, action: str) -> Q:
    return _activity_q(actor, action)


def occurrence_rule(actor: Actor, action: str) -> Q:
    if action == "view":
        return _activity_q(actor, "view", "activity__")
    if action == "record":
        # The responsible records their own activity's occurrences even outside a led unit, and
        # the people carrying it out in a round record it when they sign the round.
        return (
            _activity_q(actor, "change", "activity__")
            | Q(activity__responsible_id=actor.user_id)
            | Q(pk__in=_participant_rounds(actor).values("occurrence_id"))
            | Q(pk__in=_auditor_audits(actor).values("occurrence_id"))
        )
    return _activity_q(actor, action, "activity__")


def category_rule(actor: Actor, action: str) -> Q:
    if action == "view":
        return ALL
    return ALL if actor.is_admin or actor.is_advisor else NOTHING


def feed_rule(actor: Actor, action: str) -> Q:
    # A subscription address is the owner's secret: only they see or revoke it.
    return Q(user_id=actor.user_id)


def _keeps_checklists(actor: Actor) -> bool:
    return actor.is_admin or actor.is_advisor


def checklist_rule(actor: Actor, action: str) -> Q:
    if action == "view":
        return ALL
    return ALL if _keeps_checklists(actor) else NOTHING


def checklist_version_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    if _keeps_checklists(actor):
        return ALL
    if action == "view":
        # A draft is work in progress of those who keep the checklist.
        return ~Q(**{f"{prefix}status": ChecklistVersion.Status.DRAFT})
    return NOTHING


def checklist_question_rule(actor: Actor, action: str) -> Q:
    return checklist_version_rule(actor, action, prefix="version__")


def _participant_rounds(actor: Actor):
    return Round.objects.filter(participants=actor.user_id, occurrence__isnull=False)


def _round_participant_q(actor: Actor, prefix: str = "") -> Q:
    through = Round.participants.through
    return Q(
        **{f"{prefix}pk__in": through.objects.filter(user_id=actor.user_id).values("round_id")}
    )


def round_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    unit = f"{prefix}unit"
    if actor.is_admin:
        return ALL
    participant = _round_participant_q(actor, prefix)
    if action == "view":
        if actor.is_advisor:
            return ALL
        return (
            actor.member_and_ancestors_q(unit)
            | actor.led_subtree_q(unit)
            | actor.committee_subtree_q(unit)
            | actor.advised_q(unit)
            | participant
        )
    if action == "change":
        return actor.led_subtree_q(unit) | participant
    if action == "sign":
        return may_sign_q(actor, prefix)
    return NOTHING


def may_sign_q(actor: Actor, prefix: str = "") -> Q:
    """Who signs a round off: a participant who leads its unit (or a unit above) or who is a
    quality advisor; administrators always."""
    if actor.is_admin:
        return ALL
    participant = _round_participant_q(actor, prefix)
    if actor.is_advisor:
        return participant
    return participant & actor.led_subtree_q(f"{prefix}unit")


def _auditor_q(actor: Actor, prefix: str = "") -> Q:
    through = Audit.auditors.through
    return Q(**{f"{prefix}lead_auditor_id": actor.user_id}) | Q(
        **{f"{prefix}pk__in": through.objects.filter(user_id=actor.user_id).values("audit_id")}
    )


def _auditor_audits(actor: Actor):
    return Audit.objects.filter(_auditor_q(actor), occurrence__isnull=False)


def programme_rule(actor: Actor, action: str) -> Q:
    return _activity_q(actor, action)


def audit_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    unit = f"{prefix}unit"
    if actor.is_admin or actor.is_advisor:
        return ALL
    auditor = _auditor_q(actor, prefix)
    if action == "view":
        return (
            actor.member_and_ancestors_q(unit)
            | actor.led_subtree_q(unit)
            | actor.committee_subtree_q(unit)
            | actor.advised_q(unit)
            | auditor
        )
    if action == "change":
        return auditor | actor.advised_q(unit)
    return NOTHING


def finding_rule(actor: Actor, action: str) -> Q:
    # A finding is seen and added by whoever may see and change its audit.
    return audit_rule(actor, action, prefix="audit__")


def answer_rule(actor: Actor, action: str) -> Q:
    # An answer is seen and given by whoever may see and change its round.
    return round_rule(actor, action, prefix="round__")


permissions.register(Activity, activity_rule)
permissions.register(Checklist, checklist_rule)
permissions.register(ChecklistVersion, checklist_version_rule)
permissions.register(ChecklistQuestion, checklist_question_rule)
permissions.register(Round, round_rule)
permissions.register(RoundAnswer, answer_rule)
permissions.register(Occurrence, occurrence_rule)
permissions.register(AuditProgramme, programme_rule)
permissions.register(Audit, audit_rule)
permissions.register(AuditFinding, finding_rule)
permissions.register(Category, category_rule)


def _review_participant_q(actor: Actor, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}pk__in": ReviewParticipant.objects.filter(user_id=actor.user_id).values(
                "review_id"
            )
        }
    )


def review_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    unit = f"{prefix}unit"
    if actor.is_admin:
        return ALL
    if action == "view":
        if actor.is_advisor:
            return ALL
        return (
            actor.led_subtree_q(unit)
            | actor.committee_subtree_q(unit)
            | actor.advised_q(unit)
            | _review_participant_q(actor, prefix)
            | referrals.referred_q(actor, "review", f"{prefix}pk")
        )
    if action == "change":
        return actor.led_subtree_q(unit) | actor.advised_q(unit)
    if action == "sign":
        return may_sign_review_q(actor, prefix)
    return NOTHING


def may_sign_review_q(actor: Actor, prefix: str = "") -> Q:
    """Who signs a management review: the leader or the deputy (acting leader) of the review's
    own unit — not a leader above it, not an advisor; administrators always."""
    if actor.is_admin:
        return ALL
    if not actor.led_unit_ids:
        return NOTHING
    return Q(**{f"{prefix}unit_id__in": sorted(actor.led_unit_ids)})


def review_part_rule(actor: Actor, action: str) -> Q:
    # Participants, assessments and decisions are seen and written with their review.
    return review_rule(actor, action, prefix="review__")


permissions.register(Review, review_rule)
# A review can be put on a committee's agenda (qms.referrals); the members then read it.
referrals.register_kind("review", "annual_wheel.Review", _("Ledelsens gjennomgåelse"))
permissions.register(ReviewParticipant, review_part_rule)
permissions.register(ReviewAssessment, review_part_rule)
permissions.register(ReviewDecision, review_part_rule)
permissions.register(CalendarFeed, feed_rule)


def activity_create_units(actor: Actor, source=None) -> Q:
    """Leaders add activities to their subtree's wheels; advisors and administrators anywhere."""
    if actor.is_admin or actor.is_advisor:
        return ALL
    return subtree_q(actor.led_paths) | subtree_q(actor.coordinator_paths)


def may_create_without_unit(actor: Actor) -> bool:
    """The whole municipality's activities (no owning unit) are kept by advisors and admins."""
    return actor.is_admin or actor.is_advisor


permissions.register_create(Activity, activity_create_units, without_unit=may_create_without_unit)


def checklist_create_units(actor: Actor, source=None) -> Q:
    """Checklists are kept by quality advisors (and administrators), for any unit or all."""
    return ALL if _keeps_checklists(actor) else NOTHING


def round_create_units(actor: Actor, source=None) -> Q:
    """A round is started by the leaders of the unit's subtree, advisors and administrators;
    from an occurrence (``source``) also by whoever records that occurrence, for its unit."""
    if actor.is_admin or actor.is_advisor:
        return ALL
    q = subtree_q(actor.led_paths) | subtree_q(actor.coordinator_paths)
    if (
        source is not None
        and source.activity.unit_id is not None
        and permissions.can(actor.user, source, "record")
    ):
        q |= Q(pk=source.activity.unit_id)
    return q


permissions.register_create(Checklist, checklist_create_units, without_unit=_keeps_checklists)
permissions.register_create(Round, round_create_units)


def audit_create_units(actor: Actor, source=None) -> Q:
    """Audits are planned by quality advisors and administrators for any unit, and by leaders
    for the units of their subtree."""
    if actor.is_admin or actor.is_advisor:
        return ALL
    return subtree_q(actor.led_paths) | subtree_q(actor.coordinator_paths)


permissions.register_create(Audit, audit_create_units)


# A review is started like a round: by the leaders of the unit's subtree, advisors and
# administrators; from an annual-wheel occurrence also by whoever records that occurrence.
permissions.register_create(Review, round_create_units)
permissions.register_create(
    AuditProgramme, activity_create_units, without_unit=may_create_without_unit
)


# --- Committees and meetings ---------------------------------------------------------------------


def _seat_q(actor: Actor, prefix: str = "", roles: tuple[str, ...] = ()) -> Q:
    """Committees (at ``prefix``) where the actor has a seat, of one of ``roles`` if given."""
    seats = CommitteeMember.objects.filter(user_id=actor.user_id)
    if roles:
        seats = seats.filter(role__in=roles)
    return Q(**{f"{prefix}pk__in": seats.values("committee_id")})


def committee_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    if actor.is_admin:
        return ALL
    if action == "view":
        return ALL
    if action == "change":
        if actor.is_advisor:
            return ALL
        chair_or_secretary = (CommitteeMember.Role.CHAIR, CommitteeMember.Role.SECRETARY)
        return actor.led_subtree_q(f"{prefix}unit") | _seat_q(actor, prefix, chair_or_secretary)
    return NOTHING


def meeting_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    committee = f"{prefix}committee__"
    if actor.is_admin:
        return ALL
    keeps = committee_rule(actor, "change", committee)
    attends = keeps | _seat_q(actor, committee)
    if action == "view":
        unit = f"{committee}unit"
        readers = (
            ALL
            if actor.is_advisor
            else actor.member_and_ancestors_q(unit)
            | actor.led_subtree_q(unit)
            | actor.committee_subtree_q(unit)
        )
        return attends | (Q(**{f"{prefix}status": Meeting.Status.PUBLISHED}) & readers)
    if action == "attend":
        return attends
    if action == "change":
        return keeps
    if action == "approve":
        return _seat_q(actor, committee, (CommitteeMember.Role.CHAIR,))
    return NOTHING


def agenda_item_rule(actor: Actor, action: str) -> Q:
    # An item is read and written by whoever may read and write its meeting.
    return meeting_rule(actor, action, prefix="meeting__")


def _referred_ids(actor: Actor, key: str):
    """The cases of ``key`` on the agenda of a not yet approved meeting of a committee where
    the actor has a seat (qms.referrals: the case's view rule ORs them in)."""
    return AgendaItem.objects.filter(
        kind=key,
        meeting__status__in=Meeting.OPEN_STATES,
        meeting__committee__in=CommitteeMember.objects.filter(user_id=actor.user_id).values(
            "committee_id"
        ),
    ).values("object_id")


permissions.register(Committee, committee_rule)
permissions.register(Meeting, meeting_rule)
permissions.register(AgendaItem, agenda_item_rule)
referrals.register_source(_referred_ids)


def committee_create_units(actor: Actor, source=None) -> Q:
    """Committees are set up by advisors and administrators anywhere, by leaders in their subtree."""
    if actor.is_admin or actor.is_advisor:
        return ALL
    return subtree_q(actor.led_paths)


def meeting_create_units(actor: Actor, source=None) -> Q:
    """A meeting is planned for a committee (``source``) by whoever keeps it, in its unit."""
    if source is None or not permissions.can(actor.user, source, "change"):
        return NOTHING
    return Q(pk=source.unit_id)


permissions.register_create(Committee, committee_create_units)
permissions.register_create(Meeting, meeting_create_units)


def may_refer(user, obj) -> bool:
    """A case is referred to a committee by someone who handles it (may change it), or by a
    quality advisor who may see it (docs/design.md §14: "a leader or advisor")."""
    actor = permissions.actor_for(user)
    if not actor.authenticated or referrals.kind_for(obj) is None:
        return False
    if actor.is_admin or permissions.can(user, obj, "change"):
        return True
    return actor.is_advisor and permissions.can(user, obj, "view")
