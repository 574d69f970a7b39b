"""Statistics in the browser: a committee member downloads the PDF report; axe on the page."""

import pytest
from playwright.sync_api import expect

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
    assert page.get_by_label("Enhet (med underliggende enheter)").is_visible()
    page.get_by_role("link", name="Avvik og uønskede hendelser", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Avvik og uønskede hendelser")).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()


def test_the_overview_is_short_and_a_key_figure_reads_number_then_hint(org, new_page):
    page = new_page(org.advisor)
    page.goto("/statistikk/")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height  # one long scroll of every chart was 11,000-14,000 px
    figure = page.locator(".qms-figure").filter(has_text="Meldinger i perioden")
    value = figure.locator(".qms-figure__value")
    hint = figure.locator(".qms-figure__hint")
    expect(hint).to_contain_text("i fjor:")
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert value.evaluate(size) >= 1.5 * hint.evaluate(size)
    top = "el => el.getBoundingClientRect().top"
    assert hint.evaluate(top) > value.evaluate(top)  # beneath the number, not beside it


def test_a_table_cut_at_its_box_scrolls_with_a_visible_cue(org, new_page):
    page = new_page(org.advisor, viewport=PHONE)
    page.goto("/statistikk/?section=deviations")
    wraps = page.locator(".qms-stats-pair .qms-table-wrap")
    expect(wraps.first).to_be_visible()
    cut = [
        wraps.nth(i)
        for i in range(wraps.count())
        if wraps.nth(i).evaluate("el => el.scrollWidth > el.clientWidth + 1")
    ]
    assert cut, "expected a table wider than a phone"
    for wrap in cut:
        style = wrap.evaluate(
            "el => ({o: getComputedStyle(el).overflowX, b: getComputedStyle(el).backgroundImage})"
        )
        assert style["o"] in ("auto", "scroll")
        assert "radial-gradient" in style["b"]  # the shadow at the cut edge
        assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("aria-label")
    # The shadow is drawn: the right edge of a cut table is darker than its left edge.
    import io

    from PIL import Image

    wrap = cut[0]
    wrap.scroll_into_view_if_needed()
    image = Image.open(io.BytesIO(wrap.screenshot())).convert("L")
    w, h = image.size
    right = [image.getpixel((w - 2, y)) for y in range(h)]
    assert min(right) < 250


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
    page.goto("/statistikk/?section=deviations")
    figures = page.locator("figure.qms-chart svg")
    assert figures.count() >= 5
    for i in range(figures.count()):
        chart = figures.nth(i)
        chart.scroll_into_view_if_needed()
        image = Image.open(io.BytesIO(chart.screenshot())).convert("L")
        histogram = image.histogram()
        background = histogram.index(max(histogram))
        assert background > 200, f"chart {i} ({chart.get_attribute('aria-label')}) is dark"
