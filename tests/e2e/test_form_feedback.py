"""What a person sees after sending a form, and the file control of the report form.

A failed submit comes back with an error summary, which gets the focus on every form (a screen
reader reads it, a phone scrolls to it); a link in it puts the cursor in the field it names.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (path, who, the submit button) — forms of every module, each sent empty.
FORMS = [
    ("/dokumenter/ny/", "employee_a1", "Lagre utkast"),
    ("/ros/ny/", "leader_a1", "Lagre"),
    ("/arshjul/aktivitet/ny/", "advisor", "Lagre"),
    ("/avvik/meld/", "employee_a1", "Send melding"),
]


@pytest.mark.parametrize(("path", "username", "button"), FORMS)
def test_error_summary_is_focused_after_a_failed_submit(org, new_page, path, username, button):
    page = new_page(getattr(org, username))
    page.goto(path)
    page.get_by_role("button", name=button, exact=True).click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    # The first link leads into the field it names.
    link = summary.locator("a").first
    target = link.get_attribute("href")
    link.click()
    expect(page.locator(target)).to_be_focused()


def test_report_form_offers_the_camera_on_a_phone_and_lists_the_chosen_files(
    org, browser, live_server
):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="nb-NO", base_url=live_server.url
    )
    try:
        page = context.new_page()
        login(page, "employee_a1")
        page.goto("/avvik/meld/")
        camera = page.get_by_label("Ta bilde")
        expect(camera).to_have_attribute("capture", "environment")
        expect(camera).to_have_attribute("accept", "image/*")
        expect(page.locator("label.qms-camera")).to_be_visible()
        files = page.get_by_label("Vedlegg (valgfritt)")
        files.set_input_files(
            [{"name": "skade.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0"}]
        )
        expect(page.locator("[data-file-list]")).to_have_text("skade.jpg")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_camera_button_is_left_out_on_a_desktop(org, new_page):
    page = new_page(org.employee_a1)
    page.goto("/avvik/meld/")
    expect(page.locator(".ds-file-upload")).to_be_visible()
    expect(page.locator("label.qms-camera")).to_be_hidden()
