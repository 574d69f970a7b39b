"""Escalation of overdue actions: each step exactly once, catching up, stopping when done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deviations import services
from deviations.models import CorrectiveAction
from qms.models import Membership, Notification, Reminder
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db


def overdue_action(org, case, responsible=None):
    action = add_action(org, case, responsible=responsible or org.employee_a1)
    return action


def sent(kind=None):
    qs = Notification.objects.filter(kind__in=["action.overdue", "action.escalated"])
    return list(qs.order_by("pk").values_list("recipient__username", "kind"))


def test_steps_go_responsible_then_leader_then_one_level_up(org, case):
    action = overdue_action(org, case)
    deadline = action.deadline
    day = deadline  # not yet overdue
    assert services.escalate_overdue_actions(day) == 0
    assert services.escalate_overdue_actions(deadline + timedelta(days=1)) == 1
    assert services.escalate_overdue_actions(deadline + timedelta(days=1)) == 0
    assert services.escalate_overdue_actions(deadline + timedelta(days=7)) == 0
    assert services.escalate_overdue_actions(deadline + timedelta(days=8)) == 1
    assert services.escalate_overdue_actions(deadline + timedelta(days=15)) == 1
    assert services.escalate_overdue_actions(deadline + timedelta(days=40)) == 0
    assert sent() == [
        ("employee_a1", "action.overdue"),
        ("leader_a1", "action.escalated"),
        ("leader_a", "action.escalated"),
    ]
    assert Reminder.objects.filter(kind="action.overdue").count() == 3


def test_a_sweep_after_a_long_gap_catches_up_once(org, case):
    action = overdue_action(org, case)
    late = action.deadline + timedelta(days=30)
    assert services.escalate_overdue_actions(late) == 3
    assert services.escalate_overdue_actions(late) == 0
    assert len(sent()) == 3


def test_the_responsible_leader_escalates_past_themself(org, case):
    action = overdue_action(org, case, responsible=org.leader_a1)
    services.escalate_overdue_actions(action.deadline + timedelta(days=30))
    assert sent() == [
        ("leader_a1", "action.overdue"),
        ("leader_a", "action.escalated"),
        ("chief", "action.escalated"),
    ]


def test_two_steps_sent_by_one_catch_up_sweep_have_different_subjects(org):
    """One catch-up sweep sends steps 1 and 2 of an action on the same day; each subject names
    its step, so a reader (or a mail filter) tells the two e-mails apart. When one person leads
    every level, they hear of the action once (test_a_leader_of_two_levels_hears_of_an_escalation
    _once), so the two steps here go to the unit's leader and the sector's."""
    from qms.notifications import email_subject

    action = services.create_action(
        actor=org.leader_a1,
        unit=org.unit_a1,
        description="Felles tiltak",
        responsible=org.employee_a1,
        deadline=timezone.localdate(),
    )
    services.escalate_overdue_actions(action.deadline + timedelta(days=30))
    escalations = Notification.objects.filter(kind="action.escalated").order_by("pk")
    by_recipient = {n.recipient: email_subject(n) for n in escalations}
    assert set(by_recipient) == {org.leader_a1, org.leader_a}
    assert "trinn 1" in by_recipient[org.leader_a1]
    assert "trinn 2" in by_recipient[org.leader_a]


def test_done_action_stops_escalating(org, case):
    action = overdue_action(org, case)
    services.escalate_overdue_actions(action.deadline + timedelta(days=1))
    services.complete_action(actor=org.employee_a1, action=action)
    assert services.escalate_overdue_actions(action.deadline + timedelta(days=30)) == 0
    assert len(sent()) == 1


def test_a_lagging_counter_never_sends_twice(org, case):
    """A ledger row already there (e.g. a crash after claim) is never sent again."""
    action = overdue_action(org, case)
    services.escalate_overdue_actions(action.deadline + timedelta(days=1))
    CorrectiveAction.objects.filter(pk=action.pk).update(escalation_step=0)
    assert services.escalate_overdue_actions(action.deadline + timedelta(days=1)) == 0
    assert len(sent()) == 1


def test_actions_of_other_modules_escalate_too(org):
    action = services.create_action(
        actor=org.leader_a1,
        unit=org.unit_a1,
        description="Risikotiltak",
        responsible=org.employee_a1,
        deadline=timezone.localdate(),
    )
    assert services.escalate_overdue_actions(action.deadline + timedelta(days=9)) == 2


def test_the_sweep_reads_only_due_actions(org, case, django_assert_max_num_queries):
    for _ in range(5):
        overdue_action(org, case)
    later = timezone.localdate() + timedelta(days=30)
    services.escalate_overdue_actions(later)
    # Everything sent: the next sweep is one query whatever the table size.
    with django_assert_max_num_queries(1):
        assert services.escalate_overdue_actions(later) == 0


def test_the_task_is_registered_for_beat():
    from qms.sweeps import beat_schedule

    assert "deviations.tasks.escalate_overdue_actions" in beat_schedule()


def test_the_policy_takes_its_days_from_the_settings(org, case, settings):
    from deviations.escalation import EscalationPolicy

    settings.DEVIATION_ESCALATION_DAYS = 3
    assert EscalationPolicy.from_settings().offsets == (1, 4, 7)
    action = overdue_action(org, case)
    assert services.escalate_overdue_actions(action.deadline + timedelta(days=3)) == 1
    assert services.escalate_overdue_actions(action.deadline + timedelta(days=4)) == 1
    assert services.escalate_overdue_actions(action.deadline + timedelta(days=7)) == 1
    assert [kind for _, kind in sent()] == ["action.overdue", *["action.escalated"] * 2]


def test_the_due_filter_and_the_due_step_are_one_rule(org, case):
    """What the sweep selects in SQL is exactly what it then sends, on every day around each
    step and for every step counter."""
    from deviations.escalation import STEP_COUNT, EscalationPolicy

    policy = EscalationPolicy(offsets=(1, 3, 6))
    actions = []
    for step in range(STEP_COUNT + 1):
        action = overdue_action(org, case)
        CorrectiveAction.objects.filter(pk=action.pk).update(escalation_step=step)
        actions.append(CorrectiveAction.objects.get(pk=action.pk))
    deadline = actions[0].deadline
    for day in range(-1, 9):
        today = deadline + timedelta(days=day)
        selected = set(
            CorrectiveAction.objects.escalation_due(today, policy).values_list("pk", flat=True)
        )
        assert selected == {a.pk for a in actions if policy.due_step(a, today) is not None}, day


def test_a_policy_needs_one_rising_offset_per_step():
    from deviations.escalation import EscalationPolicy

    with pytest.raises(ValueError):
        EscalationPolicy(offsets=(1, 8))
    with pytest.raises(ValueError):
        EscalationPolicy(offsets=(8, 1, 15))


def test_a_leader_of_two_levels_hears_of_an_escalation_once(org):
    # Leader A1 also leads the department below: the chain from the department names them twice.
    Membership.objects.create(user=org.leader_a1, unit=org.dept_a1x, role="leader")
    case = report(org, reporter=org.employee_a1x, unit=org.dept_a1x)
    action = add_action(org, case, responsible=org.employee_a1x)
    services.escalate_overdue_actions(action.deadline + timedelta(days=30))
    assert sent() == [
        ("employee_a1x", "action.overdue"),
        ("leader_a1", "action.escalated"),
        ("leader_a", "action.escalated"),
    ]


def test_when_the_chain_runs_out_the_top_leader_is_not_told_twice(org):
    case = report(org, reporter=org.employee_a1, unit=org.sector_a)
    action = add_action(org, case, responsible=org.leader_a, actor=org.leader_a)
    services.escalate_overdue_actions(action.deadline + timedelta(days=30))
    assert sent() == [("leader_a", "action.overdue"), ("chief", "action.escalated")]
    # The last step is still taken (and logged), with nobody new to tell.
    assert Reminder.objects.filter(kind="action.overdue").count() == 3
    leader_list = Notification.objects.filter(recipient=org.chief).values_list("subject", "url")
    assert len(leader_list) == len(set(leader_list))
