"""Pages of internal audits, rendered in bokmål: the programme list, planning, the audit page,
findings with their deviation links, the report and its PDF."""

from datetime import date

import pytest
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import Audit, Occurrence
from deviations.models import Deviation
from tests.annual_wheel.audit_helpers import plan
from tests.documents.factories import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(org):
    return published(org.employee_a1, org.leader_a1, org.unit_a1, title="Legemiddelrutine")


@pytest.fixture
def audit(org, procedure):
    return plan(org, criteria=[procedure])


def test_programme_list_shows_the_years_audits_the_user_may_see(org, client_for, audit):
    other = plan(org, unit=org.unit_b1, title="Renhold B1")
    page = client_for(org.employee_a1).get("/arshjul/revisjoner/").content.decode()
    assert f"Interne revisjoner {date.today().year}" in page
    assert "Revisjonsprogram for Hele kommunen" in page
    assert audit.get_absolute_url() in page and "Legemiddelhåndtering" in page
    assert other.get_absolute_url() not in page
    assert "Planlegg revisjon" not in page
    last_year = client_for(org.employee_a1).get(
        f"/arshjul/revisjoner/?year={date.today().year - 1}"
    )
    assert "Ingen revisjoner planlagt dette året." in last_year.content.decode()


def test_wheel_and_rounds_link_to_the_audits(org, client_for):
    client = client_for(org.employee_a1)
    assert 'href="/arshjul/revisjoner/' in client.get("/arshjul/").content.decode()
    assert 'href="/arshjul/revisjoner/"' in client.get("/arshjul/runder/").content.decode()


def test_advisor_plans_an_audit_with_criteria(org, client_for, procedure):
    client = client_for(org.advisor)
    form = client.get("/arshjul/revisjoner/ny/").content.decode()
    assert "Prosedyrer det revideres mot" in form and "Revisjonsleder" in form
    response = client.post(
        "/arshjul/revisjoner/ny/",
        {
            "title": "Legemidler i Enhet A1",
            "programme_unit": "",
            "unit": org.unit_a1.pk,
            "planned_date": f"{date.today().year}-11-02",
            "lead_auditor": org.employee_b1.pk,
            "auditors": [org.employee_a1x.pk],
            "criteria_numbers": procedure.number.lower(),
            "requirements": "Legemiddelforskriften",
        },
    )
    audit = Audit.objects.get()
    assert response.status_code == 302 and response["Location"] == audit.get_absolute_url()
    assert list(audit.criteria.all()) == [procedure]
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "Revisjonen er planlagt." in page
    assert "Legemiddelrutine" in page and "Legemiddelforskriften" in page
    assert "Start revisjonen" in page


def test_unknown_procedure_number_is_refused_in_the_form(org, client_for):
    response = client_for(org.advisor).post(
        "/arshjul/revisjoner/ny/",
        {
            "title": "X",
            "unit": org.unit_a1.pk,
            "planned_date": f"{date.today().year}-11-02",
            "lead_auditor": org.employee_b1.pk,
            "criteria_numbers": "RUT-9999",
        },
    )
    assert response.status_code == 400
    assert "Finner ikke disse dokumentene: RUT-9999." in response.content.decode()
    assert not Audit.objects.exists()


def test_auditor_starts_adds_an_avvik_and_its_deviation_is_linked(
    org, client_for, audit, procedure
):
    client = client_for(org.employee_b1)
    response = client.post(
        f"/arshjul/revisjoner/{audit.pk}/start/",
        {"opening_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "Revisjonen er startet." in page and "Legg til funn" in page
    form = client.get(f"/arshjul/revisjoner/{audit.pk}/funn/ny/").content.decode()
    assert "Observasjon" in form and "Styrke" in form
    response = client.post(
        f"/arshjul/revisjoner/{audit.pk}/funn/ny/",
        {
            "kind": "avvik",
            "text": "Dosett kontrolleres ikke",
            "evidence": "Stikkprøve",
            "criterion": procedure.pk,
        },
        follow=True,
    )
    deviation = Deviation.objects.get()
    assert deviation.source == Deviation.Source.INTERNAL_AUDIT
    page = response.content.decode()
    assert f"Avvik {deviation.number} er meldt til enhetens leder." in page
    assert f'href="{deviation.get_absolute_url()}"' in page
    client.post(
        f"/arshjul/revisjoner/{audit.pk}/funn/ny/", {"kind": "strength", "text": "God opplæring"}
    )
    assert Deviation.objects.count() == 1
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "God opplæring" in page and "Styrke" in page


def test_a_member_of_the_audited_unit_reads_but_is_offered_no_buttons(org, client_for, audit):
    client = client_for(org.employee_a1)
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "Legemiddelhåndtering" in page
    assert "Start revisjonen" not in page and "Legg til funn" not in page
    assert client.post(f"/arshjul/revisjoner/{audit.pk}/start/").status_code == 403


def test_report_form_asks_for_the_conclusion_then_records_the_occurrence(
    org, client_for, make_activity
):
    occurrence = make_activity(title="Interne revisjoner", unit=None).occurrences.get()
    audit = plan(org, occurrence=occurrence)
    services.start_audit(org.employee_b1, audit, opening_date=timezone.localdate())
    client = client_for(org.employee_b1)
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/arshjul/revisjoner/{audit.pk}/rapporter/",
        {"closing_date": today, "summary": "Kort", "conclusion": ""},
    )
    assert response.status_code == 400
    assert "Skriv revisjonens konklusjon." in response.content.decode()
    response = client.post(
        f"/arshjul/revisjoner/{audit.pk}/rapporter/",
        {"closing_date": today, "summary": "Kort", "conclusion": "Rutinen etterleves"},
        follow=True,
    )
    page = response.content.decode()
    assert "Revisjonen er rapportert." in page and "Rutinen etterleves" in page
    assert "Legg til funn" not in page
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE


def test_report_pdf_lists_criteria_findings_and_conclusion(org, client_for, audit, monkeypatch):
    from qms.reports import pdf

    rendered = []
    original = pdf.render_pdf

    def spy(html):
        rendered.append(html)
        return original(html)

    monkeypatch.setattr(pdf, "render_pdf", spy)
    services.start_audit(org.employee_b1, audit, opening_date=timezone.localdate())
    finding = services.add_finding(org.employee_b1, audit, kind="avvik", text="Mangler signatur")
    services.report_audit(
        org.employee_b1, audit, closing_date=timezone.localdate(), conclusion="Delvis etterlevd"
    )
    response = client_for(org.leader_a1).get(f"/arshjul/revisjoner/{audit.pk}/rapport.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    (html,) = rendered
    assert "Legemiddelrutine" in html and "Mangler signatur" in html
    assert finding.deviation.number in html and "Delvis etterlevd" in html


def test_min_side_lists_the_auditors_audits_until_they_are_reported(
    org, client_for, audit, django_assert_max_num_queries
):
    from annual_wheel import hooks as wheel_hooks
    from qms import hooks

    title = "Legemiddelhåndtering – Enhet A1"
    for auditor in (org.employee_b1, org.employee_a1x):  # the lead auditor and the other
        tasks = [t for t in hooks.tasks_for(auditor) if t.title == title]
        assert len(tasks) == 1
        assert tasks[0].deadline == audit.planned_date and tasks[0].url == audit.get_absolute_url()
        assert tasks[0].module == "Intern revisjon" and tasks[0].status == "Planlagt"
    # The audited unit's people and leader see the audit, but it is not their task.
    for other in (org.employee_a1, org.leader_a1, org.advisor):
        assert title not in [t.title for t in hooks.tasks_for(other)]
    page = client_for(org.employee_b1).get("/").content.decode()
    assert title in page and audit.get_absolute_url() in page
    plan(org, title="Renhold", auditors=[org.employee_a1x, org.employee_b1])
    user = type(org.employee_b1).objects.get(pk=org.employee_b1.pk)
    with django_assert_max_num_queries(3):  # the user's roles, and the audits
        assert len(wheel_hooks.my_audits(user)) == 2
    services.start_audit(org.employee_b1, audit, opening_date=timezone.localdate())
    assert [t.status for t in hooks.tasks_for(org.employee_a1x) if t.title == title] == ["Pågår"]
    services.report_audit(
        org.employee_b1,
        audit,
        closing_date=timezone.localdate(),
        summary="Kort",
        conclusion="Rutinen etterleves",
    )
    assert title not in [t.title for t in hooks.tasks_for(org.employee_b1)]


def test_admin_reads_programmes_audits_and_findings_but_changes_none(org, client_for, audit):
    services.start_audit(org.employee_b1, audit, opening_date=timezone.localdate())
    finding = services.add_finding(
        org.employee_b1, audit, kind="observation", text="Dosett på benken"
    )
    client = client_for(org.admin)
    assert "Legemiddelhåndtering" in client.get("/admin/annual_wheel/audit/").content.decode()
    page = client.get(f"/admin/annual_wheel/audit/{audit.pk}/change/").content.decode()
    assert "Dosett på benken" in page  # the findings, read-only
    programme = audit.programme
    assert (
        client.get(f"/admin/annual_wheel/auditprogramme/{programme.pk}/change/").status_code == 200
    )
    assert client.get(f"/admin/annual_wheel/auditfinding/{finding.pk}/change/").status_code == 200
    for model in ("auditprogramme", "audit", "auditfinding"):
        assert client.get(f"/admin/annual_wheel/{model}/add/").status_code == 403
    client.post(f"/admin/annual_wheel/audit/{audit.pk}/change/", {"title": "Endret"})
    assert (
        client.post(f"/admin/annual_wheel/audit/{audit.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    audit.refresh_from_db()
    assert audit.title == "Legemiddelhåndtering"


def test_an_audits_avvik_links_its_audit_on_the_case_page(org, client_for, audit, procedure):
    from django.test import RequestFactory

    from annual_wheel import hooks as wheel_hooks

    services.start_audit(org.employee_b1, audit, opening_date=timezone.localdate())
    finding = services.add_finding(
        org.employee_b1, audit, kind="avvik", text="Dosett kontrolleres ikke", criterion=procedure
    )
    url = finding.deviation.get_absolute_url()
    page = client_for(org.leader_a1).get(url).content.decode()
    assert "Funn fra intern revisjon" in page
    assert f'href="{audit.get_absolute_url()}">Legemiddelhåndtering – Enhet A1</a>' in page
    assert "Legemiddelrutine" in page  # the procedure the finding is measured against
    # Enhet B1's leader may not see Enhet A1's audit: no panel.
    request = RequestFactory().get("/")
    request.user = org.leader_b1
    assert wheel_hooks.finding_panel(request, finding.deviation) is None
