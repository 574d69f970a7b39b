"""The authority's deadlines of inspection findings through the reminder ledger: a reminder
before, one leader level up after, each step exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deviations import services, tasks
from deviations.escalation import FINDING_STEP_COUNT, FindingDeadlinePolicy
from deviations.models import Deviation, Event, Inspection, InspectionFinding
from qms.models import Notification, Reminder
from tests.deviations.conftest import add_action
from tests.deviations.inspections import finding, inspection

pytestmark = pytest.mark.django_db

KINDS = ["inspection.deadline", "inspection.escalated"]


def sent():
    qs = Notification.objects.filter(kind__in=KINDS).order_by("pk")
    return list(qs.values_list("recipient__username", "kind"))


def test_a_reminder_before_then_one_level_up_after(org):
    found = finding(org, inspection(org), days=40)
    deadline = found.deadline
    sweep = services.remind_finding_deadlines
    assert sweep(deadline - timedelta(days=15)) == 0
    assert sweep(deadline - timedelta(days=14)) == 1
    assert sweep(deadline - timedelta(days=14)) == 0  # run twice: sent once
    assert sweep(deadline) == 0
    assert sweep(deadline + timedelta(days=1)) == 1
    assert sweep(deadline + timedelta(days=1)) == 0
    assert sweep(deadline + timedelta(days=60)) == 0
    assert sent() == [("leader_a1", "inspection.deadline"), ("leader_a", "inspection.escalated")]
    assert Reminder.objects.filter(kind="inspection.deadline").count() == 2
    # The case's history shows both steps.
    kinds = list(found.deviation.events.values_list("kind", flat=True))
    assert Event.Kind.REMINDED in kinds and Event.Kind.ESCALATED in kinds


def test_a_missed_week_catches_up_once(org):
    """The sweep did not run from before the reminder until a week after the deadline: it
    sends the escalation once, not a stale "deadline soon" as well, and never again."""
    found = finding(org, inspection(org), days=40)
    late = found.deadline + timedelta(days=7)
    assert services.remind_finding_deadlines(late) == 1
    assert services.remind_finding_deadlines(late) == 0
    assert services.remind_finding_deadlines(late + timedelta(days=7)) == 0
    assert sent() == [("leader_a", "inspection.escalated")]


def test_a_finding_inside_the_window_is_reminded_at_once(org):
    found = finding(org, inspection(org), days=5)
    assert services.remind_finding_deadlines(timezone.localdate()) == 1
    assert sent() == [("leader_a1", "inspection.deadline")]
    assert services.remind_finding_deadlines(found.deadline + timedelta(days=1)) == 1


def test_the_reminders_go_to_the_leaders_of_the_responsible_unit(org):
    """The finding's case lies in Enhet A2; the inspection's responsible unit is Sektor A."""
    checked = inspection(org, unit=org.sector_a, actor=org.leader_a)
    found = finding(org, checked, unit=org.unit_a2, actor=org.leader_a, days=3)
    assert found.deviation.handler == org.leader_a2  # the case goes to its nearest leader
    services.remind_finding_deadlines(found.deadline + timedelta(days=1))
    assert sent() == [("chief", "inspection.escalated")]


def test_a_reply_or_a_confirmation_stops_the_reminders(org):
    checked = inspection(org)
    replied = finding(org, checked, days=3)
    services.reply_to_finding(actor=org.leader_a1, finding=replied, reply="Plan sendt.")
    finding(org, checked, days=None, title="Merknad uten frist")
    assert services.remind_finding_deadlines(timezone.localdate() + timedelta(days=30)) == 0
    assert sent() == []


def test_the_due_filter_and_the_due_step_are_one_rule(org):
    policy = FindingDeadlinePolicy(days_before=3)
    checked = inspection(org)
    findings = []
    for step in range(FINDING_STEP_COUNT + 1):
        found = finding(org, checked, days=10)
        InspectionFinding.objects.filter(pk=found.pk).update(reminder_step=step)
        findings.append(InspectionFinding.objects.get(pk=found.pk))
    deadline = findings[0].deadline
    for day in range(-5, 4):
        today = deadline + timedelta(days=day)
        selected = set(
            InspectionFinding.objects.reminder_due(today, policy).values_list("pk", flat=True)
        )
        assert selected == {f.pk for f in findings if policy.due_step(f, today) is not None}, day


def test_the_sweep_reads_only_what_is_due(org, django_assert_max_num_queries):
    checked = inspection(org)
    for _ in range(3):
        finding(org, checked, days=2)
    later = timezone.localdate() + timedelta(days=30)
    services.remind_finding_deadlines(later)
    with django_assert_max_num_queries(1):
        assert services.remind_finding_deadlines(later) == 0


def test_the_task_is_registered_for_beat_and_replays_a_day(org):
    from qms.sweeps import beat_schedule

    assert "deviations.tasks.remind_finding_deadlines" in beat_schedule()
    found = finding(org, inspection(org), days=2)
    assert tasks.remind_finding_deadlines((found.deadline + timedelta(days=1)).isoformat()) == 1


def test_done_when_three_findings_one_escalated_once_closed_on_confirmation(org):
    """The inspection journey: an inspection with three findings is recorded, one finding's
    deadline passes and is escalated once, and the finding closes on the authority's
    confirmation."""
    today = timezone.localdate()
    checked = inspection(org, report_received_on=today)
    late = finding(org, checked, days=20, title="Mangler risikokartlegging")
    finding(org, checked, days=90, kind=InspectionFinding.Kind.ORDER, title="Pålegg om opplæring")
    finding(org, checked, days=None, kind=InspectionFinding.Kind.REMARK, title="M")
    assert checked.findings.count() == 3
    assert Deviation.objects.filter(source=Deviation.Source.INSPECTION).count() == 3

    passed = late.deadline + timedelta(days=1)
    assert services.remind_finding_deadlines(passed) == 1
    assert services.remind_finding_deadlines(passed) == 0  # the sweep run twice
    assert sent() == [("leader_a", "inspection.escalated")]

    case = late.deviation
    services.start_treatment(actor=org.leader_a1, deviation=case)
    action = add_action(org, case)
    services.complete_action(actor=org.employee_a1, action=action, note="Kartlagt.")
    services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="effective")
    services.reply_to_finding(actor=org.leader_a1, finding=late, reply="Risiko er kartlagt.")
    services.confirm_finding_closed(actor=org.leader_a1, finding=late)

    late.refresh_from_db()
    case.refresh_from_db()
    checked.refresh_from_db()
    assert late.is_closed and case.state == Deviation.State.CLOSED
    assert checked.status == Inspection.Status.REPORT_RECEIVED  # two findings still open
    assert list(checked.findings.open().values_list("title", flat=True)) == [
        "Pålegg om opplæring",
        "M",
    ]
