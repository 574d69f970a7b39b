import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employee_logs_in_on_a_phone_and_sees_their_units(org, new_page):
    page = new_page(viewport=PHONE)
    login(page, "employee_a1x")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hei")
    assert page.get_by_role("link", name="Avdeling A1x").first.is_visible()
    page.get_by_role("link", name="Avdeling A1x").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avdeling A1x")
    # The nearest leader of a department without a leader is the unit's leader.
    assert "Leader A1" in page.content()


def test_skip_link_moves_focus_to_main(org, new_page):
    page = new_page(org.employee_a1)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Hopp til hovedinnhold" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/konto/login/"])
def test_anonymous_pages_have_no_wcag_violations(db, new_page, path):
    page = new_page()
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", ["/", "/enheter/", "/varsler/"])
def test_foundation_pages_have_no_wcag_violations(org, new_page, path):
    page = new_page(org.leader_a1)
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_unread_notifications_are_counted_in_the_header_and_marked_in_the_list(org, new_page):
    from deviations import services
    from tests.deviations.conftest import report

    case = report(org)  # tells leader_a1
    services.add_comment(actor=org.employee_a1, deviation=case, text="Mer å si.")
    services.start_treatment(actor=org.leader_a1, deviation=case)
    services.add_comment(actor=org.employee_a1, deviation=case, text="Og enda mer.")
    page = new_page(org.leader_a1, viewport=PHONE)
    page.get_by_role("button", name="Meny").click()
    link = page.get_by_role("link", name="Varsler (2 uleste)")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Varsler")
    expect(page.locator("li.qms-unread")).to_have_count(2)
    expect(page.locator("li.qms-unread .ds-tag").first).to_have_text("Ny")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
