"""The inspection pages in bokmål: the register, the inspection page, recording an inspection
and its findings, the reply and the authority's confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from deviations import services
from deviations.models import Deviation, Inspection, InspectionFinding
from tests.deviations.inspections import authority, finding, inspection

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_register_highlights_findings_past_the_deadline(org, client_for):
    late = inspection(org, theme="Brannvern i kjelleren")
    found = finding(org, late, days=1)
    InspectionFinding.objects.filter(pk=found.pk).update(
        deadline=timezone.localdate() - timedelta(days=2)
    )
    inspection(org, theme="Matsikkerhet", authority=authority("Mattilsynet"))
    html = page(client_for(org.employee_a1), "/avvik/tilsyn/")
    assert "Brannvern i kjelleren" in html and "Matsikkerhet" in html
    assert "1 funn over fristen" in html
    assert 'aria-current="page">Tilsyn<' in html
    assert "Registrer tilsyn" not in html  # an employee records none


def test_the_register_filters_by_authority_status_and_year(org, client_for):
    mat = inspection(org, theme="Matsikkerhet", authority=authority("Mattilsynet"))
    inspection(org, theme="Arbeidsmiljø", status=Inspection.Status.PLANNED)
    client = client_for(org.leader_a1)
    html = page(client, f"/avvik/tilsyn/?authority={mat.authority_id}")
    assert "Matsikkerhet" in html and "Arbeidsmiljø" not in html
    html = page(client, "/avvik/tilsyn/?status=planned")
    assert "Arbeidsmiljø" in html and "Matsikkerhet" not in html
    year = mat.visit_on.year
    assert "Matsikkerhet" in page(client, f"/avvik/tilsyn/?year={year}")
    assert "Ingen tilsyn å vise." in page(client, f"/avvik/tilsyn/?year={year - 3}")


def test_a_leader_records_an_inspection_with_its_report(org, client_for):
    client = client_for(org.leader_a1)
    html = page(client, "/avvik/tilsyn/ny/")
    assert "Registrer tilsyn" in html and "Tilsynsmyndighet" in html
    response = client.post(
        "/avvik/tilsyn/ny/",
        {
            "authority": authority("Statsforvalteren").pk,
            "theme": "Legemiddelhåndtering",
            "unit": org.unit_a1.pk,
            "units": [org.unit_a2.pk],
            "status": "ongoing",
            "visit_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "report": SimpleUploadedFile("rapport.pdf", PDF, "application/pdf"),
        },
    )
    recorded = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == recorded.get_absolute_url()
    assert recorded.status == Inspection.Status.REPORT_RECEIVED
    assert list(recorded.units.all()) == [org.unit_a2]
    html = page(client, recorded.get_absolute_url())
    assert "Statsforvalteren: Legemiddelhåndtering" in html and "rapport.pdf" in html
    download = client.get(f"/avvik/tilsyn/{recorded.pk}/rapport/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_report_passes_the_same_checks_as_case_attachments(org, client_for):
    response = client_for(org.leader_a1).post(
        "/avvik/tilsyn/ny/",
        {
            "authority": authority().pk,
            "theme": "Arbeidsmiljø",
            "unit": org.unit_a1.pk,
            "status": "planned",
            "report": SimpleUploadedFile("rapport.pdf", b"just text", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "er ikke et bilde eller en PDF" in response.content.decode()
    assert not Inspection.objects.exists()


def test_an_employee_may_not_record_inspections(org, client_for):
    assert client_for(org.employee_a1).get("/avvik/tilsyn/ny/").status_code == 403


def test_adding_a_finding_reports_a_deviation(org, client_for):
    checked = inspection(org)
    client = client_for(org.leader_a1)
    html = page(client, f"/avvik/tilsyn/{checked.pk}/funn/")
    assert "Tilsynets frist" in html and "Pålegg" in html
    response = client.post(
        f"/avvik/tilsyn/{checked.pk}/funn/",
        {
            "kind": "order",
            "title": "Pålegg om risikokartlegging",
            "unit": org.dept_a1x.pk,
            "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "severity": 3,
        },
    )
    assert response.status_code == 302
    case = Deviation.objects.get(source=Deviation.Source.INSPECTION)
    assert case.unit == org.dept_a1x and case.title == "Pålegg om risikokartlegging"
    html = page(client, checked.get_absolute_url())
    assert f'href="{case.get_absolute_url()}"' in html and "Ikke besvart" in html


def test_a_finding_outside_the_inspections_units_is_refused(org, client_for):
    checked = inspection(org)
    response = client_for(org.leader_a).post(
        f"/avvik/tilsyn/{checked.pk}/funn/",
        {"kind": "remark", "title": "Merknad", "unit": org.unit_a2.pk, "severity": 2},
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()
    assert not InspectionFinding.objects.exists()


def test_the_case_link_follows_the_case_rule(org, client_for):
    found = finding(org, inspection(org, units=[org.unit_b1]))
    html = page(client_for(org.employee_b1), found.inspection.get_absolute_url())
    assert found.title in html and found.deviation.number in html
    assert f'href="{found.deviation.get_absolute_url()}"' not in html
    assert "Registrer kommunens svar" not in html


def test_reply_then_confirmation_closes_the_finding(org, client_for):
    found = finding(org, inspection(org))
    client = client_for(org.leader_a1)
    url = found.inspection.get_absolute_url()
    html = page(client, url)
    assert "Registrer kommunens svar før tilsynets lukking." in html
    response = client.post(f"/avvik/tilsyn/funn/{found.pk}/bekreft/", {})
    assert response.status_code == 302
    assert "Registrer kommunens svar" in page(client, url)  # the refusal, as a message
    found.refresh_from_db()
    assert found.confirmed_closed_at is None

    reply = client.post(
        f"/avvik/tilsyn/funn/{found.pk}/svar/", {f"reply-{found.pk}-reply": "Plan sendt 1. mars."}
    )
    assert reply.status_code == 302
    services.start_treatment(actor=org.leader_a1, deviation=found.deviation)
    confirm = client.post(
        f"/avvik/tilsyn/funn/{found.pk}/bekreft/",
        {f"confirm-{found.pk}-note": "Tilsynet lukket avviket i brev."},
    )
    assert confirm.status_code == 302
    html = page(client, url)
    assert "Plan sendt 1. mars." in html and "Lukket av tilsynet" in html
    found.deviation.refresh_from_db()
    assert found.deviation.state == Deviation.State.CLOSED
    assert found.deviation.closing_note == "Tilsynet lukket avviket i brev."


def test_an_empty_reply_comes_back_with_its_error(org, client_for):
    found = finding(org, inspection(org))
    response = client_for(org.leader_a1).post(f"/avvik/tilsyn/funn/{found.pk}/svar/", {})
    assert response.status_code == 400
    assert "Skriv kommunens svar og plan." in response.content.decode()


def test_the_case_page_shows_the_finding_and_its_history(org, client_for):
    found = finding(org, inspection(org, theme="Brannvern"))
    services.reply_to_finding(actor=org.leader_a1, finding=found, reply="Plan sendt.")
    client = client_for(org.leader_a1)
    html = page(client, found.deviation.get_absolute_url())
    assert "Funn fra tilsyn" in html and "Avvik/lovbrudd" in html
    assert f'href="{found.get_absolute_url()}"' in html  # the inspection, for those who see it
    assert "Svar sendt til tilsynet" in html  # the reply in the case's history
    other = report_case(org)
    assert "Funn fra tilsyn" not in page(client, other.get_absolute_url())


def report_case(org):
    from tests.deviations.conftest import report

    return report(org)
