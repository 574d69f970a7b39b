"""The report on internal control to the council (kommuneloven § 25-2, docs/design.md §14):
assembled in KS order, the inspections with their follow-up, the chief executive's texts,
approval that freezes the figures, and the PDF, DOCX and HTML a council member reads."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from deviations.models import Inspection
from qms.reports import periods
from qms.reports.control import render, services
from qms.reports.models import InternalControlReport
from tests.deviations.inspections import finding, inspection
from tests.reports.test_pdf_output import pdf_text

pytestmark = pytest.mark.django_db

TEXTS = {
    "good": "Avvik meldes og følges opp i alle sektorer.",
    "weak": "Tilsynsfunn lukkes for sent.",
    "planned": "Vi innfører månedlig oppfølging av åpne funn i ledergruppen.",
}


def this_year():
    return periods.year(timezone.localdate().year)


def make_report(org, period=None):
    return services.create_report(org.chief, org.root, period or this_year())


def write_overall(org, report):
    overall = report.chapters.get(unit=org.root)
    return services.save_chapter(org.chief, overall, **TEXTS)


def part(chapter, key):
    return next(p for p in chapter.parts if p["key"] == key)


def test_chapters_come_in_ks_order_overall_first_then_each_service_area(org):
    report = make_report(org)
    chapters = list(report.chapters.order_by("position"))
    assert [c.unit for c in chapters] == [org.root, org.sector_a, org.sector_b]
    assert chapters[0].title == "Samlet for Kommune"
    keys = [p["key"] for p in chapters[0].parts]
    assert keys.index("control_activities") < keys.index("inspections") < keys.index("statistics")


def test_an_inspection_appears_with_each_finding_and_its_follow_up(org):
    done = inspection(org)
    late = finding(org, done, days=-3, title="Mangler opplæring i brannvern")
    replied = finding(org, done, days=10, title="Risikovurdering mangler")
    from deviations import services as deviation_services

    deviation_services.reply_to_finding(actor=org.leader_a1, finding=replied, reply="Plan sendt")
    report = make_report(org)
    sector_a = report.chapters.get(unit=org.sector_a)
    found = part(sector_a, "inspections")
    rows = found["tables"][1]["rows"]
    follow_up = {row[2]: row[4] for row in rows}
    assert follow_up[late.title] == "Over tilsynets frist, ikke besvart"
    assert follow_up[replied.title].startswith("Svar sendt")
    assert rows[0][5].startswith(late.deviation.number)
    assert dict(found["figures"])["Åpne funn over tilsynets frist"] == 1
    # Sector B has no inspection: its chapter says so instead of an empty table.
    other = part(report.chapters.get(unit=org.sector_b), "inspections")
    assert other["tables"] == [] and other["empty"] == "Ingen statlige tilsyn i perioden."


def test_an_inspection_of_another_year_with_only_closed_findings_is_left_out(org):
    last_year = timezone.localdate().year - 1
    inspection(org, visit_on=timezone.localdate().replace(year=last_year, month=3, day=1))
    assert Inspection.objects.count() == 1
    report = make_report(org)
    assert part(report.chapters.get(unit=org.root), "inspections")["tables"] == []


def test_a_tertial_report_covers_the_tertial_only(org):
    report = make_report(org, periods.tertial(2025, 2))
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (
        "2025-05-01",
        "2025-09-01",
    )
    assert str(report) == "Rapport om internkontroll 2. tertial 2025"
    assert report.filename("pdf") == "internkontroll-kommune-2025-t2.pdf"


def test_only_a_year_or_a_tertial_and_one_report_per_period(org):
    with pytest.raises(ValidationError, match="et år eller et tertial"):
        services.create_report(org.chief, org.root, periods.month(2025, 3))
    make_report(org, periods.year(2025))
    with pytest.raises(ValidationError, match="finnes allerede en rapport for 2025"):
        make_report(org, periods.year(2025))


def test_only_the_chief_executive_or_an_advisor_makes_one_and_only_for_the_municipality(org):
    with pytest.raises(PermissionDenied):
        services.create_report(org.leader_a, org.root, this_year())
    with pytest.raises(PermissionDenied):
        services.create_report(org.leader_a, org.sector_a, this_year())
    assert services.create_report(org.advisor, org.root, this_year()).pk


def test_texts_are_saved_per_chapter(org):
    report = make_report(org)
    chapter = write_overall(org, report)
    assert (chapter.good, chapter.weak, chapter.planned) == tuple(TEXTS.values())
    assert report.chapters.get(unit=org.sector_a).good == ""


def test_approval_needs_the_overall_assessment(org):
    report = make_report(org)
    with pytest.raises(services.ReportStateError, match="Skriv vurderingen i det samlede"):
        services.approve_report(org.chief, report)
    report.refresh_from_db()
    assert report.status == InternalControlReport.Status.DRAFT


def test_only_the_chief_executive_approves(org):
    report = make_report(org)
    write_overall(org, report)
    with pytest.raises(PermissionDenied):
        services.approve_report(org.advisor, report)
    approved = services.approve_report(org.chief, report)
    assert approved.is_approved and approved.approved_by == org.chief


def test_approval_freezes_the_figures_and_refuses_every_change(org):
    report = make_report(org)
    write_overall(org, report)
    services.approve_report(org.chief, report)
    before = {c.pk: c.content for c in report.chapters.all()}
    insp = inspection(org)
    finding(org, insp, days=-2)
    report.refresh_from_db()
    assert {c.pk: c.content for c in report.chapters.all()} == before
    chapter = report.chapters.get(unit=org.sector_a)
    with pytest.raises(services.ReportStateError, match="godkjent og kan ikke endres"):
        services.save_chapter(org.chief, chapter, good="Nytt", weak="", planned="")
    with pytest.raises(services.ReportStateError, match="godkjent og kan ikke endres"):
        services.assemble_report(org.chief, report)
    chapter.refresh_from_db()
    assert chapter.good == ""


def test_reassembling_a_draft_keeps_the_texts_and_fetches_new_figures(org):
    report = make_report(org)
    write_overall(org, report)
    finding(org, inspection(org), days=-2)
    services.assemble_report(org.advisor, report)
    overall = report.chapters.get(unit=org.root)
    assert overall.good == TEXTS["good"]
    assert dict(part(overall, "inspections")["figures"])["Funn"] == 1


def test_the_pdf_is_tagged_and_carries_the_chapters(org):
    report = make_report(org)
    write_overall(org, report)
    content = render.pdf_bytes(report)
    objects = pdf_text(content)
    assert b"/StructTreeRoot" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true\s*>>", objects)
    assert b"/Lang (nb)" in objects


def test_the_docx_opens_and_has_the_chapter_headings(org):
    from docx import Document

    report = make_report(org)
    write_overall(org, report)
    document = Document(io.BytesIO(render.docx_bytes(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["1. Samlet for Kommune", "2. Sektor A", "3. Sektor B"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert TEXTS["weak"] in text and "Statlige tilsyn og oppfølgingen av dem" in text
    assert document.tables, "the figures' tables are real Word tables"


def test_the_html_to_publish_is_one_page_with_contents_and_texts(org):
    report = make_report(org)
    write_overall(org, report)
    page = render.html(report)
    assert page.startswith("<!DOCTYPE html>") and 'lang="nb"' in page
    assert '<h2 id="innhold">Innhold</h2>' in page
    assert TEXTS["planned"] in page
    assert "<link" not in page  # self-contained: it is published elsewhere


def test_pages_chief_executive_writes_approves_and_downloads(org, client_for):
    client = client_for(org.chief)
    response = client.post(reverse("reports:control_reports"), {"year": 2025, "part": "year"})
    report = InternalControlReport.objects.get()
    assert response.url == report.get_absolute_url()
    chapter = report.chapters.get(unit=org.root)
    url = reverse("reports:control_chapter", args=[report.uid, chapter.pk])
    client.post(url, TEXTS)
    client.post(reverse("reports:control_report_approve", args=[report.uid]))
    report.refresh_from_db()
    assert report.is_approved
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Godkjent av Chief" in page and "Godkjenn rapporten" not in page
    assert client.get(url).status_code == 302  # editing an approved report: back with a message
    for fmt, kind in (("pdf", "application/pdf"), ("docx", "officedocument"), ("html", "html")):
        download = client.get(reverse("reports:control_report_download", args=[report.uid, fmt]))
        assert download.status_code == 200 and kind in download["Content-Type"]


def test_a_draft_is_hidden_from_readers_and_the_approved_report_is_not(org, client_for):
    report = make_report(org)
    client = client_for(org.committee)
    assert client.get(report.get_absolute_url()).status_code == 404
    write_overall(org, report)
    services.approve_report(org.chief, report)
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(reverse("reports:control_reports")).status_code == 200
    assert client_for(org.employee_a1).get(reverse("reports:control_reports")).status_code == 403


def signed_review(org, unit, leader, summary):
    from annual_wheel import services as wheel
    from qms.reports import agenda

    review = wheel.start_review(
        leader, unit=unit, year=timezone.localdate().year, date=timezone.localdate()
    )
    for section in agenda.agenda:
        wheel.save_assessment(leader, review, section=section.key, text=f"Vurdering {section.key}")
    wheel.update_review(leader, review, summary=summary)
    return wheel.sign_review(leader, review)


def test_the_signed_reviews_of_the_municipality_and_the_sectors_make_the_reviews_part(org):
    signed_review(org, org.root, org.chief, "Kommunen har god kontroll.")
    signed_review(org, org.sector_a, org.leader_a, "Sektor A må følge opp avvik raskere.")
    report = make_report(org)
    overall = part(report.chapters.get(unit=org.root), "management_reviews")
    assert dict(overall["figures"])["Gjennomgåelser signert"] == 2
    own = overall["tables"][0]
    assert own["title"] == "Vurderinger i ledelsens gjennomgåelse for Kommune"
    assert own["rows"][0] == ["Samlet vurdering", "Kommunen har god kontroll."]
    sector_a = part(report.chapters.get(unit=org.sector_a), "management_reviews")
    assert sector_a["tables"][0]["rows"][0][1] == "Sektor A må følge opp avvik raskere."
    sector_b = part(report.chapters.get(unit=org.sector_b), "management_reviews")
    assert dict(sector_b["figures"])["Gjennomgåelser signert"] == 0
    keys = [p["key"] for p in report.chapters.get(unit=org.root).parts]
    assert keys[:4] == [
        "management_reviews",
        "committee_meetings",
        "control_activities",
        "inspections",
    ]


def test_api_chief_executive_makes_writes_and_approves_the_report(org, api_for):
    api = api_for(org.chief)
    made = api.post(
        "/api/v1/internal-control-reports/", {"year": 2025, "tertial": 3}, format="json"
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["title"] == "Rapport om internkontroll 3. tertial 2025"
    assert [c["title"] for c in body["chapters"]] == ["Samlet for Kommune", "Sektor A", "Sektor B"]
    url = f"/api/v1/internal-control-reports/{body['uid']}/"
    overall = body["chapters"][0]["id"]
    early = api.post(f"{url}approve/", format="json")
    assert early.status_code == 409 and "samlede kapitlet" in early.content.decode()
    written = api.post(f"{url}texts/", {"chapter": overall, **TEXTS}, format="json")
    assert written.status_code == 200 and written.json()["chapters"][0]["weak"] == TEXTS["weak"]
    approved = api.post(f"{url}approve/", format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = api.post(f"{url}texts/", {"chapter": overall, **TEXTS}, format="json")
    assert again.status_code == 409
    assert "godkjent og kan ikke endres" in again.content.decode()
    twice = api.post(
        "/api/v1/internal-control-reports/", {"year": 2025, "tertial": 3}, format="json"
    )
    assert twice.status_code == 400


def test_api_a_chapter_of_another_report_is_not_found(org, api_for):
    first = make_report(org, periods.year(2024))
    other = make_report(org, periods.year(2023))
    chapter = other.chapters.get(unit=org.root)
    response = api_for(org.chief).post(
        f"/api/v1/internal-control-reports/{first.uid}/texts/",
        {"chapter": chapter.pk, **TEXTS},
        format="json",
    )
    assert response.status_code == 404


def test_min_side_the_draft_waits_for_the_chief_and_the_approved_report_for_readers(
    org, client_for
):
    report = make_report(org)
    home = client_for(org.chief).get("/").content.decode()
    assert f"Godkjenn: {report}" in home and report.get_absolute_url() in home
    advisor_home = client_for(org.advisor).get("/").content.decode()
    assert f"Forbered: {report}" in advisor_home
    assert str(report) not in client_for(org.committee).get("/").content.decode()
    write_overall(org, report)
    services.approve_report(org.chief, report)
    assert f"Godkjenn: {report}" not in client_for(org.chief).get("/").content.decode()
    committee_home = client_for(org.committee).get("/").content.decode()
    assert "Ny rapport om internkontroll" in committee_home
    assert report.get_absolute_url() in committee_home
    employee_home = client_for(org.employee_a1).get("/").content.decode()
    assert "Ny rapport om internkontroll" not in employee_home


def test_the_committees_meetings_are_reported_without_the_referred_cases(org):
    """The committees' part: each meeting of the period in the committee's chapter, counted by
    items, decisions and actions; the referred case's title or text is not in the report."""
    from annual_wheel import services as wheel_services
    from tests.annual_wheel.committee_helpers import (
        held_with_decision,
        meeting_of,
        quality_committee,
        refer,
    )
    from tests.deviations.conftest import report as report_case

    committee = quality_committee(org)  # Sektor A's
    meeting = meeting_of(committee, org.leader_a2, days=0)
    case = report_case(org, title="Pasient falt på badet")
    refer(meeting, case, org.leader_a1)
    meeting = held_with_decision(meeting, org.leader_a)
    wheel_services.approve_minutes(org.leader_a, meeting)
    wheel_services.publish_minutes(org.leader_a, meeting)
    made = make_report(org)
    sector_a = part(made.chapters.get(unit=org.sector_a), "committee_meetings")
    assert dict(sector_a["figures"]) == {
        "Møter i perioden": 1,
        "Møter avholdt": 1,
        "Protokoller publisert": 1,
    }
    assert sector_a["tables"][0]["rows"] == [
        [
            "Kvalitetsutvalget Sektor A",
            sector_a["tables"][0]["rows"][0][1],
            "Protokoll publisert",
            1,
            1,
            0,
        ]
    ]
    sector_b = part(made.chapters.get(unit=org.sector_b), "committee_meetings")
    assert dict(sector_b["figures"])["Møter i perioden"] == 0
    assert "Pasient falt" not in repr(made.chapters.get(unit=org.sector_a).parts)
