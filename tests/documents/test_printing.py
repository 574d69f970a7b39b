"""Print and PDF of a version: the header a printed copy carries, the tagged PDF, the print
stylesheet, and that only a version the user may see is printed."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from documents import printing, services
from tests.documents.factories import draft, published
from tests.reports.test_pdf_output import pdf_text

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def revised_twice(org):
    """A procedure approved twice: version 1 superseded, version 2 in force."""
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    revision = services.start_revision(org.employee_a1, document)
    services.update_draft(
        org.employee_a1, revision, title="Legemiddelhåndtering", body="<p>Ny tekst.</p>"
    )
    services.submit(org.employee_a1, revision)
    services.approve(org.leader_a1, revision)
    document.refresh_from_db()
    return document


def test_the_pdf_header_names_number_version_approver_dates_and_where_to_check(org, client_for):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    version = document.current_version
    org.leader_a1.first_name, org.leader_a1.last_name = "Liv", "Leder"
    org.leader_a1.save()
    client = client_for(org.employee_a1x)  # a reader in a department below
    response = client.get(f"/dokumenter/{document.pk}/versjon/1/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="{document.number}-v1-legemiddelhandtering.pdf"'
        in (response["Content-Disposition"])
    )
    assert response.content.startswith(b"%PDF-")
    text = text_of(response.content)
    assert document.number in text
    assert "Legemiddelhåndtering" in text
    assert "Godkjent av Liv Leder" in text
    assert f"Godkjent {version.approved_at.astimezone():%d.%m.%Y}" in text
    assert f"Neste revisjon {version.next_revision:%d.%m.%Y}" in text
    assert "Skrevet ut" in text and "sjekk gjeldende versjon på nett" in text
    assert f"http://testserver/dokumenter/{document.pk}/" in text
    assert "Sykepleier kontrollerer dosett mot kurve." in text
    assert "Utgått" not in text


def test_the_pdf_is_tagged_with_its_language(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    copy = printing.PrintedCopy(document.current_version, "https://kommune.no/dokumenter/1/")
    objects = pdf_text(printing.version_pdf(copy))
    assert b"/StructTreeRoot" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true\s*>>", objects)
    assert b"/Lang (nb)" in objects
    assert b"pdfuaid:part" in objects


def test_an_old_version_is_marked_superseded_in_its_pdf(org, client_for):
    document = revised_twice(org)
    client = client_for(org.employee_a1x)
    old = text_of(client.get(f"/dokumenter/{document.pk}/versjon/1/pdf/").content)
    assert "Utgått – erstattet av en nyere versjon" in old
    assert "versjon 1" in old
    new = text_of(client.get(f"/dokumenter/{document.pk}/versjon/2/pdf/").content)
    assert "Utgått" not in new and "Ny tekst." in new


def test_a_draft_prints_for_its_workers_only_and_is_marked_not_approved(org, client_for):
    document = draft(org.employee_a1, org.unit_a1, title="Utkast om smittevern")
    url = f"/dokumenter/{document.pk}/versjon/1/pdf/"
    assert client_for(org.employee_b1).get(url).status_code == 404
    response = client_for(org.leader_a1).get(url)
    assert response.status_code == 200
    assert "Utkast – ikke godkjent" in text_of(response.content)


def test_the_version_page_offers_print_and_pdf_and_a_print_stylesheet(org, client_for):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    page = client_for(org.employee_a1x).get(f"/dokumenter/{document.pk}/").content.decode()
    assert "data-print" in page and "Skriv ut" in page
    assert f'href="/dokumenter/{document.pk}/versjon/1/pdf/"' in page and "Last ned PDF" in page
    assert re.search(r'class="qms-print-only qms-printed-on">Skrevet ut .* — sjekk gjeldende', page)
    css = (Path(settings.BASE_DIR) / "documents/static/documents/documents.css").read_text()
    rules = css.split("@media print", 1)[1]
    for selector in (".qms-header", ".qms-footer", ".qms-no-print"):
        assert selector in rules  # navigation and actions hidden on paper
    assert ".qms-print-only { display: block; }" in rules
