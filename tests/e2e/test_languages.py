"""The site in bokmål, nynorsk and English: axe finds nothing in any of them, and the page
language follows the user's own choice, else the municipality's målform."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qms.models import SiteSettings
from tests.e2e.conftest import PHONE, axe_violations, describe, login
from tests.e2e.test_layout import build_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_axe_finds_no_violations_in_every_language(org, new_page, lang):
    """A representative page of each module (every main page in bokmål: the journeys and
    tests/e2e/test_layout.py)."""
    urls = build_content(org)
    pages = [
        "/",
        "/konto/innstillinger/",
        "/dokumenter/",
        urls["document"],
        "/avvik/meld/",
        urls["case"],
        urls["assessment"],
        "/arshjul/",
        "/statistikk/",
    ]
    page = new_page(org.leader_a1, lang=lang)
    problems = []
    for path in pages:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        violations = axe_violations(page)
        if violations:
            problems.append(f"{path}:\n{describe(violations)}")
    assert problems == [], "\n".join(problems)


def test_user_chooses_nynorsk_in_the_settings_reached_from_the_header(org, new_page):
    page = new_page(org.employee_a1, viewport=PHONE)
    page.get_by_role("button", name="Meny").click()
    page.get_by_role("link", name="Innstillinger").click()
    page.wait_for_url("**/konto/innstillinger/")
    page.get_by_label("Norsk nynorsk").check()
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Innstillingar")
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    # The choice is the user's, not the browser's: it follows them to another browser.
    elsewhere = new_page(org.employee_a1)
    expect(elsewhere.locator("html")).to_have_attribute("lang", "nn")
    expect(elsewhere.get_by_role("heading", name="Mine einingar")).to_be_visible()


def test_municipality_sets_nynorsk_in_the_admin_and_pages_follow(org, new_page, settings):
    # The admin's authenticator app is not this test's subject (tests/qms/test_two_factor.py).
    settings.MFA_REQUIRED_FOR_STAFF = False
    admin = new_page(org.admin)
    admin.goto("/admin/qms/sitesettings/")
    admin.get_by_label("Målform").select_option("nn")
    admin.get_by_role("button", name="Lagre", exact=True).click()
    expect(admin.locator(".messagelist")).to_be_visible()
    assert SiteSettings.objects.get().default_language == "nn"
    employee = new_page()  # signed out: the login page is in nynorsk already
    employee.goto("/konto/login/")
    expect(employee.locator("html")).to_have_attribute("lang", "nn")
    login(employee, org.employee_a1.username)
    expect(employee.get_by_role("heading", name="Mine einingar")).to_be_visible()
    # A user who chose English keeps English.
    english = new_page(org.employee_b1, lang="en")
    expect(english.get_by_role("heading", name="My units")).to_be_visible()
