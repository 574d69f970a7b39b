import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_statistics_page_shows_the_scope_with_charts_and_tables(org, client_for):
    response = client_for(org.committee).get("/statistikk/?section=deviations")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sektor A" in html
    assert "Sektor B" not in html  # not offered to a committee for Sektor A
    assert '<svg role="img"' in html
    assert "<table" in html


def test_the_overview_has_every_sections_key_figures_and_a_link_to_it(org, client_for):
    from qms.reports import stats

    html = client_for(org.advisor).get("/statistikk/").content.decode()
    assert '<svg role="img"' not in html and "<table" not in html  # charts a click away
    for entry in stats.sections:
        assert f'id="heading-{entry.key}"' in html
        assert f"section={entry.key}" in html
    assert "Meldinger i perioden" in html and "Publiserte dokumenter" in html
    assert 'aria-current="page">Oversikt<' in html


def test_a_section_page_shows_only_that_section_and_keeps_it_in_the_filter(org, client_for):
    html = client_for(org.advisor).get("/statistikk/?section=documents").content.decode()
    assert 'id="heading-documents"' in html and 'id="heading-deviations"' not in html
    assert '<input type="hidden" name="section" value="documents">' in html
    assert 'section=documents" aria-current="page"' in html


def test_a_key_figure_shows_the_number_apart_from_its_hint_with_trend_and_signal():
    from django.template.loader import render_to_string

    from qms.reports.stats import Figure

    html = render_to_string(
        "reports/_figures.html",
        {"figures": [Figure("Meldinger i perioden", 89, "i fjor: 22", previous=22, signal=True)]},
    )
    assert '<dd class="qms-figure__value">89</dd>' in html
    hint = html[html.index('class="qms-figure__hint"') :]
    assert "i fjor: 22" in hint and "økning" in hint and "Signal: reell endring" in hint
    assert 'data-trend="up"' in hint


def test_a_bad_period_shows_an_error_and_falls_back(org, client_for):
    response = client_for(org.advisor).get("/statistikk/?period=month&month=13")
    assert response.status_code == 200
    assert "Perioden kunne ikke brukes" in response.content.decode()


def test_employee_sees_an_explanation_not_data(org, client_for):
    response = client_for(org.employee_a1).get("/statistikk/")
    assert "tilgjengelige for ledere" in response.content.decode()


def test_export_of_one_table_in_both_formats(org, client_for):
    client = client_for(org.committee)
    response = client.get(f"/statistikk/eksport/organisation_units.csv?unit={org.sector_a.pk}")
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["Nivå", "Antall enheter"], ["Sektor", "1"], ["Enhet", "2"], ["Avdeling", "1"]]
    response = client.get(f"/statistikk/eksport/alle.xlsx?unit={org.unit_a1.pk}")
    book = load_workbook(io.BytesIO(response.content))
    assert [list(r) for r in book.worksheets[0].iter_rows(values_only=True)] == [
        ["Nivå", "Antall enheter"],
        ["Enhet", 1],
        ["Avdeling", 1],
    ]


def test_export_of_unknown_table_or_format_is_not_found(org, client_for):
    client = client_for(org.advisor)
    assert client.get("/statistikk/eksport/finnes_ikke.csv").status_code == 404
    assert client.get("/statistikk/eksport/organisation_units.pdf").status_code == 404


def test_api_returns_the_same_figures(org, api_for):
    response = api_for(org.committee).get(
        f"/api/v1/statistics/organisation/?unit={org.sector_a.pk}&period=year&year=2026"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["unit"]["id"] == org.sector_a.pk
    assert data["period"] == {
        "kind": "year",
        "start": "2026-01-01",
        "end": "2027-01-01",
        "label": "2026",
    }
    assert data["tables"][0]["rows"] == [["Sektor", 1], ["Enhet", 2], ["Avdeling", 1]]


def test_api_rejects_a_bad_period_with_400(org, api_for):
    response = api_for(org.advisor).get("/api/v1/statistics/organisation/?period=month&month=0")
    assert response.status_code == 400
    assert "period" in response.json()
