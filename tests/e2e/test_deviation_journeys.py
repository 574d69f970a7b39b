"""Deviations in the browser: report on a phone, handle to closed, keyboard only, axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from deviations.models import Deviation, ReportLink
from tests.e2e.conftest import PHONE, axe_violations, describe

CASE_URL = re.compile(r"/avvik/\d+/$")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_details(page, summary: str) -> None:
    page.locator("summary", has_text=summary).first.click()


def test_employee_reports_on_a_phone_and_the_leader_handles_it_to_closed(org, new_page):
    # The employee reports from a phone, one click from the start page.
    phone = new_page(org.employee_a1, viewport=PHONE)
    phone.get_by_role("link", name="Meld avvik").first.click()
    phone.wait_for_url("**/avvik/meld/")
    phone.get_by_label("Uønsket hendelse").check()
    phone.get_by_label("Kort overskrift").fill("Beboer falt i gangen")
    phone.get_by_label("Hva skjedde?").fill("Beboer snublet i en ledning ved rom 12.")
    phone.get_by_label("3 – Moderat").check()
    phone.get_by_label("Hva ble gjort med en gang? (valgfritt)").fill("Ledningen fjernet.")
    phone.get_by_role("button", name="Send melding").click()
    phone.wait_for_url(CASE_URL)
    deviation = Deviation.objects.get()
    assert deviation.number in phone.locator(".qms-messages").inner_text()

    # The nearest leader opens it from the inbox, adds an action, completes, evaluates, closes.
    desk = new_page(org.leader_a1)
    desk.goto("/avvik/")
    desk.get_by_role("link", name=deviation.number).click()
    desk.get_by_role("button", name="Ta saken til behandling").click()
    open_details(desk, "Legg til tiltak")
    desk.locator("#id_action-description").fill("Feste ledninger langs veggen")
    desk.get_by_label("Ansvarlig").select_option(str(org.leader_a1.pk))
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    desk.locator("#id_action-deadline").fill(deadline)
    desk.get_by_role("button", name="Legg til tiltak").click()
    desk.get_by_role("link", name="Feste ledninger langs veggen").click()
    desk.get_by_label("Hva ble gjort?").fill("Kabelkanal montert.")
    desk.get_by_role("button", name="Marker som utført").click()
    desk.get_by_label("Virket", exact=True).check()
    desk.get_by_role("button", name="Lagre vurdering").click()
    expect(desk.locator("#action-status")).to_contain_text("Utført, effekt vurdert")
    desk.get_by_role("link", name=f"Til saken {deviation.number}").click()
    desk.get_by_role("button", name="Lukk saken").click()
    expect(desk.locator("#deviation-state")).to_have_text("Lukket")

    # The reporter sees it closed.
    phone.goto("/")
    phone.get_by_role("link", name=f"{deviation.number}: Beboer falt i gangen").click()
    expect(phone.locator("#deviation-state")).to_have_text("Lukket")


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has focus (keyboard reachability)."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the keyboard")


def test_the_report_form_can_be_completed_with_the_keyboard_only(org, new_page):
    page = new_page(org.employee_a1)
    page.goto("/avvik/meld/")
    tab_to(page, "input[name=kind]")
    page.keyboard.press("ArrowDown")  # Uønsket hendelse
    tab_to(page, "#id_title")
    page.keyboard.type("Nøkkel borte")
    tab_to(page, "#id_description")
    page.keyboard.type("Nøkkelen til medisinskapet er borte.")
    tab_to(page, "input[name=severity]")
    page.keyboard.press("ArrowDown")
    tab_to(page, "button[type=submit].ds-button[data-variant=primary]")
    page.keyboard.press("Enter")
    page.wait_for_url(CASE_URL)
    deviation = Deviation.objects.get()
    assert deviation.kind == "adverse_event"
    assert deviation.severity == 3
    assert deviation.title == "Nøkkel borte"


def test_an_error_keeps_the_text_and_moves_focus_to_the_summary(org, new_page):
    page = new_page(org.employee_a1, viewport=PHONE)
    page.goto("/avvik/meld/")
    page.get_by_label("Hva skjedde?").fill("Tekst som ikke skal gå tapt")
    page.get_by_role("button", name="Send melding").click()
    page.wait_for_selector(".ds-error-summary")
    assert page.evaluate("document.activeElement.classList.contains('ds-error-summary')")
    assert page.get_by_label("Hva skjedde?").input_value() == "Tekst som ikke skal gå tapt"
    assert not Deviation.objects.exists()


@pytest.fixture
def handled_case(org):
    from tests.deviations.conftest import add_action, report

    deviation = report(org, contains_personal_data=True)
    add_action(org, deviation)
    return deviation


@pytest.mark.parametrize("which", ["report", "inbox", "case", "action", "mine", "link"])
def test_deviation_pages_have_no_wcag_violations(org, new_page, handled_case, which):
    action = handled_case.actions.get()
    paths = {
        "report": "/avvik/meld/",
        "inbox": "/avvik/?state=actions_in_progress",
        "case": handled_case.get_absolute_url(),
        "action": action.get_absolute_url(),
        "mine": "/avvik/mine/",
        "link": f"/avvik/enhet/{org.unit_a1.pk}/meldelenke/",
    }
    page = new_page(org.leader_a1)
    if which == "link":
        ReportLink.objects.create(unit=org.unit_a1)
    page.goto(paths[which])
    page.locator("details").evaluate_all("els => els.forEach(e => e.open = true)")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_report_form_with_errors_has_no_wcag_violations(org, new_page):
    page = new_page(org.employee_a1)
    page.goto("/avvik/meld/")
    page.get_by_label("Kort overskrift").fill("")
    page.get_by_role("button", name="Send melding").click()
    page.wait_for_selector(".ds-error-summary")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_public_form_has_no_wcag_violations(org, new_page):
    link = ReportLink.objects.create(unit=org.unit_a1)
    page = new_page(viewport=PHONE)
    page.goto(link.get_absolute_url())
    violations = axe_violations(page)
    assert violations == [], describe(violations)
