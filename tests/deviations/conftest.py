"""Helpers for the deviations tests: a reported case and an action, built through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deviations import services
from deviations.models import Deviation


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
