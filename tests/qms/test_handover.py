"""The one hand-over service (qms/handover.py) and every app's provider: a person's open work in
a unit goes to its leader, with history in each app and one notification."""

from __future__ import annotations

from datetime import date

import pytest

from annual_wheel import services as wheel_services
from annual_wheel.models import Activity, Audit
from deviations.models import Deviation, Event
from documents.models import Document, DocumentEvent
from qms import handover
from qms.models import Handover, Notification, OrgUnit
from risk import services as risk_services
from risk.models import RiskEvent
from tests.annual_wheel.audit_helpers import plan as plan_audit
from tests.annual_wheel.helpers import categories
from tests.deviations.conftest import add_action, report
from tests.documents.factories import draft


@pytest.fixture
def work(org):
    """employee_a1 has open work of every kind in Enhet A1, and one closed action."""
    user = org.employee_a1
    case = report(org, reporter=org.employee_b1, unit=org.unit_a1)
    Deviation.objects.filter(pk=case.pk).update(handler=user)
    done = add_action(org, case, responsible=user)
    done.done_at = done.created_at
    done.save()
    return {
        "case": case,
        "action": add_action(org, case, responsible=user),
        "done": done,
        "document": draft(
            org.leader_a1, org.unit_a1, revision_responsible=user, process_owner=user
        ),
        "activity": wheel_services.create_activity(
            org.advisor,
            unit=org.unit_a1,
            title="Vernerunde",
            category=categories()["Internkontroll"],
            recurrence=Activity.Recurrence.ONCE,
            start_date=date(date.today().year, 6, 15),
            responsible=user,
        ),
        "assessment": risk_services.create_assessment(
            actor=org.leader_a1,
            unit=org.unit_a1,
            title="Brann i bygget",
            activity="Nattevakt",
            assessed_on=date(2026, 11, 1),
            participants=[user],
        ),
        "audit": plan_audit(org, lead_auditor=user),
    }


def test_open_work_lists_every_kind_and_only_open_work(org, work):
    items = handover.open_work(org.employee_a1, org.unit_a1)

    assert sorted(i.module for i in items) == sorted(
        ["Avvik", "Tiltak", "Dokumenter", "Årshjul", "Intern revisjon", "Risiko og sårbarhet"]
    )
    assert handover.open_work(org.employee_a1, org.unit_b1) == []


def test_hand_over_gives_everything_to_the_leader_with_history_and_one_notification(org, work):
    record = handover.hand_over(org.employee_a1, org.unit_a1, reason=Handover.Reason.MOVED)

    leader = org.leader_a1
    assert record.to_user == leader and len(record.items) == 6
    work["case"].refresh_from_db()
    assert work["case"].handler == leader
    assert Event.objects.filter(
        deviation=work["case"], kind="assigned", changes__handler__1=leader.pk
    )
    work["action"].refresh_from_db()
    work["done"].refresh_from_db()
    assert work["action"].responsible == leader
    assert work["done"].responsible == org.employee_a1  # done work stays as it was
    document = Document.objects.get(pk=work["document"].pk)
    assert document.revision_responsible == leader and document.process_owner == leader
    assert DocumentEvent.objects.filter(document=document, comment__contains="overtok")
    assert Activity.objects.get(pk=work["activity"].pk).responsible == leader
    assert Audit.objects.get(pk=work["audit"].pk).lead_auditor == leader
    assert list(work["assessment"].participants.all()) == [leader]
    assert RiskEvent.objects.filter(assessment=work["assessment"], text__contains="i stedet for")
    notes = Notification.objects.filter(recipient=leader, kind="qms.handover")
    assert notes.count() == 1
    assert "6 oppgaver" in notes.get().subject and "Brann i bygget" in notes.get().body
    assert handover.open_work(org.employee_a1) == []


def test_a_leader_who_leaves_hands_over_to_the_leader_above(org, work):
    action = add_action(org, work["case"], responsible=org.leader_a1)

    handover.hand_over(org.leader_a1, org.unit_a1, reason=Handover.Reason.LEFT)

    action.refresh_from_db()
    assert action.responsible == org.leader_a  # Sektor A's leader


def test_a_department_without_leader_hands_over_to_the_nearest_leader(org):
    case = report(org, unit=org.dept_a1x)
    action = add_action(org, case, responsible=org.employee_a1x)

    handover.hand_over(org.employee_a1x, org.dept_a1x, reason=Handover.Reason.MOVED)

    action.refresh_from_db()
    assert action.responsible == org.leader_a1


def test_nothing_to_hand_over_records_nothing(org):
    assert handover.hand_over(org.employee_b1, org.unit_b1, reason=Handover.Reason.MOVED) is None
    assert not Handover.objects.exists()


def test_work_with_nobody_to_take_it_is_recorded_without_an_owner(org):
    case = report(org)
    action = add_action(org, case, responsible=org.employee_a1)
    lonely = OrgUnit.objects.add_root({"code": "annen", "name": "Zeta", "kind": "municipality"})
    action.unit = lonely
    action.save()

    record = handover.hand_over(org.employee_a1, lonely, reason=Handover.Reason.LEFT)

    assert record.to_user is None and len(record.items) == 1
    action.refresh_from_db()
    assert action.responsible == org.employee_a1
