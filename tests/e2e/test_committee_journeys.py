"""A committee meeting on a phone, in bokmål: an advisor refers a case, the chair holds the
meeting, writes the decision and makes it an action, approves and publishes the minutes, and
an employee of the sector reads them."""

import pytest
from playwright.sync_api import expect

from annual_wheel.models import Meeting
from deviations.models import CorrectiveAction
from tests.annual_wheel.committee_helpers import meeting_of, quality_committee
from tests.deviations.conftest import report
from tests.e2e.conftest import PHONE, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_advisor_refers_a_case_and_the_chair_publishes_the_minutes_on_a_phone(org, new_page):
    meeting = meeting_of(quality_committee(org), org.leader_a2)
    case = report(org, title="Feil medisin gitt på kveldsvakt")

    advisor = new_page(org.advisor, viewport=PHONE)
    advisor.goto(case.get_absolute_url())
    advisor.get_by_role("link", name="Meld til utvalg").click()
    advisor.wait_for_url("**/arshjul/utvalg/meld/deviation/*/")
    expect(advisor.get_by_label("Tittel på saklisten")).to_have_value(case.title)
    advisor.get_by_label("Tittel på saklisten").fill("Medisinutdeling på kveldsvakt")
    advisor.get_by_label("Sammendrag til utvalget").fill("Tre avvik på fire uker på kveldsvakt.")
    _fits_a_phone(advisor)
    advisor.get_by_role("button", name="Meld til utvalg").click()
    advisor.wait_for_url(f"**{case.get_absolute_url()}")
    expect(advisor.get_by_text("Saken er meldt til Kvalitetsutvalget Sektor A")).to_be_visible()

    chair = new_page(org.leader_a, viewport=PHONE)
    chair.goto(meeting.get_absolute_url())
    expect(chair.get_by_role("heading", name="1. Medisinutdeling på kveldsvakt")).to_be_visible()
    _fits_a_phone(chair)
    violations = axe_violations(chair)
    assert violations == [], describe(violations)
    chair.get_by_role("button", name="Møtet er avholdt").click()
    expect(chair.get_by_text("Møtet er avholdt.", exact=True)).to_be_visible()
    chair.get_by_role("link", name="Skriv vedtak").click()
    chair.get_by_label("Vedtak").fill("Dobbeltkontrollen organiseres med fast ansvarlig.")
    chair.get_by_role("button", name="Lagre vedtak").click()
    expect(chair.get_by_text("Vedtaket er lagret.")).to_be_visible()
    chair.get_by_role("link", name="Gjør vedtaket til tiltak").click()
    chair.get_by_label("Ansvarlig").select_option(str(org.leader_a1.pk))
    _fits_a_phone(chair)
    chair.get_by_role("button", name="Opprett tiltak").click()
    expect(chair.get_by_text("Tiltaket er opprettet.")).to_be_visible()
    action = CorrectiveAction.objects.get()
    assert (action.deviation_id, action.responsible) == (case.pk, org.leader_a1)

    chair.goto("/")
    chair.get_by_role("link", name="Godkjenn protokollen: Kvalitetsutvalget Sektor A").click()
    chair.get_by_role("button", name="Godkjenn protokollen").click()
    expect(chair.get_by_text("Protokollen er godkjent.")).to_be_visible()
    chair.get_by_role("button", name="Publiser protokollen").click()
    expect(chair.get_by_text("Protokollen er publisert.")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED

    reader = new_page(org.employee_a1, viewport=PHONE)  # Enhet A1: no seat, in the subtree
    reader.goto(f"/arshjul/moter/{meeting.pk}/protokoll/")
    main = reader.locator("main")
    expect(main).to_contain_text("Sak 1: Medisinutdeling på kveldsvakt")
    expect(main).to_contain_text("Dobbeltkontrollen organiseres med fast ansvarlig.")
    expect(main).not_to_contain_text(case.number)
    _fits_a_phone(reader)
    violations = axe_violations(reader)
    assert violations == [], describe(violations)
