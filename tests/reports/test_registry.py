"""The statistics registry: modules contribute their sections; qms.reports composes them."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from qms.reports import stats
from qms.reports.checks import statistics_sections
from qms.reports.stats.registry import SectionRegistry


def _build(scope, period, **kwargs):
    return None


def test_every_module_contributes_its_section_in_report_order():
    assert [key for key, _build in stats.builders()] == [
        "organisation",
        "deviations",
        "documents",
        "risk",
        "annual_wheel",
    ]
    modules = {entry.key: entry.module for entry in stats.sections}
    assert modules["deviations"] == "deviations.stats"
    assert modules["annual_wheel"] == "annual_wheel.stats"


def test_a_duplicate_key_or_order_fails_when_registered():
    registry = SectionRegistry()
    registry("one", order=1)(_build)
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry("one", order=2)(_build)
    with pytest.raises(ImproperlyConfigured, match="both have order 1"):
        registry("two", order=1)(_build)


def test_an_app_whose_stats_module_registered_nothing_fails_the_check():
    entry = stats.sections["risk"]
    stats.sections.remove("risk")
    try:
        errors = statistics_sections()
        assert [e.id for e in errors] == ["reports.E001"]
        assert "risk.stats" in errors[0].msg
        fresh = SectionRegistry()
        with pytest.raises(ImproperlyConfigured, match="risk.stats registers no"):
            list(fresh)
    finally:
        stats.sections.add(entry.key, entry.build, order=entry.order)
    assert statistics_sections() == []


def test_an_unknown_section_names_where_to_register_it():
    with pytest.raises(LookupError, match="stats.py"):
        stats.sections["nonexistent"]
