"""Pages: the workflow by form posts, bad input with clear errors and nothing half-stored."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.forms import MAX_ATTACHMENT_BYTES
from documents.models import Attachment, Document, DocumentType, DocumentVersion
from tests.documents.factories import draft, published

pytestmark = pytest.mark.django_db


def form_data(org, **extra):
    return {
        "title": "Hygiene på kjøkkenet",
        "unit": org.unit_a1.pk,
        "doc_type": DocumentType.objects.get(code="rutine").pk,
        "read_deadline_days": 14,
        "body": "<h2>Formål</h2><p>Trygg mat.</p>",
        **extra,
    }


def test_create_sanitizes_script_in_title_and_body(org, client_for):
    client = client_for(org.employee_a1)
    r = client.post(
        "/dokumenter/ny/",
        form_data(
            org,
            title='<img src=x onerror="alert(1)">Hygiene',
            body='<p onmouseover="x()">Tekst</p><script>alert(1)</script><a href="javascript:x()">l</a>',
            change_summary="<script>s()</script>Første",
        ),
    )
    assert r.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.title == "Hygiene"
    assert version.body == '<p>Tekst</p><a rel="noopener noreferrer">l</a>'
    assert version.change_summary == "Første"
    page = client.get(f"/dokumenter/{version.document_id}/versjon/1/").content.decode()
    assert "alert(1)" not in page and "onmouseover" not in page


def test_create_with_missing_and_wrong_fields_keeps_what_was_typed(org, client_for):
    client = client_for(org.employee_a1)
    r = client.post(
        "/dokumenter/ny/",
        form_data(org, title="", read_deadline_days="fjorten", body="<p>Mitt lange utkast</p>"),
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "ds-error-summary" in html
    assert "Mitt lange utkast" in html
    assert not Document.objects.exists()


def test_cannot_create_in_a_unit_outside_ones_own(org, client_for):
    r = client_for(org.employee_a1).post("/dokumenter/ny/", form_data(org, unit=org.unit_b1.pk))
    assert r.status_code == 200 and not Document.objects.exists()


def test_approve_with_invalid_or_too_late_date_is_refused_clearly(org, client_for):
    document = draft(org.employee_a1, org.unit_a1)
    client_for(org.employee_a1).post(f"/dokumenter/{document.pk}/send/")
    client = client_for(org.leader_a1)
    url = f"/dokumenter/{document.pk}/versjon/1/godkjenn/"
    r = client.post(url, {"next_revision": "2027-02-31"})
    assert r.status_code == 400 and "gyldig dato" in r.content.decode()
    late = (timezone.localdate() + timedelta(days=400)).isoformat()
    r = client.post(url, {"next_revision": late})
    assert r.status_code == 400 and "12 måneder fram" in r.content.decode()
    assert DocumentVersion.objects.get(document=document).status == "in_review"
    ok = (timezone.localdate() + timedelta(days=100)).isoformat()
    assert client.post(url, {"next_revision": ok}).status_code == 302
    document.refresh_from_db()
    assert document.status == "published"
    # The second click (a double submit, or another leader) gets a message, not an error page.
    r = client.post(url, {"next_revision": ok}, follow=True)
    assert r.status_code == 404 or "allerede behandlet" in r.content.decode()


def test_attachment_type_and_size_limits(org, client_for):
    document = draft(org.employee_a1, org.unit_a1)
    client = client_for(org.employee_a1)
    url = f"/dokumenter/{document.pk}/vedlegg/"
    exe = SimpleUploadedFile("rutine.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    r = client.post(url, {"file": exe}, follow=True)
    assert "stemmer ikke med filtypen" in r.content.decode()
    script = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    r = client.post(url, {"file": script}, follow=True)
    assert "Filtypen er ikke tillatt" in r.content.decode()
    big = SimpleUploadedFile("stor.pdf", b"%PDF" + b"0" * MAX_ATTACHMENT_BYTES)
    r = client.post(url, {"file": big}, follow=True)
    assert "Filen er for stor" in r.content.decode()
    assert not Attachment.objects.exists()
    pdf = SimpleUploadedFile("sjekkliste.pdf", b"%PDF-1.7 ok", content_type="application/pdf")
    r = client.post(url, {"file": pdf}, follow=True)
    attachment = Attachment.objects.get()
    assert attachment.name == "sjekkliste.pdf" and attachment.content_type == "application/pdf"
    download = client.get(f"/dokumenter/vedlegg/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_unknown_ids_are_404(org, client_for):
    client = client_for(org.employee_a1)
    for url in (
        "/dokumenter/999999/",
        "/dokumenter/999999/versjon/1/",
        "/dokumenter/999999/historikk/",
        "/dokumenter/vedlegg/999999/",
    ):
        assert client.get(url).status_code == 404, url
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    assert client.get(f"/dokumenter/{document.pk}/versjon/7/").status_code == 404
    assert client.get(f"/dokumenter/{document.pk}/sammenlign/?fra=1&til=9").status_code == 404
    r = client.get(f"/dokumenter/{document.pk}/sammenlign/?fra=x&til=1", follow=True)
    assert "Velg to versjoner" in r.content.decode()


def test_compare_shows_added_and_removed_lines(org, client_for):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    from documents import services

    revision = services.start_revision(org.employee_a1, document)
    services.update_draft(
        org.employee_a1,
        revision,
        title=document.title,
        body="<h2>Formål</h2><p>Sikre riktig håndtering av legemidler.</p><p>Ny linje om kurve.</p>",
    )
    html = client_for(org.leader_a1).get(f"/dokumenter/{document.pk}/sammenlign/?fra=1&til=2")
    text = html.content.decode()
    assert "<ins>Ny linje om kurve.</ins>" in text
    assert "<del>Sykepleier kontrollerer dosett mot kurve.</del>" in text


def test_full_workflow_by_forms_and_read_confirmation(org, client_for):
    author = client_for(org.employee_a1)
    author.post("/dokumenter/ny/", form_data(org))
    document = Document.objects.get()
    author.post(f"/dokumenter/{document.pk}/send/")
    leader = client_for(org.leader_a1)
    leader.post(
        f"/dokumenter/{document.pk}/versjon/1/godkjenn/",
        {"next_revision": (timezone.localdate() + timedelta(days=200)).isoformat()},
    )
    reader = client_for(org.employee_a1x)
    home = reader.get("/").content.decode()
    assert "Hygiene på kjøkkenet" in home
    reader.post(f"/dokumenter/{document.pk}/lest/", {"next": "/"})
    status = (
        client_for(org.leader_a1).get(f"/dokumenter/{document.pk}/lesestatus/").content.decode()
    )
    assert "1 av 3 har bekreftet (33 %)" in status


def test_document_list_runs_a_constant_number_of_queries(
    org, client_for, django_assert_max_num_queries
):
    documents = [
        published(org.employee_a1, org.leader_a1, org.unit_a1, title=f"Rutine {i}")
        for i in range(15)
    ]
    client = client_for(org.employee_b1)
    with django_assert_max_num_queries(14):
        r = client.get("/dokumenter/")
    assert r.status_code == 200
    assert {d.pk for d in r.context["page"].object_list} == {d.pk for d in documents}


def test_review_comment_of_a_returned_draft_is_hidden_from_readers_of_the_history(org, client_for):
    from documents import services

    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    revision = services.start_revision(org.employee_a1, document)
    services.submit(org.employee_a1, revision)
    services.return_version(org.leader_a1, revision, "Fjern navnet på beboeren i avsnitt 2")

    reader = client_for(org.employee_b1).get(f"/dokumenter/{document.pk}/historikk/")
    assert reader.status_code == 200
    assert "Fjern navnet på beboeren" not in reader.content.decode()
    assert "Versjon 2" not in reader.content.decode()
    author = client_for(org.employee_a1).get(f"/dokumenter/{document.pk}/historikk/")
    assert "Fjern navnet på beboeren" in author.content.decode()


def _meta(html: str, term: str) -> str:
    match = re.search(rf"<dt>{term}</dt><dd[^>]*>(.*?)</dd>", html, re.S)
    assert match, term
    return match.group(1).strip()


def test_last_revised_is_the_approval_of_the_version_in_force(org, client_for):
    from documents import services

    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    approved = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
    # update() leaves updated_at as it is: today, while the approval was long ago.
    DocumentVersion.objects.filter(pk=document.current_version_id).update(approved_at=approved)
    page = client_for(org.employee_b1).get(f"/dokumenter/{document.pk}/").content.decode()
    assert _meta(page, "Sist revidert") == "4. mar. 2025"

    # A draft of the next version does not change when the document was last revised.
    services.start_revision(org.employee_a1, document)
    draft_page = client_for(org.employee_a1).get(f"/dokumenter/{document.pk}/versjon/2/")
    assert _meta(draft_page.content.decode(), "Sist revidert") == "4. mar. 2025"


def test_a_document_never_approved_has_no_last_revised_date(org, client_for):
    document = draft(org.employee_a1, org.unit_a1)
    page = client_for(org.employee_a1).get(f"/dokumenter/{document.pk}/").content.decode()
    assert _meta(page, "Sist revidert") == "–"
