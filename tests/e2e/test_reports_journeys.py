"""Statistics in the browser: a committee member downloads the PDF report; axe on the page."""

import pytest

from tests.e2e.conftest import PHONE, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def test_committee_member_downloads_the_pdf_report(org, new_page):
    page = new_page(org.committee)
    page.goto("/statistikk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Statistikk"
    page.get_by_label("Periode", exact=True).select_option("year")
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_role("button", name="Vis statistikk").click()
    page.get_by_role("button", name="Lag kvalitetsrapport (PDF)").click()
    page.wait_for_url("**/statistikk/rapporter/*/")
    link = page.get_by_role("link", name="Last ned PDF")
    link.wait_for(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "kvalitetsrapport-sektor-a-2026-01-01.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_statistics_page_works_on_a_phone(org, new_page):
    page = new_page(org.leader_a1, viewport=PHONE)
    page.goto("/statistikk/")
    assert page.get_by_role("table").first.is_visible()
    assert page.get_by_label("Enhet (med underliggende enheter)").is_visible()


@pytest.mark.parametrize("path", ["/statistikk/", "/statistikk/rapporter/"])
def test_statistics_pages_have_no_wcag_violations(org, new_page, path):
    page = new_page(org.advisor)
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_charts_on_the_statistics_page_are_drawn_on_a_light_background(org, new_page):
    """What a person sees: each chart's commonest pixel — its background — is light (the page's
    style sheet for the charts once lost its background rules and every chart was a black
    box)."""
    import io

    from PIL import Image

    page = new_page(org.advisor)
    page.goto("/statistikk/")
    figures = page.locator("figure.qms-chart svg")
    assert figures.count() >= 5
    for i in range(figures.count()):
        chart = figures.nth(i)
        chart.scroll_into_view_if_needed()
        image = Image.open(io.BytesIO(chart.screenshot())).convert("L")
        histogram = image.histogram()
        background = histogram.index(max(histogram))
        assert background > 200, f"chart {i} ({chart.get_attribute('aria-label')}) is dark"
