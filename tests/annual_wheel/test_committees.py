"""Committees and their meetings (docs/design.md §14): referral, visibility through the
permission layer, decisions as actions, approval, and minutes published without personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import AgendaItem, Committee, Meeting
from deviations.models import CorrectiveAction, Deviation
from qms import permissions
from qms.exceptions import StateError
from tests.annual_wheel.committee_helpers import (
    held_with_decision,
    meeting_of,
    quality_committee,
    refer,
)
from tests.deviations.conftest import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(org):
    return quality_committee(org)


@pytest.fixture
def meeting(org, committee):
    return meeting_of(committee, org.leader_a2)


def _sees(user, obj) -> bool:
    return permissions.can(user, obj, "view")


def test_member_sees_the_referred_case_only_not_other_cases_of_the_unit(org, meeting):
    referred, other = report(org), report(org, title="Annen sak")
    assert not _sees(org.employee_b1, referred)
    refer(meeting, referred, org.leader_a1)
    assert _sees(org.employee_b1, referred)
    assert not _sees(org.employee_b1, other)
    visible = Deviation.objects.restrict(org.employee_b1)
    assert list(visible) == [referred]
    # Read-only: seeing a referred case is not handling it.
    assert not permissions.can(org.employee_b1, referred, "change")
    # A person without a seat does not see it.
    assert not _sees(org.employee_a1x, other)
    assert not _sees(org.leader_b1, referred)


def test_member_loses_sight_of_the_case_once_the_minutes_are_approved(org, meeting):
    case = report(org)
    refer(meeting, case, org.leader_a1)
    meeting = held_with_decision(meeting, org.leader_a)
    assert _sees(org.employee_b1, case)
    services.approve_minutes(org.leader_a, meeting)
    assert not _sees(org.employee_b1, case)


def test_personal_data_case_is_referred_only_through_a_summary_and_stays_hidden(org, meeting):
    case = report(org, contains_personal_data=True)
    with pytest.raises(ValidationError) as error:
        services.refer_case(org.leader_a1, meeting, case, title="Hendelse", summary="  ")
    assert "summary" in error.value.message_dict
    refer(meeting, case, org.leader_a1, summary="En bruker fikk feil medisin.")
    assert not _sees(org.employee_b1, case)
    assert not _sees(org.employee_a1x, case)


def test_only_a_leader_or_advisor_who_may_see_the_case_refers_it(org, meeting):
    case = report(org)
    with pytest.raises(PermissionDenied):
        refer(meeting, case, org.employee_a1)  # the reporter sees it but does not handle it
    with pytest.raises(PermissionDenied):
        refer(meeting, case, org.leader_b1)  # cannot see it
    refer(meeting, case, org.advisor)
    with pytest.raises(ValidationError):
        refer(meeting, case, org.leader_a1)  # once per meeting
    private = report(org, contains_personal_data=True)
    with pytest.raises(PermissionDenied):
        refer(meeting, private, org.advisor)  # hidden from advisors


def test_case_goes_only_to_a_committee_of_its_unit_or_above(org, meeting):
    committee_b = services.create_committee(
        org.advisor,
        name="Kvalitetsutvalget Sektor B",
        kind=Committee.Kind.QUALITY,
        unit=org.sector_b,
    )
    meeting_b = meeting_of(committee_b, org.advisor)
    with pytest.raises(ValidationError):
        refer(meeting_b, report(org), org.leader_a1)


def test_agenda_closes_when_the_meeting_is_held(org, meeting):
    refer(meeting, report(org), org.leader_a1)
    services.publish_agenda(org.leader_a2, meeting)
    services.hold_meeting(org.leader_a, meeting)
    with pytest.raises(ValidationError):
        refer(meeting, report(org, title="For sent"), org.leader_a1)
    with pytest.raises(StateError):
        services.add_free_item(org.leader_a, meeting, title="Eventuelt")


def test_a_plain_member_cannot_write_the_agenda_or_minutes(org, meeting):
    with pytest.raises((PermissionDenied, Http404)):
        services.add_free_item(org.employee_b1, meeting, title="Eventuelt")


def test_decision_on_a_deviation_becomes_an_action_of_that_case(org, meeting):
    case = report(org)
    item = refer(meeting, case, org.leader_a1)
    held_with_decision(meeting, org.leader_a)
    item.refresh_from_db()
    deadline = timezone.localdate() + timedelta(days=30)
    item = services.decide_action(
        org.leader_a,
        item,
        description="Revider rutinen",
        responsible=org.employee_a1,
        deadline=deadline,
    )
    action = item.action
    assert action.deviation_id == case.pk and action.responsible == org.employee_a1
    assert CorrectiveAction.objects.restrict(org.employee_a1).filter(pk=action.pk).exists()
    with pytest.raises(StateError):
        services.decide_action(
            org.leader_a, item, description="x", responsible=org.employee_a1, deadline=deadline
        )


def test_decision_on_a_case_the_chair_does_not_handle_is_refused(org, committee):
    # The secretary, leader_a2, keeps the meeting but does not lead Enhet A1.
    meeting = meeting_of(committee, org.leader_a2)
    item = refer(meeting, report(org), org.leader_a1)
    held_with_decision(meeting, org.leader_a2)
    item.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.decide_action(
            org.leader_a2,
            item,
            description="x",
            responsible=org.employee_a1,
            deadline=timezone.localdate() + timedelta(days=5),
        )


def test_decision_on_a_free_item_becomes_an_action_of_the_committee_unit(org, meeting):
    item = services.add_free_item(org.leader_a2, meeting, title="Opplæring i avviksmelding")
    held_with_decision(meeting, org.leader_a, decision="Alle ledere får opplæring.")
    item.refresh_from_db()
    item = services.decide_action(
        org.leader_a2,
        item,
        description="",
        responsible=org.leader_a1,
        deadline=timezone.localdate() + timedelta(days=60),
    )
    assert item.action.deviation_id is None
    assert item.action.unit == org.sector_a
    assert item.action.description == "Alle ledere får opplæring."
    assert CorrectiveAction.objects.restrict(org.leader_a1).filter(pk=item.action_id).exists()


def test_only_the_chair_approves_and_only_when_every_item_has_a_decision(org, meeting):
    refer(meeting, report(org), org.leader_a1)
    services.add_free_item(org.leader_a2, meeting, title="Eventuelt")
    services.hold_meeting(org.leader_a2, meeting)
    with pytest.raises(StateError):
        services.approve_minutes(org.leader_a, meeting)
    for item in meeting.items.all():
        services.record_minutes(
            org.leader_a2, item, discussion="", decision="Tatt til orientering."
        )
    with pytest.raises(PermissionDenied):
        services.approve_minutes(org.leader_a2, meeting)
    meeting = services.approve_minutes(org.leader_a, meeting)
    assert meeting.status == Meeting.Status.APPROVED
    with pytest.raises(StateError):
        services.record_minutes(
            org.leader_a2, meeting.items.first(), discussion="", decision="Endret"
        )


def test_published_minutes_are_read_in_the_committee_subtree_only(org, meeting):
    refer(meeting, report(org), org.leader_a1)
    meeting = services.approve_minutes(org.leader_a, held_with_decision(meeting, org.leader_a))
    assert not _sees(org.employee_a1, meeting)
    services.publish_minutes(org.leader_a2, meeting)
    assert _sees(org.employee_a1, meeting)
    assert not permissions.can(org.employee_a1, meeting, "attend")
    assert not _sees(org.leader_b1, meeting)


def test_published_minutes_carry_no_personal_data(org, meeting):
    case = report(
        org,
        contains_personal_data=True,
        title="Kari Nordmann falt",
        description="Kari Nordmann (f. 1941) falt på badet og brakk hoften.",
    )
    refer(meeting, case, org.leader_a1, summary="En beboer falt; rutinen for tilsyn er uklar.")
    meeting = held_with_decision(meeting, org.leader_a, decision="Tilsynsrutinen revideres.")
    minutes = services.published_minutes(meeting)
    text = repr(minutes)
    assert "Kari Nordmann" not in text and "hoften" not in text
    assert org.employee_a1.get_full_name() not in text
    assert "En beboer falt" in text and "Tilsynsrutinen revideres." in text
    assert AgendaItem.objects.count() == 1


def test_a_wheel_occurrence_becomes_a_meeting_and_approval_records_it_done(
    org, committee, make_activity
):
    from annual_wheel.models import Occurrence

    activity = make_activity(
        org.sector_a,
        title="Kvalitetsutvalgsmøte",
        committee=committee,
        start_date=timezone.localdate() + timedelta(days=10),
    )
    occurrence = activity.occurrences.get()
    meeting = services.plan_meeting(
        org.advisor, committee, date=occurrence.due_date, occurrence=occurrence
    )
    with pytest.raises(ValidationError):  # one meeting per occurrence
        services.plan_meeting(
            org.advisor, committee, date=occurrence.due_date, occurrence=occurrence
        )
    services.add_free_item(org.leader_a, meeting, title="Orienteringssaker")
    meeting = held_with_decision(meeting, org.leader_a)
    services.approve_minutes(org.leader_a, meeting)
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE
    assert occurrence.completed_by == org.leader_a


def test_a_second_chair_replaces_the_first(org, committee):
    from annual_wheel.models import CommitteeMember

    services.set_member(org.advisor, committee, org.employee_a1x, role="chair")
    chairs = committee.seats.filter(role=CommitteeMember.Role.CHAIR)
    assert [s.user for s in chairs] == [org.employee_a1x]
    assert committee.seats.get(user=org.leader_a).role == CommitteeMember.Role.MEMBER


def test_the_referable_kinds_registry_is_generic(org):
    from qms import referrals

    assert {k.key for k in referrals.kinds()} >= {"deviation", "risk"}
    with pytest.raises(ValueError):
        referrals.register_kind("deviation", "risk.RiskAssessment", "x")
    with pytest.raises(ValueError):
        referrals.register_kind("free", "risk.RiskAssessment", "x")


def test_a_management_review_referred_to_a_committee_is_read_by_its_members(org, meeting):
    """A review is a referable kind (qms.referrals): its page offers «Meld til utvalg», and the
    committee's members read it while the meeting is not yet approved."""
    from annual_wheel.models import Review

    review = services.start_review(
        org.leader_a1,
        unit=org.unit_a1,
        year=timezone.localdate().year - 1,
        date=timezone.localdate(),
        role="Leder",
    )
    assert not _sees(org.employee_b1, review)
    refer(meeting, review, org.leader_a1, summary="Gjennomgåelsen viser at fall øker.")
    assert _sees(org.employee_b1, review)
    assert list(Review.objects.restrict(org.employee_b1)) == [review]
    assert not permissions.can(org.employee_b1, review, "change")
    assert AgendaItem.objects.get(meeting=meeting).kind == "review"
