"""Browser journeys of the annual wheel, and axe-core on its pages."""

from datetime import date

import pytest
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import Activity
from tests.annual_wheel.helpers import categories
from tests.e2e.conftest import PHONE, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_plans_activity_records_it_and_employee_sees_it_in_the_wheel(org, new_page):
    today = timezone.localdate()
    hms = categories()["HMS"]
    page = new_page(org.leader_a1)
    page.goto("/arshjul/")
    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_label("Tittel").fill("Vernerunde på kjøkkenet")
    page.get_by_label("Beskrivelse").fill("Sjekkliste for HMS på kjøkkenet")
    page.get_by_label("Enhet", exact=False).first.select_option(str(org.unit_a1.pk))
    page.get_by_label("Kategori").select_option(str(hms.pk))
    page.get_by_label("Ansvarlig").select_option(str(org.employee_a1.pk))
    page.get_by_label("Gjentakelse").select_option("once")
    page.get_by_label("Dato", exact=False).first.fill(today.isoformat())
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/arshjul/aktivitet/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vernerunde på kjøkkenet"
    activity = Activity.objects.get(title="Vernerunde på kjøkkenet")
    assert activity.unit == org.unit_a1

    page.get_by_label("Status").select_option("done")
    page.get_by_label("Merknad").fill("Gjennomført sammen med verneombudet")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert "er registrert som gjennomført" in page.content()
    occ = activity.occurrences.get()
    assert occ.status == "done" and occ.completed_by == org.leader_a1

    employee = new_page(org.employee_a1, viewport=PHONE)
    employee.goto(f"/arshjul/?unit={org.unit_a1.pk}")
    item = employee.locator(".qms-wheel-item", has_text="Vernerunde på kjøkkenet")
    assert item.is_visible()
    assert "Gjennomført" in item.inner_text()
    assert employee.locator("svg[role=img] circle.qms-wheel__dot--done").count() == 1


@pytest.fixture
def wheel(org):
    year = timezone.localdate().year
    cats = categories()
    services.create_activity(
        org.advisor,
        title="Medarbeiderundersøkelse",
        unit=None,
        category=cats["Medarbeidere"],
        recurrence="yearly",
        start_date=date(year, 10, 1),
    )
    services.create_activity(
        org.advisor,
        title="Tertialrapport",
        unit=org.sector_a,
        category=cats["Rapportering"],
        recurrence="tertial",
        start_date=date(year, 1, 31),
    )
    activity = services.create_activity(
        org.advisor,
        title="Vernerunde",
        unit=org.unit_a1,
        category=cats["HMS"],
        recurrence="monthly",
        start_date=date(year, 1, 15),
        responsible=org.employee_a1,
    )
    return activity


@pytest.mark.parametrize(
    "path", ["/arshjul/", "/arshjul/liste/", "/arshjul/kalender/", "/arshjul/aktivitet/ny/"]
)
def test_wheel_pages_have_no_wcag_violations(org, wheel, new_page, path):
    page = new_page(org.leader_a1)
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_activity_page_has_no_wcag_violations(org, wheel, new_page):
    page = new_page(org.employee_a1, viewport=PHONE)
    page.goto(f"/arshjul/aktivitet/{wheel.pk}/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
