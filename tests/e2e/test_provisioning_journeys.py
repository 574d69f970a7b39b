"""The HR import in the browser: an advisor on a phone uploads the export, reads the changes,
applies them. The page stays within 390 px and has no WCAG violations at each step."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, axe_violations, describe
from tests.qms.test_hr_import import PEOPLE, UNITS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{width} px wide"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_advisor_imports_from_the_hr_system_on_a_phone(org, new_page, tmp_path):
    from qms.models import OrgUnit
    from tests.qms.test_hr_import import CODES, NUMBERS

    for attr, code in CODES.items():
        OrgUnit.objects.filter(pk=getattr(org, attr).pk).update(external_id=code)
    for attr, number in NUMBERS.items():
        type(org.admin).objects.filter(pk=getattr(org, attr).pk).update(employee_number=number)
    (tmp_path / "enheter.csv").write_text(UNITS)
    (tmp_path / "ansatte.csv").write_text(PEOPLE)
    page = new_page(org.advisor, viewport=PHONE)

    page.goto("/enheter/")
    page.get_by_role("link", name="Import fra HR-systemet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import fra HR-systemet")
    _fits(page)
    page.get_by_label("Enheter").set_input_files(tmp_path / "enheter.csv")
    page.get_by_label("Ansatte").set_input_files(tmp_path / "ansatte.csv")
    page.get_by_role("button", name="Vis endringer").click()

    expect(page.get_by_role("heading", name="Dette vil endres")).to_be_visible()
    expect(page.get_by_text("C1 Enhet C1 legevakt")).to_be_visible()
    expect(page.get_by_text("Personer som slutter (1)")).to_be_visible()
    _fits(page)
    page.get_by_role("button", name="Gjør endringene").click()

    expect(page.get_by_text("Endringene er gjort.")).to_be_visible()
    _fits(page)
    assert OrgUnit.objects.filter(external_id="C1", is_active=True).exists()
