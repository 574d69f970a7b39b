"""Documents in the browser: an author writes a procedure, a leader approves it, an employee
confirms reading it; and axe on the document, search and editor pages."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import Document, DocumentVersion, ReadReceipt
from tests.documents.factories import published
from tests.e2e.conftest import PHONE, axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_author_writes_leader_approves_employee_confirms_reading(org, new_page):
    author = new_page(org.employee_a1)
    author.goto("/dokumenter/")
    author.get_by_role("link", name="Nytt dokument").click()
    author.get_by_label("Tittel").fill("Nøkkelhåndtering på avdelingen")
    editor = author.locator("trix-editor")
    editor.click()
    editor.press("Control+a")
    editor.press("Delete")
    author.keyboard.type("Nøkler oppbevares i nøkkelskap med kode.")
    author.get_by_role("button", name="Lagre utkast").click()
    author.wait_for_url("**/versjon/1/")
    assert "Utkastet RUT-0001 er lagret." in author.content()
    author.get_by_role("button", name="Send til godkjenning").click()
    assert "Utkastet er sendt til godkjenning." in author.content()

    leader = new_page(org.leader_a1)
    leader.get_by_role("link", name="Godkjenn RUT-0001 Nøkkelhåndtering på avdelingen").click()
    leader.get_by_role("button", name="Godkjenn").click()
    assert "Versjonen er godkjent og publisert." in leader.content()
    document = Document.objects.get(number="RUT-0001")
    assert document.status == "published"
    version = DocumentVersion.objects.get(document=document, number=1)
    assert version.approver == org.leader_a1
    assert "nøkkelskap med kode" in version.body_text

    reader = new_page(viewport=PHONE)
    login(reader, "employee_a1x")
    panel = reader.get_by_role("region", name="Leseliste")
    panel.get_by_role("link", name="RUT-0001 Nøkkelhåndtering på avdelingen").click()
    assert "Nøkler oppbevares i nøkkelskap med kode." in reader.content()
    reader.get_by_role("button", name="Lest og forstått").click()
    assert "Takk! Du har bekreftet" in reader.content()
    assert ReadReceipt.objects.get(user=org.employee_a1x, document=document).confirmed_at


def test_advisor_adds_a_type_author_picks_a_template_leader_approves_for_24_months(org, new_page):
    from documents import services
    from documents.models import DocumentTemplate
    from qms.dates import months_after

    services.save_template(org.advisor, "Mal for planer", "<h2>Tiltak ved brann</h2>")
    advisor = new_page(org.advisor)
    advisor.goto("/dokumenter/")
    advisor.get_by_role("link", name="Dokumenttyper og maler").click()
    advisor.get_by_role("link", name="Ny dokumenttype").click()
    advisor.get_by_label("Navn").fill("Beredskapsplan")
    advisor.get_by_label("Kode").fill("beredskapsplan")
    advisor.get_by_label("Nummerprefiks").fill("BER")
    advisor.get_by_label("12", exact=True).check()
    advisor.get_by_label("24", exact=True).check()
    advisor.get_by_label("Standard revisjonsintervall (måneder)").select_option("12")
    advisor.get_by_label("Standardmal").select_option(label="Mal for planer")
    advisor.get_by_role("button", name="Lagre").click()
    expect(advisor.get_by_text("Dokumenttypen er lagret.")).to_be_visible()
    expect(advisor.get_by_role("cell", name="BER-0001")).to_be_visible()

    author = new_page(org.employee_a1, viewport=PHONE)
    author.goto("/dokumenter/ny/")
    author.get_by_label("Tittel").fill("Beredskapsplan for Enhet A1")
    author.get_by_label("Dokumenttype").select_option(label="Beredskapsplan")
    author.get_by_label("Mal", exact=True).select_option(label="Mal for planer")
    author.get_by_role("button", name="Lagre utkast").click()
    expect(author.get_by_text("Utkastet BER-0001 er lagret.")).to_be_visible()
    expect(author.get_by_role("heading", name="Tiltak ved brann")).to_be_visible()
    author.get_by_role("button", name="Send til godkjenning").click()
    expect(author.get_by_text("Utkastet er sendt til godkjenning.")).to_be_visible()

    leader = new_page(org.leader_a1)
    leader.goto("/dokumenter/revisjon/")
    leader.get_by_role("link", name="BER-0001 Beredskapsplan for Enhet A1").click()
    leader.get_by_label("Revisjonsintervall").select_option("24")
    leader.get_by_role("button", name="Godkjenn").click()
    expect(leader.get_by_text("Versjonen er godkjent og publisert.")).to_be_visible()
    expect(leader.get_by_text("intervall 24 måneder")).to_be_visible()
    document = Document.objects.get(number="BER-0001")
    assert document.next_revision == months_after(timezone.localdate(), 24)
    version = document.versions.get()
    assert version.template_version.template == DocumentTemplate.objects.get(name="Mal for planer")


def test_leader_returns_a_draft_with_a_comment_and_sees_clear_error(org, new_page):
    from tests.documents.factories import draft

    document = draft(org.employee_a1, org.unit_a1)
    from documents import services

    services.submit(org.employee_a1, document.versions.get())
    page = new_page(org.leader_a1)
    page.goto(f"/dokumenter/{document.pk}/versjon/1/")
    page.get_by_role("button", name="Returner").click()
    assert "Skriv hva som må endres" in page.content()
    page.get_by_label("Hva må endres?").fill("Legg til referanser.")
    page.get_by_role("button", name="Returner").click()
    assert "Utkastet er sendt tilbake til forfatteren." in page.content()


@pytest.fixture
def procedure(org):
    return published(org.employee_a1, org.leader_a1, org.unit_a1)


@pytest.mark.parametrize(
    "path",
    [
        "/dokumenter/",
        "/dokumenter/{pk}/",
        "/dokumenter/{pk}/historikk/",
        "/dokumenter/sok/?q=legemidler",
        "/dokumenter/ny/",
        "/dokumenter/revisjon/",
        "/dokumenter/{pk}/lesestatus/",
        "/dokumenter/pakrevde/",
        "/dokumenter/importer/",
        "/dokumenter/i-kraft/",
    ],
)
def test_document_pages_have_no_wcag_violations(org, procedure, new_page, path):
    page = new_page(org.leader_a1)
    page.goto(path.format(pk=procedure.pk))
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_home_with_read_list_has_no_wcag_violations(org, procedure, new_page):
    page = new_page(org.employee_a1x, viewport=PHONE)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_author_imports_a_word_file_leader_approves_employee_prints_it(org, new_page):
    """Import a .docx, send the draft for approval, approve it, then print it and save its PDF."""
    from playwright.sync_api import expect

    from tests.documents.word_samples import procedure_docx

    author = new_page(org.employee_a1)
    author.goto("/dokumenter/")
    author.get_by_role("link", name="Importer fra Word").click()
    expect(author.get_by_role("heading", name="Importer fra Word")).to_be_visible()
    author.locator('input[name="files"]').first.set_input_files(
        {
            "name": "Legemiddelhåndtering.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": procedure_docx(),
        }
    )
    expect(author.get_by_label("Eierenhet")).to_have_value(str(org.unit_a1.pk))
    author.get_by_role("button", name="Importer").click()
    expect(author.get_by_role("heading", name="Importrapport")).to_be_visible()
    expect(author.get_by_text("1 utkast er laget.")).to_be_visible()
    author.get_by_role("link", name="RUT-0001 Legemiddelhåndtering i hjemmetjenesten").click()
    expect(author.get_by_role("heading", name="Arbeidsbeskrivelse")).to_be_visible()
    expect(author.locator(".qms-doc-body table")).to_be_visible()
    expect(author.get_by_role("link", name="bilde-1.png")).to_be_visible()
    author.get_by_role("button", name="Send til godkjenning").click()
    expect(author.get_by_text("Utkastet er sendt til godkjenning.")).to_be_visible()

    document = Document.objects.get(number="RUT-0001")
    leader = new_page(org.leader_a1)
    leader.goto(f"/dokumenter/{document.pk}/versjon/1/")
    leader.get_by_role("button", name="Godkjenn", exact=True).click()
    expect(leader.get_by_text("Versjonen er godkjent og publisert.")).to_be_visible()

    reader = new_page(org.employee_a1x, viewport=PHONE)
    reader.goto(f"/dokumenter/{document.pk}/")
    expect(reader.get_by_role("button", name="Skriv ut")).to_be_visible()
    with reader.expect_download() as download_info:
        reader.get_by_role("link", name="Last ned PDF").click()
    download = download_info.value
    assert download.suggested_filename == "RUT-0001-v1-legemiddelhandtering-i-hjemmetjenesten.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read().startswith(b"%PDF-")
    # On paper: the document and its header, the printed-on line; no menu or actions.
    reader.emulate_media(media="print")
    expect(reader.locator(".qms-header")).to_be_hidden()
    expect(reader.get_by_role("heading", name="Handlinger")).to_be_hidden()
    expect(reader.get_by_text("sjekk gjeldende versjon på nett")).to_be_visible()
    expect(
        reader.get_by_role("heading", name="Legemiddelhåndtering i hjemmetjenesten")
    ).to_be_visible()
