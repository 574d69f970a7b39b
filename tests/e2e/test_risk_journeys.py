"""The ROS journey: a leader creates an assessment, adds items and reads the heat map."""

from datetime import date

import pytest
from playwright.sync_api import expect

from risk import services
from risk.models import RiskAssessment
from tests.e2e.conftest import PHONE, axe_violations, describe
from tests.risk.conftest import item_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_creates_an_assessment_adds_items_and_sees_the_heat_map(org, new_page):
    page = new_page(org.leader_a1)
    page.goto("/ros/")
    page.get_by_role("link", name="Ny ROS-analyse").click()
    page.get_by_label("Tittel").fill("Brann i skole")
    page.get_by_label("Enhet").select_option(label="Enhet A1")
    page.get_by_label("Aktivitet eller prosess").fill("Evakuering ved brannalarm")
    page.get_by_label("Dato for vurdering").fill("2026-11-20")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brann i skole")

    page.get_by_role("link", name="Legg til risikoforhold").click()
    page.get_by_label("Uønsket hendelse – hva kan gå galt?").fill("Rømningsvei blokkert")
    page.locator("#id_probability").select_option("4")
    page.get_by_label("Konsekvens for liv og helse").select_option("4")
    page.get_by_role("button", name="Lagre og legg til et nytt").click()
    page.get_by_label("Uønsket hendelse – hva kan gå galt?").fill("Alarm høres ikke")
    page.locator("#id_probability").select_option("2")
    page.get_by_label("Konsekvens for økonomi").select_option("2")
    page.get_by_role("button", name="Lagre", exact=True).click()

    page.get_by_role("link", name="Brann i skole").first.click()
    # count() and is_visible() do not wait: expect() retries until the assessment page has loaded.
    expect(page.get_by_role("cell").filter(has_text="Mangler tiltak")).to_have_count(1)
    table = page.get_by_role("table", name="Risiko før tiltak")
    expect(table).to_be_visible()
    # The cell 4 × 4 counts one item and links to it.
    table.get_by_role("link", name="1 risikoforhold, score 16").click()
    # is_visible() does not wait: let the filtered page finish loading before reading it.
    page.wait_for_url("**celle=i-4-4**")
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Rømningsvei blokkert")).to_be_visible()
    assert page.get_by_role("link", name="Alarm høres ikke").count() == 0
    # Activation is refused while the high risk has no measure.
    page.get_by_role("button", name="Sett som gjeldende").click()
    expect(page.get_by_text("uten tiltak").first).to_be_visible()
    assert RiskAssessment.objects.get().status == "draft"


def test_risk_pages_have_no_wcag_violations(org, new_page):
    assessment = services.create_assessment(
        actor=org.leader_a1,
        unit=org.unit_a1,
        title="Legemiddelhåndtering",
        activity="Utdeling",
        assessed_on=date(2026, 11, 1),
    )
    item = services.add_item(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(probability=5, residual_probability=3, residual_consequence=5),
    )
    services.add_item(actor=org.leader_a1, assessment=assessment, **item_values(probability=1))
    page = new_page(org.leader_a1)
    for path in (
        "/ros/",
        f"/ros/{assessment.pk}/",
        f"/ros/{assessment.pk}/risiko/ny/",
        item.get_absolute_url(),
        "/ros/matrise/",
        "/ros/ny/",
    ):
        page.goto(path)
        violations = axe_violations(page)
        assert violations == [], f"{path}: {describe(violations)}"


def test_assessment_page_on_a_phone(org, new_page):
    assessment = services.create_assessment(
        actor=org.leader_a1,
        unit=org.unit_a1,
        title="Vinterdrift",
        activity="Strøing",
        assessed_on=date(2026, 11, 1),
    )
    services.add_item(actor=org.leader_a1, assessment=assessment, **item_values())
    page = new_page(org.employee_a1, viewport=PHONE)
    page.goto(f"/ros/{assessment.pk}/")
    assert page.get_by_role("heading", name="Varmekart").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
