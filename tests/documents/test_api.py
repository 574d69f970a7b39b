from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import DocumentVersion
from tests.documents.factories import draft, published

pytestmark = pytest.mark.django_db


def test_list_filters_by_unit_process_status_and_text(org, api_for):
    a = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Legemiddelhåndtering")
    b = published(
        org.employee_b1, org.leader_b1, org.unit_b1, title="Brannvern", body="<p>Rømningsveier</p>"
    )
    draft(org.employee_a1, org.unit_a1, title="Utkast")
    api = api_for(org.employee_b1)
    ids = lambda r: [d["id"] for d in r.json()["results"]]  # noqa: E731
    assert ids(api.get("/api/v1/documents/")) == [a.pk, b.pk]
    assert ids(api.get(f"/api/v1/documents/?unit={org.sector_a.pk}")) == [a.pk]
    assert ids(api.get("/api/v1/documents/?text=rømningsveier")) == [b.pk]
    assert ids(api.get("/api/v1/documents/?status=draft")) == []
    assert ids(api_for(org.leader_a1).get("/api/v1/documents/?status=draft")) != []
    assert api.get("/api/v1/documents/?unit=999999").json()["results"] == []


def test_workflow_through_the_api(org, api_for):
    document = draft(org.employee_a1, org.unit_a1)
    author, leader = api_for(org.employee_a1), api_for(org.leader_a1)
    assert author.post(f"/api/v1/documents/{document.pk}/submit/").status_code == 200
    bad_date = (timezone.localdate() + timedelta(days=400)).isoformat()
    r = leader.post(
        f"/api/v1/documents/{document.pk}/approve/", {"version": 1, "next_revision": bad_date}
    )
    assert r.status_code == 409 and "12 måneder" in r.json()["detail"]
    r = leader.post(f"/api/v1/documents/{document.pk}/approve/", {"version": 1})
    assert r.status_code == 200 and r.json()["status"] == "published"
    again = leader.post(f"/api/v1/documents/{document.pk}/approve/", {"version": 1})
    assert again.status_code == 409
    r = author.post(f"/api/v1/documents/{document.pk}/start-revision/")
    assert r.status_code == 201 and r.json()["number"] == 2
    versions = api_for(org.employee_b1).get(f"/api/v1/documents/{document.pk}/versions/").json()
    assert [v["number"] for v in versions["results"]] == [1]
    r = author.post(f"/api/v1/documents/{document.pk}/confirm-read/")
    assert r.status_code == 200 and r.json()["confirmed_at"]


def test_bad_input_gets_400_not_500(org, api_for):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    leader = api_for(org.leader_a1)
    url = f"/api/v1/documents/{document.pk}/approve/"
    assert leader.post(url, {"version": "x"}).status_code == 400
    assert leader.post(url, {"version": 1, "next_revision": "31.02.2027"}).status_code == 400
    assert leader.post(url, {"version": 99}).status_code == 404
    assert api_for(org.leader_a1).get("/api/v1/documents/999999/").status_code == 404
    assert DocumentVersion.objects.filter(document=document, status="published").count() == 1


def test_list_runs_a_constant_number_of_queries(org, api_for, django_assert_max_num_queries):
    for i in range(12):
        published(org.employee_a1, org.leader_a1, org.unit_a1, title=f"Rutine {i}")
    api = api_for(org.employee_b1)
    with django_assert_max_num_queries(8):
        r = api.get("/api/v1/documents/?page_size=50")
    assert len(r.json()["results"]) == 12


def test_versions_of_an_invisible_document_are_404(org, api_for):
    # The parent is fetched through the layer (it used to answer an empty 200 list).
    document = draft(org.employee_a1, org.unit_a1)
    url = f"/api/v1/documents/{document.pk}/versions/"
    assert [v["number"] for v in api_for(org.employee_a1).get(url).json()["results"]] == [1]
    assert api_for(org.employee_b1).get(url).status_code == 404
    assert api_for(org.employee_b1).get(f"{url}1/").status_code == 404


# --- Print, documents in force, Word import ----------------------------------------------


def test_the_pdf_of_a_version_through_the_api(org, api_for):
    from documents import services

    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    services.start_revision(org.employee_a1, document)
    url = f"/api/v1/documents/{document.pk}/versions/1/pdf/"
    response = api_for(org.employee_b1).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # The open draft (version 2) is the author's and the leaders', not an outsider's.
    draft_pdf = f"/api/v1/documents/{document.pk}/versions/2/pdf/"
    assert api_for(org.employee_b1).get(draft_pdf).status_code == 404
    assert api_for(org.leader_a1).get(draft_pdf).content.startswith(b"%PDF-")


def test_the_documents_in_force_on_a_date_through_the_api(org, api_for):
    from tests.documents.test_in_force import two_documents

    a1, b1 = two_documents(org)
    api = api_for(org.employee_b1)
    rows = api.get("/api/v1/documents/in-force/?date=2025-03-01").json()["results"]
    assert [(r["document_number"], r["number"]) for r in rows] == [
        (a1.number, 1),
        (b1.number, 1),
    ]
    today = api.get(f"/api/v1/documents/in-force/?unit={org.unit_a1.pk}").json()["results"]
    assert [(r["document"], r["number"]) for r in today] == [(a1.pk, 2)]
    assert api.get("/api/v1/documents/in-force/?date=igår").status_code == 400
    assert api.get("/api/v1/documents/in-force/?unit=999999").json()["results"] == []


def test_word_import_through_the_api(org, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.models import Document
    from tests.documents.word_samples import procedure_docx

    def files(*items):
        return [SimpleUploadedFile(name, data) for name, data in items]

    api = api_for(org.employee_a1)
    response = api.post(
        "/api/v1/documents/import/",
        {"unit": org.unit_a1.pk, "files": files(("a.docx", procedure_docx()))},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    result = response.json()["results"][0]
    document = Document.objects.get()
    assert result["document"] == document.pk and result["number_in_file"] == "RUT-0042"
    assert result["attachments"] == 1 and result["error"] == ""
    assert document.status == "draft"
    refused = api.post(
        "/api/v1/documents/import/",
        {"unit": org.unit_a1.pk, "files": files(("a.pdf", b"%PDF-1.7"))},
        format="multipart",
    )
    assert refused.status_code == 400 and "ikke en Word-fil" in refused.json()["files"][0]
    other_unit = api.post(
        "/api/v1/documents/import/",
        {"unit": org.unit_b1.pk, "files": files(("a.docx", procedure_docx()))},
        format="multipart",
    )
    assert other_unit.status_code == 403
    as_json = api.post("/api/v1/documents/import/", {"unit": org.unit_a1.pk}, format="json")
    assert as_json.status_code == 415
    assert Document.objects.count() == 1
