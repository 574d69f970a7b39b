"""A management review on a phone in bokmål: from the annual wheel to the signed review whose
decision is an action in the responsible's "Mine oppgaver"."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from annual_wheel import services
from annual_wheel.models import Activity, Occurrence, Review
from deviations.models import CorrectiveAction
from qms.reports.agenda import agenda
from tests.annual_wheel.helpers import categories
from tests.e2e.conftest import PHONE, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def review_activity(org):
    return services.create_activity(
        org.advisor,
        title="Ledelsens gjennomgåelse Enhet A1",
        kind=Activity.Kind.REVIEW,
        unit=org.unit_a1,
        category=categories()["Internkontroll"],
        recurrence="once",
        start_date=timezone.localdate() + timedelta(days=3),
    )


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_leader_carries_out_and_signs_a_review_whose_decision_becomes_an_action(
    org, new_page, review_activity
):
    page = new_page(org.leader_a1, viewport=PHONE)
    page.goto(review_activity.get_absolute_url())
    page.get_by_role("link", name="Start gjennomgåelse").click()
    page.wait_for_url("**/arshjul/gjennomganger/ny/?occurrence=*")
    expect(page.get_by_label("Din rolle")).to_have_value("Leder")
    page.get_by_role("button", name="Start gjennomgåelse").click()
    page.wait_for_url("**/arshjul/gjennomganger/*/")
    review = Review.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ledelsens gjennomgåelse")
    expect(page.get_by_text("Gjennomgåelsen er startet.")).to_be_visible()
    fits(page)

    # The verneombud takes part.
    participants = page.locator("#participants")
    participants.get_by_text("Legg til deltaker", exact=True).first.click()
    participants.get_by_label("Person").select_option(str(org.employee_a1.pk))
    participants.get_by_label("Rolle", exact=True).fill("Verneombud")
    participants.get_by_role("button", name="Legg til deltaker").click()
    expect(page.locator("#participants")).to_contain_text("Verneombud")

    # Every heading: the leader's assessment.
    for entry in agenda:
        section = page.locator(f"#agenda-{entry.key}")
        section.get_by_label("Lederens vurdering", exact=True).fill(
            f"Vurdert: {entry.title}. Godt nok."
        )
        section.get_by_role("button", name="Lagre vurdering").click()
        expect(page.get_by_text("Vurderingen er lagret.")).to_be_visible()
    page.locator("#summary").get_by_label("Samlet vurdering", exact=True).fill(
        "Godt nok i det store."
    )
    page.locator("#summary").get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Den samlede vurderingen er lagret.")).to_be_visible()

    # A decision that becomes an action for the verneombud.
    page.get_by_text("Nytt vedtak", exact=True).click()
    decisions = page.locator("#decisions")
    decisions.get_by_label("Vedtak").fill("Vernerunde på lageret før sommeren")
    decisions.get_by_label("Ansvarlig").select_option(str(org.employee_a1.pk))
    deadline = timezone.localdate() + timedelta(days=45)
    decisions.get_by_label("Frist").fill(deadline.isoformat())
    decisions.get_by_role("button", name="Legg til vedtak").click()
    expect(page.get_by_text("Vedtaket er lagt til")).to_be_visible()
    expect(page.locator("#decisions")).to_contain_text("Vernerunde på lageret før sommeren")
    fits(page)

    page.get_by_role("button", name="Signer gjennomgåelsen").click()
    expect(page.get_by_text("Gjennomgåelsen er signert.")).to_be_visible()
    expect(page.get_by_role("button", name="Lagre vurdering")).to_have_count(0)
    review.refresh_from_db()
    assert review.is_signed and review.snapshot["sections"]
    occurrence = review_activity.occurrences.get()
    assert occurrence.status == Occurrence.Status.DONE

    action = CorrectiveAction.objects.get()
    assert (action.responsible, action.deadline) == (org.employee_a1, deadline)

    # The verneombud finds the action on Min side.
    other = new_page(org.employee_a1, viewport=PHONE)
    other.goto("/")
    expect(other.get_by_text("Vernerunde på lageret før sommeren")).to_be_visible()
    fits(other)


def test_review_pages_have_no_wcag_violations(org, new_page):
    from annual_wheel.models import Review

    review = services.start_review(
        org.leader_a1,
        unit=org.unit_a1,
        year=timezone.localdate().year - 1,
        date=timezone.localdate(),
        role="Leder",
    )
    page = new_page(org.leader_a1, viewport=PHONE)
    for path in (
        "/arshjul/gjennomganger/",
        "/arshjul/gjennomganger/ny/",
        review.get_absolute_url(),
    ):
        page.goto(path)
        violations = axe_violations(page)
        assert violations == [], f"{path}: {describe(violations)}"
    for entry in agenda:
        services.save_assessment(org.leader_a1, review, section=entry.key, text="Godt nok.")
    services.update_review(org.leader_a1, review, summary="Godt nok.")
    services.sign_review(org.leader_a1, review)
    assert Review.objects.get().is_signed
    page.goto(review.get_absolute_url())
    violations = axe_violations(page)
    assert violations == [], describe(violations)
