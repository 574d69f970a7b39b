"""Fixtures for the annual wheel's tests."""

from __future__ import annotations

from datetime import date

import pytest

from annual_wheel.models import Activity, Category
from tests.annual_wheel.helpers import categories


@pytest.fixture
def category(db) -> Category:
    return categories()["Internkontroll"]


@pytest.fixture
def make_activity(org, category):
    """``make_activity(unit=..., **fields)`` creates an activity through the service as an advisor."""
    from annual_wheel import services

    def _make(unit=None, *, by=None, **fields) -> Activity:
        defaults = {
            "title": "Vernerunde",
            "category": category,
            "recurrence": Activity.Recurrence.ONCE,
            "start_date": date(date.today().year, 6, 15),
        }
        defaults.update(fields)
        return services.create_activity(by or org.advisor, unit=unit, **defaults)

    return _make
