"""Word import: sample .docx files made with python-docx (title, headings, a table, lists, an
image) become drafts whose text and structure match; a ZIP's folders map to processes; bad
files get clear errors and nothing half-imported; only the normal approval publishes."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as WordDocument

from documents import services, word_import
from documents.models import Document, DocumentVersion, Process
from tests.documents.word_samples import procedure_docx, zip_of

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(name, data, content_type=DOCX):
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_import(client, org, *files, process=None):
    data = {"unit": org.unit_a1.pk, "files": list(files)}
    if process is not None:
        data["process"] = process.pk
    return client.post("/dokumenter/importer/", data)


def test_a_word_file_becomes_a_draft_with_its_structure_and_its_image(org, client_for):
    client = client_for(org.employee_a1)
    assert "Importer fra Word" in client.get("/dokumenter/").content.decode()
    response = post_import(client, org, upload("legemidler.docx", procedure_docx()))
    assert response.status_code == 200
    page = response.content.decode()
    document = Document.objects.get()
    assert document.title == "Legemiddelhåndtering i hjemmetjenesten"
    assert document.status == Document.Status.DRAFT
    assert document.unit == org.unit_a1 and document.created_by == org.employee_a1
    assert f'href="/dokumenter/{document.pk}/versjon/1/"' in page
    assert "dokumentnummer i filen: RUT-0042" in page
    version = document.versions.get()
    assert version.status == DocumentVersion.Status.DRAFT
    body = version.body
    assert "<h2>Formål</h2>" in body and "<h3>Ansvar</h3>" in body
    assert "<h2>Arbeidsbeskrivelse</h2>" in body
    assert (
        "<ol><li>Kontroller dosett mot kurve</li><li>Gi legemidlet</li>"
        "<li>Signer i kurven</li></ol>"
    ) in body
    assert "<ul><li>Hansker</li><li>Dosett</li></ul>" in body
    assert "<table>" in body and "<td><p>Sykepleier</p></td>" in body
    assert "Legemiddelhåndtering i hjemmetjenesten" not in body  # the title is not repeated
    assert "[Bilde 1: se vedlegget bilde-1.png]" in body
    assert "<img" not in body
    assert "Sikre riktig og trygg håndtering av legemidler." in version.body_text
    attachment = version.attachments.get()
    assert attachment.name == "bilde-1.png" and attachment.content_type == "image/png"
    with attachment.file.open("rb") as fh:
        assert fh.read().startswith(b"\x89PNG")
    assert "Dokumentnummer i filen: RUT-0042" in version.change_summary
    assert "legemidler.docx" in version.change_summary


def test_the_title_comes_from_the_file_properties_or_the_file_name(org):
    converted = word_import.convert_docx(
        procedure_docx(title="Smittevern", number=None, title_style=False), "x.docx"
    )
    assert converted.title == "Smittevern" and converted.number == ""
    assert converted.body.startswith("<h2>Formål</h2>")
    named = word_import.convert_docx(
        procedure_docx(title="", number=None, title_style=False), "RUT-0007 Brannvern.docx"
    )
    assert named.number == "RUT-0007"


def test_an_imported_draft_is_published_only_through_the_normal_approval(org):
    report = word_import.import_word_files(
        org.employee_a1, [upload("a.docx", procedure_docx())], unit=org.unit_a1
    )
    document = report.created[0].document
    version = document.versions.get()
    assert not DocumentVersion.objects.in_force_on(version.created_at.date()).exists()
    with pytest.raises(services.WorkflowError):
        services.approve(org.leader_a1, version)  # not submitted yet
    services.submit(org.employee_a1, version)
    with pytest.raises(PermissionDenied):
        services.approve(org.employee_b1, version)
    services.approve(org.leader_a1, version)
    document.refresh_from_db()
    assert document.status == Document.Status.PUBLISHED


def test_who_may_import_is_who_may_create_a_document_in_the_unit(org, client_for):
    with pytest.raises(PermissionDenied):
        word_import.import_word_files(
            org.employee_b1, [upload("a.docx", procedure_docx())], unit=org.unit_a1
        )
    # The form offers only the units one may create in: another unit is not a choice.
    response = post_import(client_for(org.employee_b1), org, upload("a.docx", procedure_docx()))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert client_for(org.admin).get("/dokumenter/importer/").status_code == 403
    assert not Document.objects.exists()


def processes():
    services_root = Process.objects.add_root({"name": "Tjenesteprosesser", "code": "tjenester"})
    health = Process.objects.add_child(
        services_root, {"name": "Helse og omsorg", "code": "helse-og-omsorg"}
    )
    support = Process.objects.add_root({"name": "Støtteprosesser", "code": "stotte"})
    return services_root, health, support


def test_a_zip_of_a_folder_tree_maps_folders_to_processes(org, client_for):
    services_root, health, support = processes()
    archive = zip_of(
        {
            "Rutiner/Tjenesteprosesser/Helse og omsorg/legemidler.docx": procedure_docx(
                title="Legemidler"
            ),
            "Rutiner/Tjenesteprosesser/hjemmetjeneste.docx": procedure_docx(title="Hjemmetjeneste"),
            "Rutiner/Gamle rutiner/arkiv.docx": procedure_docx(title="Arkiv"),
            "Rutiner/helse_og_omsorg/smitte.docx": procedure_docx(title="Smittevern"),
            "Rutiner/notater.txt": b"ikke et dokument",
            "__MACOSX/Rutiner/._legemidler.docx": b"mac",
            "Rutiner/~$midlertidig.docx": b"word lock file",
        }
    )
    client = client_for(org.employee_a1)
    response = post_import(
        client, org, upload("rutiner.zip", archive, "application/zip"), process=support
    )
    assert response.status_code == 200
    found = {d.title: d.process for d in Document.objects.all()}
    assert found == {
        "Legemidler": health,
        "Hjemmetjeneste": services_root,
        "Arkiv": support,  # no process by that name: the chosen one
        "Smittevern": health,  # matched by code, spacing and case ignored
    }
    page = response.content.decode()
    assert "Mappen «Rutiner/Gamle rutiner» svarer ikke til noen prosess" in page
    assert "Hoppet over «Rutiner/notater.txt»" in page
    assert "midlertidig" not in page and "__MACOSX" not in page


def test_a_damaged_file_is_reported_and_the_others_are_imported(org, client_for):
    client = client_for(org.employee_a1)
    response = post_import(
        client,
        org,
        upload("skadet.docx", b"PK\x03\x04" + b"\x00" * 200),
        upload("god.docx", procedure_docx(title="God rutine")),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "«skadet.docx» er ikke en gyldig Word-fil (.docx). Er den skadet?" in page
    assert list(Document.objects.values_list("title", flat=True)) == ["God rutine"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("gammel.doc", b"\xd0\xcf\x11\xe0", "Lagre den som .docx i Word først."),
        ("rutine.pdf", b"%PDF-1.7", "er ikke en Word-fil (.docx) eller en ZIP-fil"),
        ("tom.zip", zip_of({"les-meg.txt": b"hei"}), "Fant ingen Word-filer (.docx)"),
        ("ødelagt.zip", b"not a zip", "er ikke en gyldig ZIP-fil"),
    ],
)
def test_files_that_are_not_word_files_are_refused_with_a_clear_error(
    org, client_for, name, data, message
):
    response = post_import(client_for(org.employee_a1), org, upload(name, data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "files" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_zip_bomb_is_refused_on_the_bytes_read_not_the_headers(org, monkeypatch):
    monkeypatch.setitem(word_import.LIMITS, "zip_unpacked", 300_000)
    bomb = zip_of({f"mappe/{n}.docx": b"\x00" * 200_000 for n in range(3)})  # compresses to little
    assert len(bomb) < 5_000
    with pytest.raises(word_import.ImportRefused, match="for stor utpakket"):
        word_import.import_word_files(
            org.employee_a1, [upload("bombe.zip", bomb, "application/zip")], unit=org.unit_a1
        )
    assert not Document.objects.exists()


def test_too_many_files_in_a_zip_or_too_large_an_upload_is_refused(org, monkeypatch):
    monkeypatch.setitem(word_import.LIMITS, "zip_files", 2)
    many = zip_of({f"{n}.docx": procedure_docx(image=False) for n in range(3)})
    with pytest.raises(word_import.ImportRefused, match="høyst 2 kan importeres"):
        word_import.import_word_files(
            org.employee_a1, [upload("mange.zip", many, "application/zip")], unit=org.unit_a1
        )
    separate = [upload(f"{n}.docx", procedure_docx(image=False)) for n in range(3)]
    with pytest.raises(word_import.ImportRefused, match="Høyst 2 Word-filer"):
        word_import.import_word_files(org.employee_a1, separate, unit=org.unit_a1)
    monkeypatch.setitem(word_import.LIMITS, "docx_bytes", 1000)
    with pytest.raises(word_import.ImportRefused, match="er for stor"):
        word_import.import_word_files(
            org.employee_a1, [upload("stor.docx", procedure_docx())], unit=org.unit_a1
        )
    assert not Document.objects.exists()


def test_a_docx_that_unpacks_too_large_is_refused(org, monkeypatch):
    monkeypatch.setitem(word_import.LIMITS, "docx_unpacked", 10_000)
    converted = None
    with pytest.raises(word_import.ImportRefused, match="for stor utpakket"):
        converted = word_import.convert_docx(procedure_docx(), "stor.docx")
    assert converted is None


def test_scripts_in_a_word_file_never_reach_the_body(org):
    doc = WordDocument()
    doc.add_heading("Rutine", level=0)
    doc.add_paragraph('<script>alert(1)</script><img src=x onerror="x()">')
    out = io.BytesIO()
    doc.save(out)
    converted = word_import.convert_docx(out.getvalue(), "x.docx")
    assert "<script" not in converted.body and "<img" not in converted.body
    assert "&lt;script&gt;" in converted.body  # typed text stays text
