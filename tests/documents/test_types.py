"""Document types and their number series, approvers per type, templates and their versions,
revision intervals and the required-documents coverage (documents.services, documents.coverage)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from documents import coverage, services
from documents.models import Document, DocumentType, DocumentVersion, RequiredDocument
from documents.services import TypeData, WorkflowError
from qms.dates import months_after
from tests.conftest import make_user
from tests.documents.factories import BODY, draft, published

pytestmark = pytest.mark.django_db


def doc_type(code):
    return DocumentType.objects.get(code=code)


def test_each_type_numbers_in_its_own_series(org):
    first = draft(org.employee_a1, org.unit_a1)
    procedure = draft(org.employee_a1, org.unit_a1, doc_type=doc_type("prosedyre"))
    second = draft(org.employee_a1, org.unit_a1, doc_type=doc_type("rutine"))
    plan = draft(org.employee_a1, org.unit_a1, doc_type=doc_type("plan"))
    assert [first.number, procedure.number, second.number, plan.number] == [
        "RUT-0001",
        "PRO-0001",
        "RUT-0002",
        "PLA-0001",
    ]
    assert first.doc_type.code == "rutine"  # the default type


def test_the_default_types_exist_with_their_prefixes():
    prefixes = dict(DocumentType.objects.values_list("code", "prefix"))
    assert prefixes["rutine"] == "RUT" and prefixes["styringsdokument"] == "STY"
    assert {"retningslinje", "prosedyre", "instruks", "skjema", "plan", "reglement"} <= set(
        prefixes
    ) and "funksjonsbeskrivelse" in prefixes


def test_advisor_creates_a_type_and_its_series_starts_at_one(org):
    with pytest.raises(PermissionDenied):
        services.save_type(org.leader_a1, TypeData("Protokoll", "protokoll", "PRT", [12]))
    created = services.save_type(
        org.advisor, TypeData("Protokoll", "protokoll", "prt", [24, 12], default_interval=24)
    )
    assert created.prefix == "PRT" and created.intervals == [12, 24]
    document = draft(org.employee_a1, org.unit_a1, doc_type=created)
    assert document.number == "PRT-0001"
    # A type with documents keeps its prefix; a prefix in use by another series is refused.
    with pytest.raises(WorkflowError, match="kan ikke endres"):
        services.save_type(org.advisor, TypeData("Protokoll", "protokoll", "PRO", [12]), created)
    with pytest.raises(WorkflowError, match="allerede brukt"):
        services.save_type(org.advisor, TypeData("Rutine 2", "rutine-2", "PRT", [12]))
    with pytest.raises(Exception, match="Standardintervallet"):
        services.save_type(org.advisor, TypeData("Notat", "notat", "NOT", [6], default_interval=12))


def test_an_inactive_type_cannot_be_chosen(org):
    retired = doc_type("skjema")
    DocumentType.objects.filter(pk=retired.pk).update(is_active=False)
    retired.refresh_from_db()
    with pytest.raises(WorkflowError):
        draft(org.employee_a1, org.unit_a1, doc_type=retired)


# --- approvers per type -------------------------------------------------------------------


def test_a_type_with_an_approver_group_is_approved_only_by_its_members(org, client_for, api_for):
    group = Group.objects.create(name="Kommunedirektørens ledergruppe")
    chief = make_user("kommunedirektor", org.root)
    chief.groups.add(group)
    DocumentType.objects.filter(code="styringsdokument").update(approver_group=group)
    document = draft(org.employee_a1, org.unit_a1, doc_type=doc_type("styringsdokument"))
    version = document.versions.get()
    services.submit(org.employee_a1, version)
    # The routing asks the group, not the unit's leader.
    assert services.approvers_of(document) == [chief]
    # The unit's leader would approve a «rutine» but not this one: service, page and API refuse.
    with pytest.raises(PermissionDenied):
        services.approve(org.leader_a1, version)
    page = client_for(org.leader_a1).post(f"/dokumenter/{document.pk}/versjon/1/godkjenn/", {})
    assert page.status_code == 403
    api = api_for(org.leader_a1).post(
        f"/api/v1/documents/{document.pk}/approve/", {"version": 1}, format="json"
    )
    assert api.status_code == 403
    assert DocumentVersion.objects.get(pk=version.pk).status == "in_review"
    # A member of the group approves.
    api = api_for(chief).post(
        f"/api/v1/documents/{document.pk}/approve/", {"version": 1}, format="json"
    )
    assert api.status_code == 200 and api.json()["status"] == "published"


def test_without_a_group_the_owning_units_leader_approves_as_before(org):
    document = published(org.employee_a1, org.leader_a1, org.unit_a1)
    assert document.status == "published"
    assert document.current_version.approver == org.leader_a1


# --- templates ----------------------------------------------------------------------------


def test_author_picks_a_template_and_a_later_change_does_not_rewrite_the_document(org):
    template = services.save_template(org.advisor, "Mal for planer", "<h2>Tiltak</h2><p>…</p>")
    first = template.versions.get()
    document = draft(org.employee_a1, org.unit_a1, body="", template=template)
    version = document.versions.get()
    assert version.body == "<h2>Tiltak</h2><p>…</p>" and version.template_version == first
    # Editing the template makes version 2; the document keeps the text it was written from.
    services.save_template(org.advisor, "Mal for planer", "<h2>Varsling</h2>", template)
    assert list(template.versions.values_list("number", flat=True)) == [2, 1]
    version.refresh_from_db()
    assert version.body == "<h2>Tiltak</h2><p>…</p>" and version.template_version == first
    later = draft(org.employee_a1, org.unit_a1, title="Ny plan", body="", template=template)
    assert later.versions.get().body == "<h2>Varsling</h2>"
    # Saving the same body again adds no version; only advisors keep templates.
    services.save_template(org.advisor, "Mal for planer (ny)", "<h2>Varsling</h2>", template)
    assert template.versions.count() == 2
    with pytest.raises(PermissionDenied):
        services.save_template(org.leader_a1, "Min mal", "<p>x</p>")


def test_the_types_default_template_is_used_when_none_is_chosen_and_own_text_wins(org):
    template = services.save_template(org.advisor, "Instruksmal", "<h2>Instruks</h2>")
    DocumentType.objects.filter(code="instruks").update(default_template=template)
    empty = draft(org.employee_a1, org.unit_a1, body="", doc_type=doc_type("instruks"))
    assert empty.versions.get().body == "<h2>Instruks</h2>"
    own = draft(org.employee_a1, org.unit_a1, title="Egen", doc_type=doc_type("instruks"))
    assert own.versions.get().body == BODY


# --- revision intervals -------------------------------------------------------------------


def test_approver_chooses_among_the_types_intervals(org):
    today = timezone.localdate()
    document = draft(org.employee_a1, org.unit_a1)  # rutine: 6, 12 or 24 months
    version = document.versions.get()
    services.submit(org.employee_a1, version)
    with pytest.raises(WorkflowError, match="6, 12, 24"):
        services.approve(org.leader_a1, version, revision_months=36)
    services.approve(org.leader_a1, version, revision_months=24)
    version.refresh_from_db()
    assert version.revision_months == 24
    assert version.next_revision == months_after(today, 24)
    document.refresh_from_db()
    assert document.next_revision == months_after(today, 24)
    # An earlier date within the interval is allowed; a later one is not.
    second = draft(org.employee_a1, org.unit_a1, title="To")
    v = second.versions.get()
    services.submit(org.employee_a1, v)
    with pytest.raises(WorkflowError, match="6 måneder"):
        services.approve(
            org.leader_a1,
            v,
            next_revision=months_after(today, 6) + timedelta(days=1),
            revision_months=6,
        )
    services.approve(org.leader_a1, v, next_revision=today + timedelta(days=30), revision_months=6)
    assert Document.objects.get(pk=second.pk).next_revision == today + timedelta(days=30)


def test_approve_form_offers_the_types_intervals_and_the_page_approves_for_24_months(
    org, client_for
):
    document = draft(org.employee_a1, org.unit_a1)
    services.submit(org.employee_a1, document.versions.get())
    client = client_for(org.leader_a1)
    page = client.get(f"/dokumenter/{document.pk}/versjon/1/").content.decode()
    assert "Hver 6. måned (halvårlig)" in page and "Hver 24. måned (annethvert år)" in page
    url = f"/dokumenter/{document.pk}/versjon/1/godkjenn/"
    refused = client.post(url, {"revision_months": "36"})
    assert refused.status_code == 400
    assert client.post(url, {"revision_months": "24"}).status_code == 302
    document.refresh_from_db()
    assert document.next_revision == months_after(timezone.localdate(), 24)
    shown = client.get(f"/dokumenter/{document.pk}/").content.decode()
    assert "intervall 24 måneder" in shown and "Rutine" in shown


# --- required documents and coverage ------------------------------------------------------


def test_coverage_is_missing_present_or_overdue(org):
    plan = doc_type("plan")
    requirement = services.save_requirement(
        org.advisor, title="Beredskapsplan", doc_type=plan, unit_kind="unit"
    )
    present = published(org.employee_a1, org.leader_a1, org.unit_a1, doc_type=plan)
    services.link_requirement(org.leader_a1, requirement, org.unit_a1, present)
    overdue = published(org.employee_b1, org.leader_b1, org.unit_b1, doc_type=plan)
    Document.objects.filter(pk=overdue.pk).update(
        next_revision=timezone.localdate() - timedelta(days=1)
    )
    services.link_requirement(org.advisor, requirement, org.unit_b1, overdue)
    in_draft = draft(org.advisor, org.unit_a2, doc_type=plan)
    services.link_requirement(org.advisor, requirement, org.unit_a2, in_draft)
    rows = {(r.unit.code, r.status) for r in coverage.coverage(org.root)}
    # Units of kind "unit" only: the municipality, sectors and department are not asked.
    assert rows == {("enhet-a1", "present"), ("enhet-b1", "overdue"), ("enhet-a2", "missing")}
    assert coverage.summary(coverage.coverage(org.root)) == {
        "missing": 1,
        "present": 1,
        "overdue": 1,
        "total": 3,
    }
    # A named unit's requirement applies to that unit only.
    services.save_requirement(org.advisor, title="Smittevernplan", unit=org.dept_a1x)
    assert [r.requirement.title for r in coverage.coverage(org.dept_a1x)] == ["Smittevernplan"]


def test_linking_is_checked(org):
    requirement = services.save_requirement(
        org.advisor, title="Beredskapsplan", doc_type=doc_type("plan"), unit=org.unit_a1
    )
    rutine = published(org.employee_a1, org.leader_a1, org.unit_a1)
    with pytest.raises(WorkflowError, match="riktig type"):
        services.link_requirement(org.leader_a1, requirement, org.unit_a1, rutine)
    elsewhere = published(org.employee_b1, org.leader_b1, org.unit_b1, doc_type=doc_type("plan"))
    with pytest.raises(WorkflowError):
        services.link_requirement(org.advisor, requirement, org.unit_a1, elsewhere)
    with pytest.raises(PermissionDenied):  # not a leader of Enhet A1
        services.link_requirement(org.leader_b1, requirement, org.unit_a1, None)
    with pytest.raises(PermissionDenied):
        services.save_requirement(org.leader_a1, title="X", unit_kind="unit")
    with pytest.raises(Exception, match="enten et nivå"):
        services.save_requirement(org.advisor, title="X", unit_kind="unit", unit=org.unit_a1)


def test_coverage_page_and_api(org, client_for, api_for):
    requirement = RequiredDocument.objects.create(
        title="Beredskapsplan", doc_type=doc_type("plan"), unit_kind="unit"
    )
    plan = published(org.employee_a1, org.leader_a1, org.unit_a1, doc_type=doc_type("plan"))
    client = client_for(org.leader_a)
    field = f"r{requirement.pk}-u{org.unit_a1.pk}-document"
    r = client.post(f"/dokumenter/pakrevde/{requirement.pk}/{org.unit_a1.pk}/", {field: plan.pk})
    assert r.status_code == 302
    page = client.get(f"/dokumenter/pakrevde/?enhet={org.sector_a.pk}").content.decode()
    assert "1 av 2 på plass, 1 mangler, 0 over revisjonsdato." in page
    assert "Enhet A1" in page and "Enhet A2" in page and "Enhet B1" not in page
    data = api_for(org.leader_a).get(f"/api/v1/required-documents/coverage/?unit={org.sector_a.pk}")
    assert data.status_code == 200
    assert {(row["unit"]["name"], row["status"]) for row in data.json()} == {
        ("Enhet A1", "present"),
        ("Enhet A2", "missing"),
    }
    assert (
        api_for(org.leader_a).get("/api/v1/required-documents/coverage/?unit=x").status_code == 400
    )
    other = api_for(org.leader_a).get(f"/api/v1/required-documents/coverage/?unit={org.unit_b1.pk}")
    assert other.status_code == 404


def test_create_page_offers_types_and_templates_and_uses_the_chosen_template(org, client_for):
    template = services.save_template(org.advisor, "Mal for planer", "<h2>Tiltak</h2>")
    client = client_for(org.employee_a1)
    page = client.get("/dokumenter/ny/").content.decode()
    assert "Dokumenttype" in page and "Mal for planer" in page and "Funksjonsbeskrivelse" in page
    r = client.post(
        "/dokumenter/ny/",
        {
            "title": "Beredskapsplan",
            "unit": org.unit_a1.pk,
            "doc_type": doc_type("plan").pk,
            "template": template.pk,
            "read_deadline_days": 14,
            "body": "",
        },
    )
    assert r.status_code == 302
    document = Document.objects.get(title="Beredskapsplan")
    assert document.number == "PLA-0001"
    assert document.versions.get().body == "<h2>Tiltak</h2>"
