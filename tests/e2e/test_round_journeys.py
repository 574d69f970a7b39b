"""A vernerunde on a phone, from the annual wheel to the signed report."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from annual_wheel import services
from annual_wheel.models import Occurrence, Round
from deviations.models import Deviation
from tests.annual_wheel.helpers import categories, make_checklist
from tests.annual_wheel.test_round_views import PNG
from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUNWAY = "Er rømningsveiene frie og merket?"


@pytest.fixture
def vernerunde(org):
    checklist = make_checklist(org.advisor, title="Vernerunde")
    activity = services.create_activity(
        org.advisor,
        title="Vernerunde Enhet A1",
        unit=org.unit_a1,
        category=categories()["HMS"],
        recurrence="once",
        start_date=timezone.localdate() + timedelta(days=5),
        checklist=checklist,
    )
    return activity


def saves(page, action):
    """Run ``action``, wait for the answer's POST to come back and for htmx to put the answered
    question in place, as a person waits for "Lagret" before the next step.

    The response arrives before htmx swaps it in: a file chosen in between goes to the form that
    is about to be replaced, and is lost with it.
    """
    with page.expect_response(lambda r: "/svar/" in r.url and r.request.method == "POST") as r:
        action()
    assert r.value.status == 200
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    return r.value


def test_leader_carries_out_a_vernerunde_on_a_phone_and_downloads_the_signed_report(
    org, new_page, vernerunde
):
    page = new_page(org.leader_a1, viewport=PHONE)
    page.goto(vernerunde.get_absolute_url())
    page.get_by_role("link", name="Start runde").click()
    page.wait_for_url("**/arshjul/runder/ny/?occurrence=*")
    page.get_by_label("Deltakere").select_option([str(org.employee_a1.pk)])
    page.get_by_role("button", name="Start runde").click()
    page.wait_for_url("**/arshjul/runder/*/")
    round_ = Round.objects.get()
    assert set(round_.participants.all()) == {org.leader_a1, org.employee_a1}

    # One question per row, every choice a target of at least 44 × 44 px, a camera for photos.
    runway = page.locator("li.qms-question", has_text=RUNWAY)
    for box in (c.bounding_box() for c in page.locator(".qms-choice").all()):
        assert box["height"] >= 44 and box["width"] >= 44, box
    # A phone gets a "Ta bilde" button (the camera) beside the file box; both send the photo.
    camera = runway.locator("input[type=file][capture]")
    assert camera.get_attribute("accept") == "image/*"
    expect(runway.locator(".ds-file-upload")).to_be_visible()

    saves(page, lambda: runway.get_by_text("Nei", exact=True).click())
    expect(runway.get_by_role("button", name="Meld avvik")).to_be_visible()
    saves(
        page,
        lambda: (
            runway.get_by_label("Kommentar").fill("Paller i nødutgangen"),
            runway.get_by_label("Kommentar").press("Tab"),
        ),
    )
    # A photo from the camera input is sent although the file box beside it stays empty.
    saves(
        page,
        lambda: runway.locator("input[type=file][capture]").set_input_files(
            files=[{"name": "paller.png", "mimeType": "image/png", "buffer": PNG}]
        ),
    )
    expect(runway.get_by_role("link", name="Se bildet")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/avvik/")):
        runway.get_by_role("button", name="Meld avvik").click()
    deviation = Deviation.objects.get()
    expect(runway).to_contain_text(f"Meldt som avvik {deviation.number}")
    assert deviation.source == Deviation.Source.ROUND
    assert (deviation.unit, deviation.title) == (org.unit_a1, RUNWAY)
    assert deviation.description == "Paller i nødutgangen"

    scale = page.locator("li.qms-question", has_text="Hvordan vurderes orden og renhold?")
    saves(page, lambda: scale.get_by_text("4", exact=True).click())
    number = page.locator("li.qms-question", has_text="Antall kjemikalier")
    saves(
        page,
        lambda: (
            number.get_by_label("Svar (tall)").fill("0"),
            number.get_by_label("Svar (tall)").press("Tab"),
        ),
    )
    text = page.locator("li.qms-question", has_text="Beskriv inneklimaet")
    saves(
        page,
        lambda: (
            text.get_by_label("Svar", exact=True).fill("Godt, men varmt om ettermiddagen"),
            text.get_by_label("Svar", exact=True).press("Tab"),
        ),
    )

    # The sign-off section follows the answers without a reload.
    expect(page.locator("#round-sign")).not_to_contain_text("ikke besvart")
    page.get_by_role("button", name="Signer runden").click()
    expect(page.locator(".qms-messages")).to_contain_text("Runden er signert.")
    round_.refresh_from_db()
    assert round_.is_signed and round_.signed_by == org.leader_a1
    occurrence = vernerunde.occurrences.get()
    assert occurrence.status == Occurrence.Status.DONE

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned rapport (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert download.value.suggested_filename == f"runde-{round_.pk}.pdf"


def test_answers_given_without_a_connection_are_sent_when_the_phone_is_back_online(
    org, new_page, vernerunde
):
    round_ = services.start_round(
        org.leader_a1,
        checklist=vernerunde.checklist,
        unit=org.unit_a1,
        date=timezone.localdate(),
        participants=[org.employee_a1],
    )
    page = new_page(org.employee_a1, viewport=PHONE)
    page.goto(round_.get_absolute_url())
    runway = page.locator("li.qms-question", has_text=RUNWAY)
    page.context.set_offline(True)
    runway.get_by_text("Ja", exact=True).click()
    expect(runway).to_contain_text("Ikke sendt ennå")
    assert page.evaluate("Object.keys(localStorage).length") == 1
    assert not round_.answers.exists()

    with page.expect_response(lambda r: "/svar/" in r.url):
        page.context.set_offline(False)
    expect(runway).to_contain_text("Lagret")
    assert round_.answers.get().value == "yes"
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_round_and_checklist_editor_pass_axe(org, new_page, vernerunde):
    from tests.e2e.conftest import axe_violations, describe

    round_ = services.start_round(
        org.leader_a1,
        checklist=vernerunde.checklist,
        unit=org.unit_a1,
        date=timezone.localdate(),
        participants=[org.employee_a1],
    )
    question = round_.version.questions.get(text=RUNWAY)
    services.answer_question(org.leader_a1, round_, question, value="no", comment="Sperret")
    draft = services.start_draft(org.advisor, vernerunde.checklist)
    problems = []
    for user, path in (
        (org.leader_a1, round_.get_absolute_url()),
        (org.leader_a1, "/arshjul/runder/ny/"),
        (org.advisor, draft.get_absolute_url()),
        (org.employee_a1, vernerunde.checklist.get_absolute_url()),
    ):
        page = new_page(user, viewport=PHONE)
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            problems.append(f"{path}: {describe(violations)}")
    assert problems == [], "\n".join(problems)
