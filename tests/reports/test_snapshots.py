"""Statistics snapshots (qms/reports/snapshots.py): the page, the exports and the API compute
live; slow computations are kept for the quality report and refreshed by a sweep; a kept
snapshot says when it was computed."""

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
def test_the_page_and_the_api_compute_live_even_when_a_snapshot_is_kept(org, api_for, client_for):
    # The sweep keeps the large scopes for the quality report ...
    assert snapshots.refresh_large_scopes() == 3 * len(snapshots.sweep_periods())
    kept = snapshots.get(Scope(org.sector_a), periods.year(YEAR))
    assert kept.kept
    add_child(org.sector_a, "enhet-a3", "Enhet A3")
    # ... but the page, the exports and the API show the figures of now, whatever is kept.
    api = api_for(org.committee)
    rows, _computed = _unit_rows(api, org.sector_a.pk)
    assert rows == [["Sektor", 1], ["Enhet", 3], ["Avdeling", 1]]
    page = client_for(org.committee).get(f"/statistikk/?unit={org.sector_a.pk}&year={YEAR}")
    html = page.content.decode()
    assert 'data-testid="computed-at"' not in html
    assert "Tallene ble beregnet" not in html
    export = client_for(org.committee).get(
        f"/statistikk/eksport/organisation_units.csv?unit={org.sector_a.pk}&period=year&year={YEAR}"
    )
    assert export.status_code == 200
    assert "Enhet;3" in b"".join(export.streaming_content).decode("utf-8-sig")


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


def test_live_sections_without_charts_hold_the_same_figures_and_tables(org):
    """The overview, the exports, the API and the report on internal control compute without
    charts (or with one section's): the figures and tables are the same as with every chart."""
    scope, period = Scope(org.root), periods.year(YEAR)
    drawn = snapshots.live(scope, period).sections
    bare = snapshots.live(scope, period, charts=False).sections
    one = snapshots.live(scope, period, charts="organisation").sections

    def content(sections):
        return [
            (s.key, [(f.label, f.value) for f in s.figures], [t.as_dict() for t in s.tables()])
            for s in sections
        ]

    assert content(bare) == content(drawn) == content(one)
    assert not any(b.chart for s in bare for b in s.blocks)
    assert [s.key for s in one if any(b.chart for b in s.blocks)] == ["organisation"]
