"""Every transition, allowed and refused; routing; numbering; notifications to the reporter."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deviations import services
from deviations.models import CorrectiveAction, Deviation, Event
from qms.models import Membership, Notification
from tests.conftest import add_child, make_user
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db
State = Deviation.State


def notes(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values_list("subject", flat=True))


def finish(org, deviation, effect="effective"):
    for action in deviation.actions.all():
        services.complete_action(actor=action.responsible, action=action, note="Gjort")
        services.evaluate_action_effect(
            actor=org.leader_a1, action=action, effect=effect, note="Bra"
        )


# --- Reporting and routing -----------------------------------------------------------------


def test_report_gets_a_yearly_number_and_goes_to_the_unit_leader(org):
    first = report(org)
    second = report(org)
    year = timezone.localdate().year
    assert first.number == f"AV-{year}-00001"
    assert second.number == f"AV-{year}-00002"
    assert first.state == State.REPORTED
    assert first.handler == org.leader_a1
    assert len(notes(org.leader_a1, "deviation.reported")) == 2
    assert Event.objects.filter(deviation=first, kind=Event.Kind.REPORTED).count() == 1


def test_a_unit_without_leader_routes_to_the_nearest_leader_above(org):
    deviation = report(org, reporter=org.employee_a1x, unit=org.dept_a1x)
    assert deviation.handler == org.leader_a1
    assert notes(org.leader_a1, "deviation.reported")


def test_a_tree_without_any_leader_routes_to_the_quality_advisors(org):
    Membership.objects.filter(role="leader").delete()
    deviation = report(org)
    assert deviation.handler is None
    assert notes(org.advisor, "deviation.reported")


def test_a_finding_of_a_control_activity_keeps_its_source(org, client):
    reported = report(org)
    finding = report(org, source=Deviation.Source.INSPECTION)
    assert reported.source == Deviation.Source.REPORT
    assert finding.source == Deviation.Source.INSPECTION
    # The routing is the one every report gets.
    assert finding.handler == org.leader_a1
    client.force_login(org.leader_a1)
    answer = client.get(f"/api/v1/deviations/{finding.pk}/").json()
    assert answer["source"] == "inspection"
    with pytest.raises(ValidationError):
        report(org, source="gossip")


def test_future_time_is_refused(org):
    with pytest.raises(ValidationError):
        report(org, occurred_at=timezone.now() + timedelta(days=1))
    assert not Deviation.objects.exists()


def test_leader_email_is_sent_after_commit(org, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deviation = report(org)
    assert [m.to for m in mailoutbox] == [["leader_a1@example.no"]]
    assert deviation.number in mailoutbox[0].subject


# --- Transitions -----------------------------------------------------------------------------


def test_full_flow_to_closed_tells_the_reporter_each_step(org, case):
    services.start_treatment(actor=org.leader_a1, deviation=case)
    services.classify_deviation(
        actor=org.leader_a1, deviation=case, cause_class="procedure", cause_analysis="Uklar rutine"
    )
    action = add_action(org, case)
    case.refresh_from_db()
    assert case.state == State.ACTIONS_IN_PROGRESS
    services.complete_action(actor=org.employee_a1, action=action, note="Rutinen er oppdatert")
    services.evaluate_action_effect(
        actor=org.leader_a1, action=action, effect="effective", note="Ingen nye feil"
    )
    services.close_deviation(actor=org.leader_a1, deviation=case)
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert case.closed_at is not None
    told = notes(org.employee_a1, "deviation.state")
    assert len(told) == 3  # taken on, actions started, closed
    assert any("lukket" in s for s in told)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == "reported" and kinds[-1] == "closed"


def test_close_refused_while_an_action_is_open(org, case):
    add_action(org, case)
    with pytest.raises(services.TransitionError, match="utført"):
        services.close_deviation(actor=org.leader_a1, deviation=case)


def test_close_refused_until_effect_is_evaluated(org, case):
    action = add_action(org, case)
    services.complete_action(actor=org.employee_a1, action=action)
    with pytest.raises(services.TransitionError, match="Effekten"):
        services.close_deviation(actor=org.leader_a1, deviation=case)


def test_close_without_actions_needs_a_note_and_treatment(org, case):
    with pytest.raises(services.TransitionError):
        services.close_deviation(actor=org.leader_a1, deviation=case, note="x")
    services.start_treatment(actor=org.leader_a1, deviation=case)
    with pytest.raises(ValidationError):
        services.close_deviation(actor=org.leader_a1, deviation=case)
    services.close_deviation(actor=org.leader_a1, deviation=case, note="Engangstilfelle")
    case.refresh_from_db()
    assert case.state == State.CLOSED


def test_closing_twice_gives_a_clear_message(org, case):
    services.start_treatment(actor=org.leader_a1, deviation=case)
    services.close_deviation(actor=org.leader_a1, deviation=case, note="ok")
    with pytest.raises(services.TransitionError, match="allerede lukket"):
        services.close_deviation(actor=org.leader_a, deviation=case, note="ok")


@pytest.mark.parametrize(
    "who", ["employee_a1", "employee_b1", "leader_b1", "advisor", "committee", "leader_a2"]
)
def test_only_leaders_of_the_subtree_may_handle(org, case, who):
    user = getattr(org, who)
    for call in (
        lambda: services.start_treatment(actor=user, deviation=case),
        lambda: services.reject_deviation(actor=user, deviation=case, reason="x"),
        lambda: services.forward_deviation(
            actor=user, deviation=case, unit=org.unit_b1, reason="x"
        ),
        lambda: add_action(org, case, actor=user),
    ):
        with pytest.raises(PermissionDenied):
            call()
    case.refresh_from_db()
    assert case.state == State.REPORTED


def test_leader_above_may_handle(org, case):
    services.start_treatment(actor=org.leader_a, deviation=case)
    case.refresh_from_db()
    assert case.state == State.UNDER_TREATMENT
    assert case.handler == org.leader_a


def test_start_refused_twice(org, case):
    services.start_treatment(actor=org.leader_a1, deviation=case)
    with pytest.raises(services.TransitionError):
        services.start_treatment(actor=org.leader_a1, deviation=case)


def test_assign_handler_gives_that_person_the_case(org, case):
    services.assign_handler(actor=org.leader_a1, deviation=case, handler=org.employee_a1x)
    case.refresh_from_db()
    assert case.handler == org.employee_a1x
    assert case.state == State.UNDER_TREATMENT
    assert notes(org.employee_a1x, "deviation.assigned")
    # The handler may now handle it.
    add_action(org, case, actor=org.employee_a1x)


def test_classify_refused_before_treatment_and_with_bad_class(org, case):
    with pytest.raises(services.TransitionError):
        services.classify_deviation(
            actor=org.leader_a1, deviation=case, cause_class="human", cause_analysis=""
        )
    services.start_treatment(actor=org.leader_a1, deviation=case)
    with pytest.raises(ValidationError):
        services.classify_deviation(
            actor=org.leader_a1, deviation=case, cause_class="aliens", cause_analysis=""
        )


def test_forward_moves_the_case_to_the_other_units_leader(org, case):
    services.forward_deviation(
        actor=org.leader_a1, deviation=case, unit=org.unit_b1, reason="Skjedde hos B1"
    )
    case.refresh_from_db()
    assert case.state == State.FORWARDED
    assert case.unit == org.unit_b1
    assert case.handler == org.leader_b1
    assert notes(org.leader_b1, "deviation.forwarded")
    assert notes(org.employee_a1, "deviation.state")
    # The new leader may take it on; the old one no longer sees it.
    services.start_treatment(actor=org.leader_b1, deviation=case)
    with pytest.raises(PermissionDenied):
        services.reject_deviation(actor=org.leader_a1, deviation=case, reason="x")


def test_forward_needs_reason_and_another_unit(org, case):
    with pytest.raises(ValidationError):
        services.forward_deviation(actor=org.leader_a1, deviation=case, unit=org.unit_b1, reason="")
    with pytest.raises(ValidationError):
        services.forward_deviation(
            actor=org.leader_a1, deviation=case, unit=org.unit_a1, reason="x"
        )


def test_forward_refused_once_actions_run(org, case):
    add_action(org, case)
    with pytest.raises(services.TransitionError):
        services.forward_deviation(
            actor=org.leader_a1, deviation=case, unit=org.unit_b1, reason="x"
        )


def test_reject_with_reason_tells_the_reporter(org, case):
    with pytest.raises(ValidationError):
        services.reject_deviation(actor=org.leader_a1, deviation=case, reason=" ")
    services.reject_deviation(actor=org.leader_a1, deviation=case, reason="Ikke et avvik")
    case.refresh_from_db()
    assert case.state == State.REJECTED
    assert any("avvist" in s for s in notes(org.employee_a1, "deviation.state"))
    with pytest.raises(services.TransitionError):
        services.reject_deviation(actor=org.leader_a1, deviation=case, reason="igjen")
    with pytest.raises(services.TransitionError):
        add_action(org, case)


def test_reject_refused_once_actions_run(org, case):
    add_action(org, case)
    with pytest.raises(services.TransitionError):
        services.reject_deviation(actor=org.leader_a1, deviation=case, reason="x")


# --- Actions -----------------------------------------------------------------------------------


def test_action_needs_future_deadline_and_description(org, case):
    with pytest.raises(ValidationError) as exc:
        services.create_action(
            actor=org.leader_a1,
            unit=org.unit_a1,
            description=" ",
            responsible=org.employee_a1,
            deadline=timezone.localdate() - timedelta(days=1),
            deviation=case,
        )
    assert set(exc.value.error_dict) == {"description", "deadline"}
    assert not CorrectiveAction.objects.exists()


def test_responsible_is_told_and_may_complete_but_not_evaluate(org, case):
    action = add_action(org, case, responsible=org.employee_a1x)
    assert notes(org.employee_a1x, "action.assigned")
    with pytest.raises(PermissionDenied):
        services.complete_action(actor=org.employee_b1, action=action)
    services.complete_action(actor=org.employee_a1x, action=action, note="Gjort")
    assert notes(org.leader_a1, "action.done")
    with pytest.raises(services.TransitionError):
        services.complete_action(actor=org.employee_a1x, action=action)
    with pytest.raises(PermissionDenied):
        services.evaluate_action_effect(actor=org.employee_a1x, action=action, effect="effective")


def test_evaluate_refused_before_done_and_twice(org, case):
    action = add_action(org, case)
    with pytest.raises(services.TransitionError):
        services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="effective")
    services.complete_action(actor=org.employee_a1, action=action)
    with pytest.raises(ValidationError):
        services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="maybe")
    services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="not_effective")
    with pytest.raises(services.TransitionError):
        services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="effective")


def test_action_without_deviation_for_other_modules(org):
    action = services.create_action(
        actor=org.leader_a1,
        unit=org.unit_a1,
        description="Sett opp rekkverk",
        responsible=org.employee_a1,
        deadline=timezone.localdate() + timedelta(days=3),
    )
    assert action.deviation is None
    assert action.get_absolute_url() == f"/avvik/tiltak/{action.pk}/"
    with pytest.raises(PermissionDenied):
        services.create_action(
            actor=org.employee_a1,
            unit=org.unit_a1,
            description="x",
            responsible=org.employee_a1,
            deadline=timezone.localdate(),
        )
    # No caller can switch the check off: another module's object goes in as the rule's source.
    assert "source_checked" not in inspect.signature(services.create_action).parameters
    services.complete_action(actor=org.employee_a1, action=action)
    services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="effective")


def test_closed_case_refuses_actions_and_completion(org, case):
    action = add_action(org, case)
    finish(org, case)
    services.close_deviation(actor=org.leader_a1, deviation=case)
    with pytest.raises(services.TransitionError):
        add_action(org, case)
    del action


# --- Sharing, comments -----------------------------------------------------------------------


def test_share_and_revoke_one_case(org, case):
    from qms import permissions

    outsider = make_user("verneombud")
    assert not permissions.can(outsider, case, "view")
    with pytest.raises(PermissionDenied):
        services.share_deviation(actor=org.employee_a1, deviation=case, user=outsider)
    services.share_deviation(actor=org.leader_a1, deviation=case, user=outsider)
    outsider = type(outsider).objects.get(pk=outsider.pk)
    assert permissions.can(outsider, case, "view")
    assert not permissions.can(outsider, case, "change")
    services.unshare_deviation(actor=org.leader_a1, deviation=case, user=outsider)
    outsider = type(outsider).objects.get(pk=outsider.pk)
    assert not permissions.can(outsider, case, "view")
    assert case.events.filter(kind__in=["shared", "unshared"]).count() == 2


def test_comment_by_reporter_is_history_and_tells_the_handler(org, case):
    services.add_comment(actor=org.employee_a1, deviation=case, text="Det skjedde igjen i dag")
    assert case.events.filter(kind="comment").count() == 1
    assert notes(org.leader_a1, "deviation.comment")
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=org.employee_b1, deviation=case, text="hei")


def test_numbering_is_unique_per_year(org):
    unit = add_child(org.unit_a2, "avd-a2y", "Avdeling A2y", "department")
    numbers = {report(org, unit=unit).number for _ in range(5)}
    assert len(numbers) == 5
