"""The management review's pages in bokmål: start from the wheel, assess, decide, sign, the
read-only signed page rendered from its snapshot, the reviews below, and the tagged PDF."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import Activity, Review
from qms.reports import agenda
from tests.annual_wheel.test_reviews import YEAR, assess_all, report, start
from tests.reports.test_pdf_output import pdf_text


@pytest.fixture(autouse=True)
def _headcounts(org):
    from qms.models import OrgUnit

    OrgUnit.objects.update(headcount=30)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_start_from_an_occurrence_of_a_review_activity(org, client_for, make_activity):
    activity = make_activity(
        org.unit_a1,
        title="Ledelsens gjennomgåelse",
        kind=Activity.Kind.REVIEW,
        start_date=date(YEAR, 2, 1),
        by=org.leader_a1,
    )
    occurrence = activity.occurrences.get()
    client = client_for(org.leader_a1)
    page = client.get(activity.get_absolute_url())
    assert "Start gjennomgåelse" in text(page)
    response = client.post(
        f"/arshjul/gjennomganger/ny/?occurrence={occurrence.pk}",
        {"unit": org.unit_a1.pk, "year": YEAR - 1, "date": f"{YEAR}-02-01", "role": "Leder"},
    )
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    assert review.occurrence == occurrence and review.year == YEAR - 1


def test_a_second_review_for_the_same_year_is_refused_with_the_input_kept(org, client_for):
    start(org)
    response = client_for(org.leader_a1).post(
        "/arshjul/gjennomganger/ny/",
        {"unit": org.unit_a1.pk, "year": YEAR, "date": f"{YEAR}-03-01", "role": "Enhetsleder"},
    )
    assert response.status_code == 400
    assert "har allerede en ledelsens gjennomgåelse" in text(response)
    assert 'value="Enhetsleder"' in response.content.decode()


def test_review_page_shows_the_agenda_with_the_figures_and_forms(org, client_for):
    report(org)
    review = start(org)
    page = text(client_for(org.leader_a1).get(review.get_absolute_url()))
    for entry in agenda.agenda:
        assert str(entry.title) in page
    assert "Meldinger i perioden" in page
    assert "Lagre vurdering" in page and "Signer gjennomgåelsen" in page


def test_assessment_and_decision_through_the_page(org, client_for):
    review = start(org)
    client = client_for(org.leader_a1)
    response = client.post(
        f"/arshjul/gjennomganger/{review.pk}/vurdering/deviations/",
        {"a-deviations-text": "For mange fall. Må følges opp."},
    )
    assert response.status_code == 302
    assert review.assessments.get(section="deviations").text == "For mange fall. Må følges opp."
    deadline = timezone.localdate() + timedelta(days=30)
    response = client.post(
        f"/arshjul/gjennomganger/{review.pk}/vedtak/",
        {
            "description": "Fallforebygging på personalmøtet",
            "section": "deviations",
            "responsible": org.employee_a1.pk,
            "deadline": deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    page = text(client.get(review.get_absolute_url()))
    assert "Fallforebygging på personalmøtet" in page and "Ansvarlig: Employee A1" in page


def test_bad_decision_keeps_what_was_typed(org, client_for):
    review = start(org)
    response = client_for(org.leader_a1).post(
        f"/arshjul/gjennomganger/{review.pk}/vedtak/",
        {
            "description": "Nytt vedtak som ikke må forsvinne",
            "responsible": org.employee_a1.pk,
            "deadline": (timezone.localdate() - timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Fristen kan ikke være tilbake i tid." in text(response)
    assert "Nytt vedtak som ikke må forsvinne" in response.content.decode()


def test_signed_review_is_read_only_and_shows_its_snapshot(org, client_for):
    report(org)
    review = start(org)
    assess_all(org.leader_a1, review)
    client = client_for(org.leader_a1)
    assert client.post(f"/arshjul/gjennomganger/{review.pk}/signer/").status_code == 302
    review.refresh_from_db()
    assert review.is_signed
    report(org, title="Etter signering")
    page = client.get(review.get_absolute_url())
    body = text(page)
    assert "kan ikke endres" in body and "Lagre vurdering" not in body
    snap = review.snapshot["sections"]
    deviations = next(s for s in snap if s["key"] == "deviations")["data"]["figures"][0]
    assert deviations["value"] == 1
    response = client.post(
        f"/arshjul/gjennomganger/{review.pk}/vurdering/deviations/",
        {"a-deviations-text": "Endret etterpå"},
        follow=True,
    )
    assert "Gjennomgåelsen er signert og kan ikke endres." in text(response)
    assert review.assessments.get(section="deviations").text != "Endret etterpå"


def test_sector_review_lists_the_reviews_of_the_units_below(org, client_for):
    unit_review = start(org)
    assess_all(org.leader_a1, unit_review)
    services.sign_review(org.leader_a1, unit_review)
    sector_review = start(org, unit=org.sector_a, by=org.leader_a)
    page = text(client_for(org.leader_a).get(sector_review.get_absolute_url()))
    assert "Gjennomgåelser i enhetene under" in page
    assert "Enhet A1" in page and "Signert" in page


def test_outsider_gets_404_and_employee_of_unit_cannot_change(org, client_for):
    review = start(org)
    assert client_for(org.leader_b).get(review.get_absolute_url()).status_code == 404
    assert client_for(org.employee_a1).get(review.get_absolute_url()).status_code == 404
    services.add_participant(org.leader_a1, review, person=org.employee_a1, role="Verneombud")
    client = client_for(org.employee_a1)
    assert client.get(review.get_absolute_url()).status_code == 200
    response = client.post(
        f"/arshjul/gjennomganger/{review.pk}/vurdering/deviations/",
        {"a-deviations-text": "x"},
    )
    assert response.status_code == 403


def test_the_review_pdf_is_tagged_and_in_its_language(org, client_for):
    report(org)
    review = start(org)
    assess_all(org.leader_a1, review)
    services.sign_review(org.leader_a1, review)
    response = client_for(org.leader_a1).get(f"/arshjul/gjennomganger/{review.pk}/rapport.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    objects = pdf_text(response.content)
    assert b"/StructTreeRoot" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true\s*>>", objects)
    assert b"/Lang (nb)" in objects
    assert b"pdfuaid:part" in objects


def test_review_page_offers_referral_to_a_committee(org, client_for):
    from annual_wheel import services as wheel_services
    from tests.annual_wheel.committee_helpers import meeting_of, quality_committee

    meeting_of(quality_committee(org), org.leader_a2)
    review = wheel_services.start_review(
        org.leader_a1,
        unit=org.unit_a1,
        year=timezone.localdate().year - 1,
        date=timezone.localdate(),
        role="Leder",
    )
    page = client_for(org.leader_a1).get(review.get_absolute_url()).content.decode()
    assert "Meld til utvalg" in page
