"""Authorization rows for the documents module's pages and endpoints (see tests/authz.py).

Objects (built by ``objects``): a published procedure, a draft and one in review, all owned by
Enhet A1 and written by employee_a1; the published one approved by leader_a1, with a read round
for Enhet A1's people, and an attachment on the published and on the draft version.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.authz import API_ANON, HANDBOOK_ROLES, LOGIN, Row, everyone

HIDDEN = {"sibling_employee": 404, "sibling_leader": 404, "committee": 404}


def objects(org, users) -> dict:
    from documents import services
    from documents.models import Attachment, Document
    from tests.documents.factories import draft, published

    pub = published(org.employee_a1, org.leader_a1, org.unit_a1)
    dr = draft(org.employee_a1, org.unit_a1, title="Utkast")
    rv = draft(org.employee_a1, org.unit_a1, title="Til godkjenning")
    services.submit(org.employee_a1, rv.versions.get())
    pub_att = Attachment.objects.create(
        version=pub.current_version,
        file=ContentFile(b"hei", name="hei.txt"),
        name="hei.txt",
        content_type="text/plain",
        size=3,
    )
    draft_att = Attachment.objects.create(
        version=dr.versions.get(),
        file=ContentFile(b"hei", name="utkast.txt"),
        name="utkast.txt",
        content_type="text/plain",
        size=3,
    )
    draft_b = draft(org.employee_b1, org.unit_b1, title="Utkast B1")
    # Due for revision in ten days, with employee_a1 as revision responsible.
    due_a1 = _approved(draft(org.employee_a1, org.unit_a1, title="Brannvern"), org.leader_a1)
    # Enhet B1's, overdue, with the A2 member (foreign_responsible) as revision responsible.
    overdue_b1 = _approved(draft(org.employee_b1, org.unit_b1, title="Smittevern"), org.leader_b1)
    today = timezone.localdate()
    Document.objects.filter(pk=due_a1.pk).update(
        next_revision=today + timedelta(days=10), revision_responsible=org.employee_a1
    )
    Document.objects.filter(pk=overdue_b1.pk).update(
        next_revision=today - timedelta(days=5), revision_responsible=users["foreign_responsible"]
    )
    # Published, with a draft revision under way (version 2).
    revised = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Hygiene")
    services.start_revision(org.employee_a1, revised)
    # Configuration: a template, the «rutine» type and a requirement of Enhet A1.
    from documents.models import DocumentType, RequiredDocument

    template = services.save_template(None, "Mal", "<h2>Formål</h2>", check=False)
    requirement = RequiredDocument.objects.create(title="Beredskapsplan", unit=org.unit_a1)
    return {
        "template": template,
        "rutine": DocumentType.objects.get(code="rutine"),
        "requirement": requirement,
        "bundle": _bundle(org.employee_a1),
        "due_a1": due_a1,
        "overdue_b1": overdue_b1,
        "revised": revised,
        "revised_v1": revised.versions.get(number=1),
        "revised_v2": revised.versions.get(number=2),
        "pub": pub,
        "draft": dr,
        "review": rv,
        "draft_b": draft_b,
        "pub_att": pub_att,
        "draft_att": draft_att,
    }


def _bundle(user):
    """A ready bundle of the documents in force, asked for by ``user``."""
    from django.core.files.storage import default_storage

    from documents.models import InForceBundle
    from documents.printing import BUNDLE_PREFIX

    bundle = InForceBundle.objects.create(
        day=timezone.localdate(), requested_by=user, status=InForceBundle.Status.READY, documents=0
    )
    bundle.file = default_storage.save(
        f"{BUNDLE_PREFIX}{bundle.uid}.pdf", ContentFile(b"%PDF-1.7 test")
    )
    bundle.save(update_fields=["file"])
    return bundle


def _word_files(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.word_samples import procedure_docx

    docx = procedure_docx(image=False)
    return {"unit": ctx["org"].unit_a1.pk, "files": [SimpleUploadedFile("rutine.docx", docx)]}


def _approved(document, approver):
    from documents import services

    version = document.versions.get()
    services.submit(version.author, version)
    services.approve(approver, version)
    return document


DOCUMENTS = ("pub", "draft", "review", "draft_b")
# Drafts and documents in review are seen by their author, the leaders of the owning unit and
# advisors; published ones by everyone (docs/design.md §3).
A1_DRAFTS = ("pub", "draft", "review")
LISTED = {
    "*": A1_DRAFTS,
    "sibling_employee": ("pub", "draft_b"),
    "sibling_leader": ("pub", "draft_b"),
    "committee": ("pub",),
    "handler": ("pub",),
    "foreign_responsible": ("pub",),
    "grantee": ("pub",),
    # Members of Enhet B1 who wrote nothing (the read-only roles among them: published only).
    **dict.fromkeys(HANDBOOK_ROLES, ("pub",)),
    "advisor": DOCUMENTS,
    "admin": DOCUMENTS,
}


def _next_revision(ctx):
    return {"next_revision": (timezone.localdate() + timedelta(days=30)).isoformat()}


# "Revisjon og godkjenning": documents due or overdue for revision in the subtrees one leads
# (all for advisors) or that one is revision responsible for, and versions one may approve.
REVISIONS = ("due_a1", "overdue_b1", "review", "pub", "draft_b")
A1_LEADS = ("due_a1", "review")
REVISION_LIST = {
    "*": (),
    "employee": ("due_a1",),
    "leader": A1_LEADS,
    "deputy": A1_LEADS,
    "sector_leader": A1_LEADS,
    "advisor": ("due_a1", "overdue_b1"),
    "sibling_leader": ("overdue_b1",),
    "foreign_responsible": ("overdue_b1",),
}
# A version in review is linked by its own page, below the document's.
DOCUMENT_OR_VERSION = {"marker": lambda d: f'href="{d.get_absolute_url()}'}
# The read list: the published documents whose read round one is in (the owning unit's people).
READ_LIST = {
    "*": (),
    "employee": ("pub",),
    "leader": ("pub",),
    "deputy": ("pub",),
    "sibling_employee": ("overdue_b1",),
    "sibling_leader": ("overdue_b1",),
    "grantee": ("overdue_b1",),
}
# Versions of a published document under revision: the draft only for those who work on it.
VERSIONS = ("revised_v1", "revised_v2")
BOTH = VERSIONS
VERSION_LIST = {
    "*": ("revised_v1",),
    "employee": BOTH,
    "leader": BOTH,
    "deputy": BOTH,
    "sector_leader": BOTH,
    "advisor": BOTH,
    "admin": BOTH,
}

DRAFT_VIEW = {"*": 200, "anonymous": LOGIN, **HIDDEN}
DRAFT_CHANGE = {"*": 302, "anonymous": LOGIN, "admin": 403, **HIDDEN}
APPROVE = {"*": 403, "anonymous": LOGIN, "leader": 302, **HIDDEN}
# Who may create a document in Enhet A1: its members and leaders (the deputy and the sector
# leader above too), and quality advisors.
A1_CREATORS = ("employee", "leader", "deputy", "sector_leader", "advisor")
OWN_BUNDLE = {"*": 404, "anonymous": LOGIN, "employee": 200}
PUBLISHED_CHANGE = {"*": 403, "anonymous": LOGIN, "employee": 302, "leader": 302, "advisor": 302}

ROWS = [
    # The browser lists published documents; drafts only when asked for.
    Row(
        "documents:index",
        lambda c: "/dokumenter/",
        everyone(200),
        among=DOCUMENTS,
        shows={"*": ("pub",)},
    ),
    Row(
        "documents:index",
        lambda c: "/dokumenter/?status=draft",
        everyone(200),
        label="drafts",
        among=DOCUMENTS,
        shows={
            role: tuple(k for k in keys if k in ("draft", "draft_b"))
            for role, keys in LISTED.items()
        },
    ),
    Row("documents:search", lambda c: "/dokumenter/sok/?q=legemidler", everyone(200)),
    Row("documents:create", lambda c: "/dokumenter/ny/", everyone(200, admin=403)),
    # An empty form is shown again with its errors to whoever may create; the rest are refused.
    Row(
        "documents:create",
        lambda c: "/dokumenter/ny/",
        everyone(200, admin=403),
        method="post",
        label="empty form",
    ),
    Row(
        "documents:revisions",
        lambda c: "/dokumenter/revisjon/",
        everyone(200),
        among=REVISIONS,
        shows=REVISION_LIST,
        **DOCUMENT_OR_VERSION,
    ),
    Row(
        "documents:read_list",
        lambda c: "/dokumenter/leseliste/",
        everyone(200),
        among=("pub", "overdue_b1", "draft_b"),
        shows=READ_LIST,
    ),
    Row(
        "documents:detail",
        lambda c: f"/dokumenter/{c['pub'].pk}/",
        everyone(200),
        label="published",
    ),
    Row("documents:detail", lambda c: f"/dokumenter/{c['draft'].pk}/", DRAFT_VIEW, label="draft"),
    Row(
        "documents:version",
        lambda c: f"/dokumenter/{c['pub'].pk}/versjon/1/",
        everyone(200),
        label="published",
    ),
    Row(
        "documents:version",
        lambda c: f"/dokumenter/{c['review'].pk}/versjon/1/",
        DRAFT_VIEW,
        label="in review",
    ),
    Row(
        "documents:approve",
        lambda c: f"/dokumenter/{c['review'].pk}/versjon/1/godkjenn/",
        APPROVE,
        method="post",
        data=_next_revision,
    ),
    Row(
        "documents:return",
        lambda c: f"/dokumenter/{c['review'].pk}/versjon/1/returner/",
        APPROVE,
        method="post",
        data=lambda c: {"comment": "Mangler referanser"},
    ),
    Row(
        "documents:version_pdf",
        lambda c: f"/dokumenter/{c['pub'].pk}/versjon/1/pdf/",
        everyone(200),
        label="published",
    ),
    Row(
        "documents:version_pdf",
        lambda c: f"/dokumenter/{c['draft'].pk}/versjon/1/pdf/",
        DRAFT_VIEW,
        label="draft",
    ),
    # Import: whoever may create a document somewhere; the unit list offers only those units,
    # so posting for Enhet A1 from elsewhere shows the form again with the error.
    Row("documents:import", lambda c: "/dokumenter/importer/", everyone(200, admin=403)),
    Row(
        "documents:import",
        lambda c: "/dokumenter/importer/",
        everyone(200, admin=403),
        method="post",
        data=_word_files,
    ),
    # Documents in force today: published versions only, never a draft or one in review.
    Row(
        "documents:in_force",
        lambda c: "/dokumenter/i-kraft/",
        everyone(200),
        among=DOCUMENTS,
        shows={"*": ("pub",)},
        **DOCUMENT_OR_VERSION,
    ),
    Row(
        "documents:request_bundle",
        lambda c: "/dokumenter/i-kraft/samlet/",
        everyone(302),
        method="post",
        data=lambda c: {"bundle-dato": timezone.localdate().isoformat(), "bundle-format": "zip"},
    ),
    # A bundle holds what its requester may see: only they open and download it.
    Row("documents:bundle", lambda c: c["bundle"].get_absolute_url(), OWN_BUNDLE),
    Row(
        "documents:bundle_download",
        lambda c: f"{c['bundle'].get_absolute_url()}fil/",
        OWN_BUNDLE,
    ),
    Row("documents:history", lambda c: f"/dokumenter/{c['pub'].pk}/historikk/", everyone(200)),
    Row(
        "documents:history",
        lambda c: f"/dokumenter/{c['draft'].pk}/historikk/",
        DRAFT_VIEW,
        label="draft",
    ),
    Row(
        "documents:compare",
        lambda c: f"/dokumenter/{c['pub'].pk}/sammenlign/?fra=1&til=1",
        everyone(200),
    ),
    Row(
        "documents:edit",
        lambda c: f"/dokumenter/{c['draft'].pk}/rediger/",
        {**DRAFT_VIEW, "admin": 403},
    ),
    Row(
        "documents:edit",
        lambda c: f"/dokumenter/{c['draft'].pk}/rediger/",
        {**DRAFT_VIEW, "admin": 403},
        method="post",
        label="empty form",
    ),
    Row(
        "documents:submit",
        lambda c: f"/dokumenter/{c['draft'].pk}/send/",
        DRAFT_CHANGE,
        method="post",
    ),
    Row(
        "documents:start_revision",
        lambda c: f"/dokumenter/{c['pub'].pk}/revider/",
        PUBLISHED_CHANGE,
        method="post",
    ),
    Row(
        "documents:archive",
        lambda c: f"/dokumenter/{c['pub'].pk}/arkiver/",
        {"*": 403, "anonymous": LOGIN, "leader": 302, "advisor": 302},
        method="post",
    ),
    # Only those on the read list (Enhet A1's members: the deputy too, not the sector leader
    # above) have a receipt to confirm.
    Row(
        "documents:confirm_read",
        lambda c: f"/dokumenter/{c['pub'].pk}/lest/",
        {"*": 404, "anonymous": LOGIN, "employee": 302, "leader": 302, "sector_leader": 404},
        method="post",
    ),
    Row(
        "documents:read_status",
        lambda c: f"/dokumenter/{c['pub'].pk}/lesestatus/",
        {"*": 403, "anonymous": LOGIN, "leader": 200, "advisor": 200},
    ),
    Row(
        "documents:upload_attachment",
        lambda c: f"/dokumenter/{c['draft'].pk}/vedlegg/",
        DRAFT_CHANGE,
        method="post",
    ),
    Row(
        "documents:attachment",
        lambda c: f"/dokumenter/vedlegg/{c['pub_att'].pk}/",
        everyone(200),
        label="published",
    ),
    Row(
        "documents:attachment",
        lambda c: f"/dokumenter/vedlegg/{c['draft_att'].pk}/",
        DRAFT_VIEW,
        label="draft",
    ),
    Row(
        "documents:remove_attachment",
        lambda c: f"/dokumenter/vedlegg/{c['draft_att'].pk}/slett/",
        DRAFT_CHANGE,
        method="post",
    ),
]

API_HIDDEN = {"anonymous": API_ANON, **HIDDEN}
API = "/api/v1/documents"

ROWS += [
    Row(
        "document-list",
        lambda c: f"{API}/",
        everyone(200, API_ANON),
        api=True,
        among=DOCUMENTS,
        shows=LISTED,
    ),
    Row(
        "document-list",
        lambda c: f"{API}/?text=legemidler&status=published",
        everyone(200, API_ANON),
        api=True,
        label="filtered",
    ),
    Row("document-detail", lambda c: f"{API}/{c['pub'].pk}/", everyone(200, API_ANON), api=True),
    Row(
        "document-detail",
        lambda c: f"{API}/{c['draft'].pk}/",
        {"*": 200, **API_HIDDEN},
        api=True,
        label="draft",
    ),
    Row(
        "document-version-list",
        lambda c: f"{API}/{c['revised'].pk}/versions/",
        everyone(200, API_ANON),
        api=True,
        label="published, with a draft revision",
        among=VERSIONS,
        shows=VERSION_LIST,
    ),
    Row(
        "document-version-detail",
        lambda c: f"{API}/{c['pub'].pk}/versions/1/",
        everyone(200, API_ANON),
        api=True,
    ),
    Row(
        "document-version-detail",
        lambda c: f"{API}/{c['draft'].pk}/versions/1/",
        {"*": 200, **API_HIDDEN},
        api=True,
        label="draft",
    ),
    Row(
        "document-version-pdf",
        lambda c: f"{API}/{c['pub'].pk}/versions/1/pdf/",
        everyone(200, API_ANON),
        api=True,
    ),
    Row(
        "document-version-pdf",
        lambda c: f"{API}/{c['draft'].pk}/versions/1/pdf/",
        {"*": 200, **API_HIDDEN},
        api=True,
        label="draft",
    ),
    Row(
        "document-in-force",
        lambda c: f"{API}/in-force/",
        everyone(200, API_ANON),
        api=True,
    ),
    Row(
        "document-word-import",
        lambda c: f"{API}/import/",
        {"*": 403, "anonymous": API_ANON, **dict.fromkeys(A1_CREATORS, 201)},
        method="post",
        data=_word_files,
        api=True,
        multipart=True,
    ),
    Row(
        "document-submit",
        lambda c: f"{API}/{c['draft'].pk}/submit/",
        {"*": 200, "admin": 403, **API_HIDDEN},
        method="post",
        api=True,
    ),
    Row(
        "document-approve",
        lambda c: f"{API}/{c['review'].pk}/approve/",
        {"*": 403, "leader": 200, **API_HIDDEN},
        method="post",
        data=lambda c: {"version": 1},
        api=True,
    ),
    Row(
        "document-return-version",
        lambda c: f"{API}/{c['review'].pk}/return/",
        {"*": 403, "leader": 200, **API_HIDDEN},
        method="post",
        data=lambda c: {"version": 1, "comment": "Mangler referanser"},
        api=True,
    ),
    Row(
        "document-start-revision",
        lambda c: f"{API}/{c['pub'].pk}/start-revision/",
        {"*": 403, "anonymous": API_ANON, "employee": 201, "leader": 201, "advisor": 201},
        method="post",
        api=True,
    ),
    Row(
        "document-confirm-read",
        lambda c: f"{API}/{c['pub'].pk}/confirm-read/",
        {"*": 404, "anonymous": API_ANON, "employee": 200, "leader": 200, "sector_leader": 404},
        method="post",
        api=True,
    ),
]

# Document types, templates and the register of required documents are kept by advisors;
# the required-documents coverage is seen by leaders (their subtrees) and advisors.
ADVISOR_ONLY = {"*": 403, "anonymous": LOGIN, "advisor": 200}
LEADERS = {
    "*": 403,
    "anonymous": LOGIN,
    "leader": 200,
    "sibling_leader": 200,
    "advisor": 200,
}
# Linking Enhet A1's requirement: the leaders above A1 and advisors; for anyone else A1 is not
# among the units whose coverage they see.
LINK = {"*": 404, "anonymous": LOGIN, "leader": 302, "advisor": 302, "sibling_leader": 404}


def _link_data(c):
    return {f"r{c['requirement'].pk}-u{c['requirement'].unit_id}-document": c["pub"].pk}


ROWS += [
    Row("documents:setup", lambda c: "/dokumenter/oppsett/", ADVISOR_ONLY),
    Row("documents:type_create", lambda c: "/dokumenter/oppsett/typer/ny/", ADVISOR_ONLY),
    Row(
        "documents:type_create",
        lambda c: "/dokumenter/oppsett/typer/ny/",
        ADVISOR_ONLY,
        method="post",
        label="empty form",
    ),
    Row(
        "documents:type_edit",
        lambda c: f"/dokumenter/oppsett/typer/{c['rutine'].pk}/",
        ADVISOR_ONLY,
    ),
    Row(
        "documents:type_edit",
        lambda c: f"/dokumenter/oppsett/typer/{c['rutine'].pk}/",
        ADVISOR_ONLY,
        method="post",
        label="empty form",
    ),
    Row("documents:template_create", lambda c: "/dokumenter/oppsett/maler/ny/", ADVISOR_ONLY),
    Row(
        "documents:template_create",
        lambda c: "/dokumenter/oppsett/maler/ny/",
        ADVISOR_ONLY,
        method="post",
        label="empty form",
    ),
    Row(
        "documents:template_edit",
        lambda c: f"/dokumenter/oppsett/maler/{c['template'].pk}/",
        ADVISOR_ONLY,
    ),
    Row(
        "documents:template_edit",
        lambda c: f"/dokumenter/oppsett/maler/{c['template'].pk}/",
        ADVISOR_ONLY,
        method="post",
        label="empty form",
    ),
    Row("documents:requirement_create", lambda c: "/dokumenter/oppsett/krav/ny/", ADVISOR_ONLY),
    Row(
        "documents:requirement_create",
        lambda c: "/dokumenter/oppsett/krav/ny/",
        ADVISOR_ONLY,
        method="post",
        label="empty form",
    ),
    Row(
        "documents:requirement_edit",
        lambda c: f"/dokumenter/oppsett/krav/{c['requirement'].pk}/",
        ADVISOR_ONLY,
    ),
    Row(
        "documents:requirement_edit",
        lambda c: f"/dokumenter/oppsett/krav/{c['requirement'].pk}/",
        ADVISOR_ONLY,
        method="post",
        label="empty form",
    ),
    Row("documents:coverage", lambda c: "/dokumenter/pakrevde/", LEADERS),
    Row(
        "documents:link",
        lambda c: f"/dokumenter/pakrevde/{c['requirement'].pk}/{c['requirement'].unit_id}/",
        LINK,
        method="post",
        data=_link_data,
    ),
    Row(
        "document-type-list",
        lambda c: "/api/v1/document-types/",
        everyone(200, API_ANON),
        api=True,
    ),
    Row(
        "document-type-detail",
        lambda c: f"/api/v1/document-types/{c['rutine'].pk}/",
        everyone(200, API_ANON),
        api=True,
    ),
    Row(
        "required-document-list",
        lambda c: "/api/v1/required-documents/",
        everyone(200, API_ANON),
        api=True,
    ),
    Row(
        "required-document-detail",
        lambda c: f"/api/v1/required-documents/{c['requirement'].pk}/",
        everyone(200, API_ANON),
        api=True,
    ),
    Row(
        "required-document-coverage",
        lambda c: f"/api/v1/required-documents/coverage/?unit={c['requirement'].unit_id}",
        {**LINK, "anonymous": API_ANON, "leader": 200, "advisor": 200},
        api=True,
    ),
]
