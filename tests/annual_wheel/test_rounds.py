"""Checklists and rounds: versioning, answers, findings as deviations and actions, sign-off."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import ChecklistVersion, Occurrence, Round
from deviations.models import CorrectiveAction, Deviation
from qms import permissions
from tests.annual_wheel.helpers import answer_all, make_checklist

pytestmark = pytest.mark.django_db

RUNWAY = "Er rømningsveiene frie og merket?"


@pytest.fixture
def checklist(org):
    return make_checklist(org.advisor)


@pytest.fixture
def round_(org, checklist):
    return services.start_round(
        org.leader_a1,
        checklist=checklist,
        unit=org.unit_a1,
        date=timezone.localdate(),
        participants=[org.employee_a1],
    )


def question(round_, text=RUNWAY):
    return round_.version.questions.get(text=text)


# --- Checklists ----------------------------------------------------------------------------------


def test_only_advisors_keep_checklists(org):
    with pytest.raises(PermissionDenied):
        services.create_checklist(org.leader_a1, title="Min egen")
    checklist = make_checklist(org.advisor, publish=False)
    with pytest.raises(Http404):  # a draft is the keepers' work in progress
        services.add_question(org.leader_a1, checklist.versions.get(), text="Nytt?")


def test_publishing_a_new_version_keeps_the_questions_of_old_rounds(org, checklist, round_):
    draft = services.start_draft(org.advisor, checklist)
    assert draft.number == 2 and draft.questions.count() == 4
    services.update_question(
        org.advisor, question_of(draft, RUNWAY), text="Er rømningsveiene frie?"
    )
    services.remove_question(org.advisor, question_of(draft, "Beskriv inneklimaet"))
    services.publish_version(org.advisor, draft)

    round_.refresh_from_db()
    assert round_.version.number == 1
    assert round_.version.status == ChecklistVersion.Status.ARCHIVED
    assert list(round_.version.questions.values_list("text", flat=True))[0] == RUNWAY
    assert round_.version.questions.count() == 4
    later = services.start_round(
        org.leader_a1, checklist=checklist, unit=org.unit_a1, date=timezone.localdate()
    )
    assert later.version == draft and later.version.questions.count() == 3


def question_of(version, text):
    return version.questions.get(text=text)


def test_a_published_version_is_read_only(org, checklist):
    published = checklist.versions.get()
    with pytest.raises(services.ChecklistStateError):
        services.add_question(org.advisor, published, text="Nytt spørsmål?")
    with pytest.raises(services.ChecklistStateError):
        services.remove_question(org.advisor, published.questions.first())


def test_questions_are_reordered_in_a_draft(org, checklist):
    draft = services.start_draft(org.advisor, checklist)
    second = draft.questions.order_by("order")[1]
    services.move_question(org.advisor, second, up=True)
    assert draft.questions.order_by("order").first().pk == second.pk


def test_an_empty_draft_cannot_be_published(org):
    checklist = make_checklist(org.advisor, questions=[], publish=False)
    with pytest.raises(services.ChecklistStateError):
        services.publish_version(org.advisor, checklist.versions.get())


# --- Rounds --------------------------------------------------------------------------------------


def test_leader_starts_a_round_and_takes_part(org, round_):
    assert set(round_.participants.all()) == {org.leader_a1, org.employee_a1}
    assert round_.status == Round.Status.IN_PROGRESS


def test_employee_and_sibling_leader_cannot_start_a_round(org, checklist):
    for user in (org.employee_a1, org.leader_b1):
        with pytest.raises(PermissionDenied):
            services.start_round(
                user, checklist=checklist, unit=org.unit_a1, date=timezone.localdate()
            )


def test_a_person_from_another_sector_cannot_be_a_participant(org, checklist):
    with pytest.raises(ValidationError):
        services.start_round(
            org.leader_a1,
            checklist=checklist,
            unit=org.unit_a1,
            date=timezone.localdate(),
            participants=[org.employee_b1],
        )


def test_round_is_seen_by_its_subtree_and_participants_not_by_a_sibling(org, round_):
    seen = {
        u.username
        for u in (org.employee_a1x, org.leader_a, org.committee, org.advisor, org.employee_b1)
        if permissions.can(u, round_, "view")
    }
    # employee_a1x is in a department below: rounds of Enhet A1 are the unit above theirs.
    assert seen == {"employee_a1x", "leader_a", "committee", "advisor"}


def test_answers_are_validated_by_kind(org, round_):
    scale = question(round_, "Hvordan vurderes orden og renhold?")
    with pytest.raises(ValidationError):
        services.answer_question(org.employee_a1, round_, scale, value="7")
    number = question(round_, "Antall kjemikalier uten sikkerhetsdatablad")
    answer = services.answer_question(org.employee_a1, round_, number, value="2,5")
    assert answer.value == "2.5"


def test_failed_answer_becomes_a_deviation_of_the_round_once(org, round_):
    answer = services.answer_question(
        org.employee_a1, round_, question(round_), value="no", comment="Paller i nødutgangen."
    )
    assert answer.failed
    answer = services.report_finding(org.employee_a1, answer)
    again = services.report_finding(org.employee_a1, answer)
    deviation = answer.deviation
    assert again.deviation == deviation
    assert Deviation.objects.count() == 1
    assert deviation.source == Deviation.Source.ROUND
    assert deviation.unit == org.unit_a1
    assert deviation.title == RUNWAY
    assert deviation.description == "Paller i nødutgangen."
    assert deviation.handler == org.leader_a1


def test_an_answer_that_is_in_order_is_no_finding(org, round_):
    answer = services.answer_question(org.employee_a1, round_, question(round_), value="yes")
    with pytest.raises(services.ChecklistStateError):
        services.report_finding(org.employee_a1, answer)


def test_failed_answer_goes_into_the_action_plan_once(org, round_):
    answer = services.answer_question(org.employee_a1, round_, question(round_), value="no")
    deadline = timezone.localdate() + timedelta(days=14)
    answer = services.add_to_action_plan(
        org.employee_a1,
        answer,
        responsible=org.leader_a1,
        deadline=deadline,
        description="Rydd nødutgangen",
    )
    services.add_to_action_plan(
        org.employee_a1, answer, responsible=org.leader_a1, deadline=deadline
    )
    action = CorrectiveAction.objects.get()
    assert answer.action == action
    assert (action.unit, action.responsible, action.deviation) == (org.unit_a1, org.leader_a1, None)


def test_responsible_outside_the_candidates_is_refused(org, round_):
    answer = services.answer_question(org.employee_a1, round_, question(round_), value="no")
    with pytest.raises(ValidationError):
        services.add_to_action_plan(
            org.employee_a1,
            answer,
            responsible=org.employee_b1,
            deadline=timezone.localdate() + timedelta(days=3),
        )


def test_sign_needs_every_question_answered(org, round_):
    services.answer_question(org.leader_a1, round_, question(round_), value="yes")
    assert services.signing_problems(round_) == ["3 spørsmål er ikke besvart."]
    with pytest.raises(services.ChecklistStateError):
        services.sign_round(org.leader_a1, round_)
    answer_all(org.leader_a1, round_)
    assert services.signing_problems(round_) == []
    services.sign_round(org.leader_a1, round_)
    round_.refresh_from_db()
    assert round_.is_signed and round_.signed_by == org.leader_a1


def test_a_participant_who_does_not_lead_the_unit_cannot_sign(org, round_):
    answer_all(org.leader_a1, round_)
    with pytest.raises(PermissionDenied):
        services.sign_round(org.employee_a1, round_)
    # A leader of the unit who is no participant cannot either.
    deputy_free = services.start_round(
        org.advisor, checklist=round_.version.checklist, unit=org.unit_a1, date=round_.date
    )
    answer_all(org.advisor, deputy_free)
    with pytest.raises(PermissionDenied):
        services.sign_round(org.leader_a1, deputy_free)
    services.sign_round(org.advisor, deputy_free)


def test_a_signed_round_is_read_only(org, round_):
    answer_all(org.leader_a1, round_)
    services.sign_round(org.leader_a1, round_)
    with pytest.raises(services.ChecklistStateError):
        services.answer_question(org.leader_a1, round_, question(round_), value="no")


def test_signing_a_round_from_the_wheel_records_its_occurrence_done(org, checklist, make_activity):
    activity = make_activity(org.unit_a1, checklist=checklist, responsible=org.employee_a1)
    occurrence = activity.occurrences.get()
    round_ = services.start_round(
        org.leader_a1, checklist=checklist, occurrence=occurrence, date=timezone.localdate()
    )
    assert round_.unit == org.unit_a1
    answer_all(org.leader_a1, round_)
    services.sign_round(org.leader_a1, round_)
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE
    assert occurrence.completed_by == org.leader_a1
    assert "signert av" in occurrence.note


def test_participant_records_the_occurrence_of_a_municipality_wide_activity(
    org, checklist, make_activity
):
    """An advisor's activity for the whole municipality: the unit leader in the round records
    its occurrence through the occurrence rule, not by leading the activity's unit."""
    activity = make_activity(None, checklist=checklist)
    occurrence = activity.occurrences.get()
    assert not permissions.can(org.leader_a1, occurrence, "record")
    round_ = services.start_round(
        org.leader_a1,
        checklist=checklist,
        occurrence=occurrence,
        unit=org.unit_a1,
        date=timezone.localdate(),
    )
    assert permissions.can(org.leader_a1, occurrence, "record")
    answer_all(org.leader_a1, round_)
    services.sign_round(org.leader_a1, round_)
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE


def test_statistics_count_rounds_planned_signed_and_their_findings(org, checklist, make_activity):
    from qms.reports import periods, stats
    from qms.reports.scope import Scope

    today = timezone.localdate()
    occurrence = make_activity(org.unit_a1, checklist=checklist, start_date=today).occurrences.get()
    signed = services.start_round(
        org.leader_a1, checklist=checklist, occurrence=occurrence, date=today
    )
    answer_all(org.leader_a1, signed, failing=[RUNWAY])
    services.report_finding(org.leader_a1, signed.answers.get(question__text=RUNWAY))
    services.sign_round(org.leader_a1, signed)
    services.start_round(org.leader_b1, checklist=checklist, unit=org.unit_b1, date=today)

    (section,) = stats.compute(Scope(org.sector_a), periods.year(today.year), only="annual_wheel")
    assert section.table("wheel_rounds").rows == [["Enhet A1", 1, 1, 0, 1, 1, 0]]
    (whole,) = stats.compute(Scope(org.root), periods.year(today.year), only="annual_wheel")
    assert [r[0] for r in whole.table("wheel_rounds").rows] == ["Enhet A1", "Enhet B1"]


def test_a_checklist_taken_out_of_use_starts_no_round(org, checklist):
    checklist.is_active = False
    checklist.save()
    with pytest.raises(ValidationError):
        services.start_round(
            org.leader_a1, checklist=checklist, unit=org.unit_a1, date=timezone.localdate()
        )
