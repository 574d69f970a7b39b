"""Helpers for the deviations tests: a reported case and an action, built through the services."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from deviations import services
from deviations.models import CorrectiveAction, Deviation


def report(org, reporter=None, unit=None, **extra) -> Deviation:
    fields = {
        "kind": Deviation.Kind.DEVIATION,
        "title": "Feil medisin gitt",
        "description": "Beboer fikk kveldsmedisin to ganger.",
        "occurred_at": timezone.now() - timedelta(hours=2),
        "severity": 3,
    }
    fields.update(extra)
    return services.report_deviation(
        reporter=reporter or org.employee_a1, unit=unit or org.unit_a1, **fields
    )


def add_action(org, deviation, responsible=None, actor=None, days=7):
    return services.create_action(
        actor=actor or org.leader_a1,
        unit=deviation.unit,
        description="Gå gjennom rutinen for medisinutdeling",
        responsible=responsible or org.employee_a1,
        deadline=timezone.localdate() + timedelta(days=days),
        deviation=deviation,
    )


@pytest.fixture
def case(org):
    return report(org)


def overdue_actions(org, n: int, days_late: int) -> list[CorrectiveAction]:
    """``n`` open actions of one new case, ``days_late`` days past their deadline (20 puts all
    three escalation steps due at once, 1 only the first, 0 none yet)."""
    deviation = report(org)
    deadline = timezone.localdate() - timedelta(days=days_late)
    return CorrectiveAction.objects.bulk_create(
        CorrectiveAction(
            deviation=deviation,
            unit=org.unit_a1,
            description=f"Tiltak {i}",
            responsible=org.employee_a1,
            deadline=deadline,
        )
        for i in range(n)
    )


def escalation_ledger() -> Counter:
    """How many times each (action, step) of the escalation was claimed: 1 each when exactly
    once."""
    from qms.models import Reminder

    return Counter(Reminder.objects.filter(kind="action.overdue").values_list("object_id", "step"))
