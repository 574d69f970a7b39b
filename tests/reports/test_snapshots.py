"""Statistics snapshots (qms/reports/snapshots.py): slow computations are kept and refreshed by
a sweep; fast ones stay live; a kept snapshot says when it was computed."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone, translation

from qms.reports import periods, snapshots
from qms.reports.scope import Scope
from tests.conftest import add_child

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year  # the sweep keeps the current tertial and year
ORG_UNITS = "/api/v1/statistics/organisation/?unit={pk}&period=year&year=" + str(YEAR)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _unit_rows(api, pk):
    response = api.get(ORG_UNITS.format(pk=pk))
    assert response.status_code == 200
    return response.json()["tables"][0]["rows"], response.json()["computed_at"]


@override_settings(STATISTICS_CACHE_SECONDS=600, STATISTICS_CACHE_AFTER=0)
def test_a_slow_computation_is_kept_until_the_sweep_refreshes_it(org, api_for, client_for):
    api = api_for(org.committee)
    rows, computed = _unit_rows(api, org.sector_a.pk)
    assert rows == [["Sektor", 1], ["Enhet", 2], ["Avdeling", 1]]
    add_child(org.sector_a, "enhet-a3", "Enhet A3")
    # Kept: the same figures and the same time, not a new computation.
    assert _unit_rows(api, org.sector_a.pk) == (rows, computed)
    html = client_for(org.committee).get(f"/statistikk/?unit={org.sector_a.pk}").content.decode()
    assert 'data-testid="computed-at"' in html
    assert "Tallene ble beregnet" in html

    # The sweep recomputes the large scopes (municipality and sectors) for the default periods.
    assert snapshots.refresh_large_scopes() == 3 * len(snapshots.sweep_periods())
    fresh, fresh_computed = _unit_rows(api, org.sector_a.pk)
    assert fresh == [["Sektor", 1], ["Enhet", 3], ["Avdeling", 1]]
    assert fresh_computed > computed


@override_settings(STATISTICS_CACHE_SECONDS=600, STATISTICS_CACHE_AFTER=60)
def test_a_fast_computation_stays_live(org, api_for, client_for):
    api = api_for(org.committee)
    rows, _ = _unit_rows(api, org.sector_a.pk)
    add_child(org.sector_a, "enhet-a3", "Enhet A3")
    assert _unit_rows(api, org.sector_a.pk)[0] != rows
    html = client_for(org.committee).get(f"/statistikk/?unit={org.sector_a.pk}").content.decode()
    assert 'data-testid="computed-at"' not in html


@override_settings(STATISTICS_CACHE_SECONDS=600, STATISTICS_CACHE_AFTER=0)
def test_each_language_has_its_own_snapshot(org):
    period = periods.year(YEAR)
    with translation.override("nb"):
        norwegian = snapshots.get(Scope(org.root), period).sections[0].title
    with translation.override("en"):
        english = snapshots.get(Scope(org.root), period).sections[0].title
    assert norwegian != english
    with translation.override("nb"):
        assert snapshots.get(Scope(org.root), period).sections[0].title == norwegian


@override_settings(STATISTICS_CACHE_SECONDS=0)
def test_keeping_can_be_turned_off(org, api_for):
    assert snapshots.refresh_large_scopes() == 0
    api = api_for(org.committee)
    rows, _ = _unit_rows(api, org.sector_a.pk)
    add_child(org.sector_a, "enhet-a3", "Enhet A3")
    assert _unit_rows(api, org.sector_a.pk)[0] != rows


def test_the_sweep_is_scheduled_on_the_report_worker():
    from qms.celery import app
    from qms.sweeps import beat_schedule

    assert "qms.reports.tasks.refresh_statistics" in beat_schedule()
    route = app.amqp.router.route({}, "qms.reports.tasks.refresh_statistics")
    assert route["queue"].name == "pdf"


@override_settings(STATISTICS_CACHE_SECONDS=600, STATISTICS_CACHE_AFTER=0)
def test_the_quality_report_reads_the_kept_snapshot_with_its_detail_lists(org):
    from qms.reports import quality_report

    scope, period = Scope(org.sector_a), periods.year(YEAR)
    kept = snapshots.get(scope, period)
    add_child(org.sector_a, "enhet-a3", "Enhet A3")
    context = quality_report.build_context(scope, period)
    assert context["computed_at"] is not None  # the cover says when the figures were computed
    units = next(s for s in context["sections"] if s.key == "organisation").table(
        "organisation_units"
    )
    assert units.rows == [["Sektor", 1], ["Enhet", 2], ["Avdeling", 1]]  # the kept figures
    # The report has the detail lists; the page, exports and API never show them.
    assert any(s.lists for s in context["sections"])
    assert not any(s.lists for s in kept.sections)
    assert not any(s.lists for s in snapshots.get(scope, period).sections)


@override_settings(STATISTICS_CACHE_SECONDS=0)
def test_a_report_without_keeping_computes_live_and_says_nothing_of_when(org):
    from qms.reports import quality_report

    context = quality_report.build_context(Scope(org.sector_a), periods.year(YEAR))
    assert context["computed_at"] is None
    assert any(s.lists for s in context["sections"])
