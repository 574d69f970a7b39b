"""The report on internal control in the browser, on a phone in bokmål: the chief executive
assembles last year's report, writes the overall assessment, approves it and downloads the
PDF; the control committee reads the approved report."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def test_chief_executive_assembles_writes_approves_and_downloads_the_report(org, new_page):
    page = new_page(org.chief, viewport=PHONE)
    page.goto("/statistikk/")
    page.get_by_role("link", name="Rapport om internkontroll til kommunestyret").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport om internkontroll")
    page.get_by_label("År", exact=True).fill("2025")
    page.get_by_label("Periode", exact=True).select_option(label="Hele året")
    page.get_by_role("button", name="Sett sammen rapport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport om internkontroll 2025")
    chapters = page.get_by_role("navigation", name="Innhold").get_by_role("listitem")
    expect(chapters).to_have_text(["Samlet for Kommune", "Sektor A", "Sektor B"])
    page.get_by_role("button", name="Godkjenn rapporten").click()
    expect(page.get_by_text("Skriv vurderingen i det samlede kapitlet").first).to_be_visible()

    page.get_by_role("link", name="Skriv vurderingen for Samlet for Kommune").click()
    page.get_by_label("Dette fungerer godt").fill("Avvik meldes og følges opp i alle sektorer.")
    page.get_by_label("Dette fungerer ikke godt nok").fill("Tilsynsfunn lukkes for sent.")
    page.get_by_label("Dette vil vi gjøre").fill("Ledergruppen følger opp funn hvert tertial.")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Vurderingen er lagret.")).to_be_visible()
    expect(page.get_by_text("Tilsynsfunn lukkes for sent.")).to_be_visible()

    page.get_by_role("button", name="Godkjenn rapporten").click()
    expect(page.get_by_text("Rapporten er godkjent.")).to_be_visible()
    expect(page.get_by_text("Godkjent av Chief")).to_be_visible()
    expect(page.get_by_role("button", name="Godkjenn rapporten")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert axe_violations(page) == [], describe(axe_violations(page))

    with page.expect_download() as info:
        page.get_by_role("link", name="Last ned PDF").click()
    download = info.value
    assert download.suggested_filename == "internkontroll-kommune-2025.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_the_control_committee_reads_the_approved_report(org, new_page):
    from qms.reports import periods
    from qms.reports.control import services

    report = services.create_report(org.chief, org.root, periods.year(2025))
    services.save_chapter(
        org.chief, report.chapters.get(position=1), good="Godt", weak="Svakt", planned="Plan"
    )
    services.approve_report(org.chief, report)
    page = new_page(org.committee, viewport=PHONE)
    page.goto("/")
    page.get_by_role("link", name="Rapport om internkontroll 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport om internkontroll 2025")
    expect(page.get_by_role("button", name="Godkjenn rapporten")).to_have_count(0)
    expect(page.get_by_role("link", name="Last ned Word (DOCX)")).to_be_visible()
