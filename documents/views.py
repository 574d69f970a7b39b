"""Pages of the documents module: thin views that parse, call a service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents import forms, printing, services
from documents import word_import as word_import_service
from documents.diff import diff_versions
from documents.models import (
    Attachment,
    Document,
    DocumentType,
    DocumentVersion,
    InForceBundle,
    Process,
    ReadReceipt,
)
from documents.permissions import coverage_units, may_configure
from documents.querysets import revision_status
from documents.search import search as run_search
from documents.services import DocumentData, WorkflowError
from qms import hooks, permissions
from qms.models import Membership, OrgUnit

PAGE_SIZE = 50


def _document(request, pk: int, action: str = "view") -> Document:
    return permissions.get_object_or_404(
        request.user,
        Document.objects.select_related(
            "unit", "process", "process_owner", "revision_responsible", "approval_unit", "doc_type"
        ),
        action,
        pk=pk,
    )


def _open_draft(request, document: Document) -> DocumentVersion | None:
    return (
        permissions.restrict(request.user, DocumentVersion)
        .filter(document=document, status__in=DocumentVersion.OPEN)
        .select_related("author")
        .first()
    )


@login_required
def index(request):
    """Browse by process tree and by unit; published documents, or other states for editors."""
    form = forms.FilterForm(request.GET or None)
    documents = permissions.restrict(request.user, Document).select_related("unit", "process")
    status = Document.Status.PUBLISHED
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"] or Document.Status.PUBLISHED
        if data["q"]:
            documents = documents.filter(
                Q(title__icontains=data["q"]) | Q(number__icontains=data["q"])
            )
        if data["prosess"]:
            documents = documents.filter(
                process__in=Process.objects.filter(path__startswith=data["prosess"].path)
            )
        if data["enhet"]:
            documents = documents.in_units([data["enhet"].path])
        if data["type"]:
            documents = documents.filter(doc_type=data["type"])
    documents = documents.filter(status=status).order_by("number")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("side"))
    processes = Process.objects.order_by("path")
    counts = dict(
        Document.objects.published().values_list("process").annotate(n=Count("pk")).order_by()
    )
    context = {
        "form": form,
        "page": page,
        "processes": [(p, counts.get(p.pk, 0)) for p in processes],
        "may_create": permissions.can_create_somewhere(request.user, Document),
        "may_configure": may_configure(request.user),
        "may_see_coverage": coverage_units(request.user).exists(),
        "query": request.GET.urlencode(),
    }
    return render(request, "documents/index.html", context)


@login_required
def search(request):
    form = forms.SearchForm(request.GET or None)
    hits = run_search(request.user, form.cleaned_data["q"]) if form.is_valid() else []
    return render(
        request,
        "documents/search.html",
        {"form": form, "hits": hits, "searched": form.is_valid() and form.cleaned_data["q"]},
    )


def _version_context(request, document: Document, version: DocumentVersion) -> dict:
    user = request.user
    receipt = (
        ReadReceipt.objects.filter(round_id=document.current_round_id, user=user).first()
        if document.current_round_id and version.status == DocumentVersion.Status.PUBLISHED
        else None
    )
    may_change = permissions.can(user, document, "change")
    may_approve = permissions.can(user, document, "approve")
    # "Sist revidert" is the approval of the version in force, not when a row last changed.
    last_revised = None
    if version.pk == document.current_version_id:
        last_revised = version.approved_at
    elif document.current_version_id:
        last_revised = (
            DocumentVersion.objects.filter(pk=document.current_version_id)
            .values_list("approved_at", flat=True)
            .first()
        )
    return {
        "document": document,
        "version": version,
        "last_revised": last_revised,
        "scope": document.scope.order_by("path"),
        "attachments": version.attachments.all(),
        "receipt": receipt,
        "open_draft": _open_draft(request, document) if may_change or may_approve else None,
        "may_change": may_change,
        "may_approve": may_approve and version.status == DocumentVersion.Status.IN_REVIEW,
        "may_archive": permissions.can(user, document, "archive"),
        "may_see_read_status": permissions.can(user, document, "read_status"),
        "approve_form": forms.ApproveForm(doc_type=document.doc_type),
        "return_form": forms.ReturnForm(),
        "attachment_form": forms.AttachmentForm(),
        "revision_status": revision_status(version, timezone.localdate()),
        # The printed page says when it was printed and where the version in force is.
        "now": timezone.localtime(),
        "online_url": request.build_absolute_uri(document.get_absolute_url()),
        # What other modules hang on the document: risks and annual-wheel activities citing it.
        "panels": hooks.detail_panels_for(request, document),
    }


@login_required
def detail(request, pk: int):
    """The document as a readable page: the published version, or the draft for its workers."""
    document = _document(request, pk)
    version = None
    if document.current_version_id:
        version = (
            permissions.restrict(request.user, DocumentVersion)
            .select_related("author", "approver")
            .filter(pk=document.current_version_id)
            .first()
        )
    if version is None:
        version = (
            permissions.restrict(request.user, DocumentVersion)
            .filter(document=document)
            .select_related("author", "approver")
            .order_by("-number")
            .first()
        )
    if version is None:
        raise Http404
    return render(request, "documents/detail.html", _version_context(request, document, version))


@login_required
def version(request, pk: int, number: int):
    version = _visible_version(request, pk, number)
    document = version.document
    return render(request, "documents/detail.html", _version_context(request, document, version))


def _visible_version(request, pk: int, number: int) -> DocumentVersion:
    document = _document(request, pk)
    version = permissions.get_object_or_404(
        request.user,
        DocumentVersion.objects.select_related("author", "approver"),
        document=document,
        number=number,
    )
    version.document = document
    return version


@login_required
@require_GET
def version_pdf(request, pk: int, number: int):
    """The tagged PDF of any version the user may see, rendered at once (a few pages)."""
    version = _visible_version(request, pk, number)
    copy = printing.PrintedCopy(
        version, request.build_absolute_uri(version.document.get_absolute_url())
    )
    response = HttpResponse(printing.version_pdf(copy), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{printing.version_filename(version)}"'
    return response


@login_required
def history(request, pk: int):
    document = _document(request, pk)
    versions = list(
        permissions.restrict(request.user, DocumentVersion)
        .filter(document=document)
        .select_related("author", "approver")
        .order_by("-number")
    )
    visible = {v.pk for v in versions}
    events = list(document.events.select_related("actor", "version")[:200])
    for event in events:
        # A review comment belongs to its version: who may not see the version (the version
        # rule above), e.g. a reader of the published document and a returned draft, does not
        # see the comment either.
        if event.version_id is not None and event.version_id not in visible:
            event.comment = ""
    return render(
        request,
        "documents/history.html",
        {"document": document, "versions": versions, "events": events},
    )


@login_required
def compare(request, pk: int):
    document = _document(request, pk)
    visible = permissions.restrict(request.user, DocumentVersion).filter(document=document)
    try:
        old_no, new_no = int(request.GET.get("fra", "")), int(request.GET.get("til", ""))
    except ValueError:
        messages.error(request, _("Velg to versjoner å sammenligne."))
        return redirect("documents:history", pk=document.pk)
    found = {v.number: v for v in visible.filter(number__in=[old_no, new_no])}
    if old_no not in found or new_no not in found:
        raise Http404
    old, new = found[old_no], found[new_no]
    lines = diff_versions(old.body_text, new.body_text)
    return render(
        request,
        "documents/compare.html",
        {
            "document": document,
            "old": old,
            "new": new,
            "lines": lines,
            "title_changed": old.title != new.title,
            "changes": sum(1 for line in lines if line.op != "same"),
        },
    )


@login_required
def create(request):
    units = permissions.creatable_units(request.user, Document).order_by("path")
    if not units.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = forms.DocumentForm(request.POST, units=units, creating=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.create_document(
                    request.user,
                    DocumentData(
                        title=data["title"],
                        doc_type=data["doc_type"],
                        template=data["template"],
                        unit=data["unit"],
                        body=data["body"],
                        process=data["process"],
                        scope=tuple(data["scope"]),
                        process_owner=data["process_owner"],
                        revision_responsible=data["revision_responsible"],
                        change_summary=data["change_summary"],
                        read_deadline_days=data["read_deadline_days"],
                        reread_months=data["reread_months"],
                    ),
                )
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Utkastet %(number)s er lagret.") % {"number": document.number}
                )
                return redirect("documents:version", pk=document.pk, number=1)
    else:
        first_unit = units.filter(
            pk__in=sorted(permissions.actor_for(request.user).member_unit_ids)
        ).first()
        doc_type = (
            DocumentType.objects.filter(is_active=True, pk=request.GET.get("type", "")).first()
            if request.GET.get("type", "").isdigit()
            else None
        ) or DocumentType.objects.filter(is_active=True, code=services.DEFAULT_TYPE).first()
        form = forms.DocumentForm(
            units=units,
            creating=True,
            initial={
                "doc_type": doc_type,
                "template": doc_type.default_template if doc_type else None,
                "unit": first_unit,
                "read_deadline_days": 14,
                "revision_responsible": request.user,
            },
        )
    return render(request, "documents/form.html", {"form": form, "creating": True})


@login_required
def word_import(request):
    """Drafts from Word files (or a ZIP of a folder tree), then the import report."""
    units = permissions.creatable_units(request.user, Document).order_by("path")
    if not units.exists():
        raise PermissionDenied
    own = units.filter(pk__in=sorted(permissions.actor_for(request.user).member_unit_ids)).first()
    form = forms.WordImportForm(
        request.POST or None, request.FILES or None, units=units, initial={"unit": own}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = word_import_service.import_word_files(
                request.user, data["files"], unit=data["unit"], process=data["process"]
            )
        except word_import_service.ImportRefused as exc:
            form.add_error("files", str(exc))
        else:
            return render(request, "documents/import_report.html", {"report": report})
    return render(request, "documents/import.html", {"form": form})


@login_required
def edit(request, pk: int):
    document = _document(request, pk, "change")
    draft = _open_draft(request, document)
    if draft is None:
        messages.info(
            request, _("Dokumentet har ikke noe utkast. Start en revisjon for å endre det.")
        )
        return redirect(document)
    units = OrgUnit.objects.filter(pk=document.unit_id)
    first_version = draft.number == 1
    if request.method == "POST":
        form = forms.DocumentForm(request.POST, units=units, first_version=first_version)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_draft(
                    request.user,
                    draft,
                    title=data["title"],
                    body=data["body"],
                    change_summary=data["change_summary"],
                    significant=data.get("significant", True),
                    meta=form.document_meta(),
                )
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Utkastet er lagret."))
                return redirect("documents:version", pk=document.pk, number=draft.number)
    else:
        form = forms.DocumentForm(
            units=units,
            first_version=first_version,
            initial={
                "title": draft.title,
                "unit": document.unit,
                "process": document.process,
                "scope": list(document.scope.all()),
                "revision_responsible": document.revision_responsible,
                "process_owner": document.process_owner,
                "read_deadline_days": document.read_deadline_days,
                "reread_months": document.reread_months,
                "body": draft.body,
                "change_summary": draft.change_summary,
                "significant": draft.significant,
            },
        )
    return render(
        request,
        "documents/form.html",
        {"form": form, "document": document, "draft": draft, "creating": False},
    )


def _act(request, func, *args, success: str, redirect_to):
    try:
        func(request.user, *args)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return HttpResponseRedirect(redirect_to)


def _draft_or_404(request, document: Document, number: int | None = None) -> DocumentVersion:
    qs = permissions.restrict(request.user, DocumentVersion).filter(document=document)
    qs = qs.filter(number=number) if number else qs.filter(status__in=DocumentVersion.OPEN)
    version = qs.first()
    if version is None:
        raise Http404
    return version


@login_required
@require_POST
def submit(request, pk: int):
    document = _document(request, pk, "change")
    draft = _draft_or_404(request, document)
    return _act(
        request,
        services.submit,
        draft,
        success=_("Utkastet er sendt til godkjenning."),
        redirect_to=draft.get_absolute_url(),
    )


@login_required
@require_POST
def approve(request, pk: int, number: int):
    document = _document(request, pk, "approve")
    version = _draft_or_404(request, document, number)
    form = forms.ApproveForm(request.POST, doc_type=document.doc_type)
    if not form.is_valid():
        context = _version_context(request, document, version)
        context["approve_form"] = form
        return render(request, "documents/detail.html", context, status=400)
    try:
        services.approve(
            request.user,
            version,
            form.cleaned_data["next_revision"],
            form.cleaned_data["revision_months"],
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(version.get_absolute_url())
    messages.success(request, _("Versjonen er godkjent og publisert."))
    return redirect(document)


@login_required
@require_POST
def return_version(request, pk: int, number: int):
    document = _document(request, pk, "approve")
    version = _draft_or_404(request, document, number)
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        context = _version_context(request, document, version)
        context["return_form"] = form
        return render(request, "documents/detail.html", context, status=400)
    return _act(
        request,
        services.return_version,
        version,
        form.cleaned_data["comment"],
        success=_("Utkastet er sendt tilbake til forfatteren."),
        redirect_to=version.get_absolute_url(),
    )


@login_required
@require_POST
def start_revision(request, pk: int):
    document = _document(request, pk, "change")
    try:
        services.start_revision(request.user, document)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(document)
    return redirect("documents:edit", pk=document.pk)


@login_required
@require_POST
def archive(request, pk: int):
    document = _document(request, pk, "archive")
    form = forms.ArchiveForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        services.archive,
        document,
        comment,
        success=_("Dokumentet er arkivert."),
        redirect_to=document.get_absolute_url(),
    )


@login_required
@require_POST
def confirm_read(request, pk: int):
    document = _document(request, pk)
    receipt = ReadReceipt.objects.filter(
        round_id=document.current_round_id, user=request.user
    ).first()
    if receipt is None:
        raise Http404
    services.confirm_read(request.user, receipt)
    messages.success(
        request,
        _("Takk! Du har bekreftet at du har lest og forstått %(doc)s.") % {"doc": document.title},
    )
    next_url = request.POST.get("next", "")
    return HttpResponseRedirect(next_url if next_url == "/" else document.get_absolute_url())


@login_required
@require_POST
def upload_attachment(request, pk: int):
    document = _document(request, pk, "change")
    draft = _draft_or_404(request, document)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return HttpResponseRedirect(draft.get_absolute_url())
    return _act(
        request,
        services.add_attachment,
        draft,
        form.cleaned_data["file"],
        success=_("Vedlegget er lagt til."),
        redirect_to=draft.get_absolute_url(),
    )


def _attachment(request, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("version").filter(pk=pk).first()
    if attachment is None or not permissions.can(request.user, attachment.version, "view"):
        raise Http404
    return attachment


@login_required
def download_attachment(request, pk: int):
    attachment = _attachment(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def remove_attachment(request, pk: int):
    attachment = _attachment(request, pk)
    if not permissions.can(request.user, attachment.version, "change"):
        raise PermissionDenied
    return _act(
        request,
        services.remove_attachment,
        attachment,
        success=_("Vedlegget er fjernet."),
        redirect_to=attachment.version.get_absolute_url(),
    )


@login_required
def read_status(request, pk: int):
    """Who has and has not confirmed the current read round, per unit, with the rate."""
    document = _document(request, pk, "read_status")
    receipts = (
        permissions.restrict(request.user, ReadReceipt)
        .filter(round_id=document.current_round_id)
        .select_related("user")
        .annotate(
            member_unit=Membership.objects.filter(user=OuterRef("user"))
            .order_by("unit__path")
            .values("unit__name")[:1]
        )
        .order_by("member_unit", "user__last_name", "user__first_name")
    )
    rows = list(receipts)
    confirmed = sum(1 for r in rows if r.confirmed_at)
    by_unit: dict[str, list] = {}
    for r in rows:
        by_unit.setdefault(r.member_unit or "–", []).append(r)
    units = [
        {
            "name": name,
            "receipts": items,
            "confirmed": sum(1 for r in items if r.confirmed_at),
            "rate": round(100 * sum(1 for r in items if r.confirmed_at) / len(items)),
        }
        for name, items in by_unit.items()
    ]
    return render(
        request,
        "documents/read_status.html",
        {
            "document": document,
            "round": document.current_round,
            "units": units,
            "total": len(rows),
            "confirmed": confirmed,
            "rate": round(100 * confirmed / len(rows)) if rows else None,
            "today": timezone.localdate(),
        },
    )


@login_required
def revisions(request):
    """Due for revision (within a month) and overdue: leaders see their subtree's, advisors all,
    everyone the documents they are revision responsible for."""
    today = timezone.localdate()
    mine = (
        permissions.restrict(request.user, Document, "read_status")
        | Document.objects.filter(revision_responsible=request.user)
    ).select_related("unit", "revision_responsible")
    return render(
        request,
        "documents/revisions.html",
        {
            "overdue": mine.revision_overdue(today).order_by("next_revision")[:200],
            "due": mine.revision_due_soon(today).order_by("next_revision")[:200],
            "in_review": permissions.restrict(request.user, DocumentVersion, "approve")
            .select_related("document", "author")
            .order_by("submitted_at")[:200],
        },
    )


IN_FORCE_PAGE = 500  # the page lists this many; the bundle holds them all


@login_required
@require_GET
def in_force(request):
    """The documents in force on a chosen date (for an inspector), with a bundle to download."""
    data = request.GET.copy()
    data.setdefault("dato", timezone.localdate().isoformat())
    form = forms.InForceForm(data)
    versions, total = [], 0
    if form.is_valid():
        found = printing.in_force_for(
            request.user,
            form.cleaned_data["dato"],
            form.cleaned_data["enhet"],
            form.cleaned_data["prosess"],
        )
        versions = list(found[:IN_FORCE_PAGE])
        total = len(versions) if len(versions) < IN_FORCE_PAGE else found.count()
    bundle_form = forms.BundleForm(initial=dict(form.cleaned_data) if form.is_valid() else None)
    return render(
        request,
        "documents/in_force.html",
        {
            "form": form,
            "versions": versions,
            "total": total,
            "bundle_form": bundle_form,
            "bundles": InForceBundle.objects.restrict(request.user)[:10],
        },
    )


@login_required
@require_POST
def request_bundle(request):
    form = forms.BundleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("documents:in_force")
    data = form.cleaned_data
    bundle = printing.request_bundle(
        request.user,
        data["dato"],
        unit=data["enhet"],
        process=data["prosess"],
        fmt=data["format"],
        site_url=request.build_absolute_uri("/"),
    )
    return redirect(bundle)


@login_required
@require_GET
def bundle(request, uid):
    found = permissions.get_object_or_404(request.user, InForceBundle.objects.all(), uid=uid)
    template = "documents/_bundle_status.html" if request.htmx else "documents/bundle.html"
    return render(request, template, {"bundle": found})


@login_required
@require_GET
def bundle_download(request, uid):
    found = permissions.get_object_or_404(request.user, InForceBundle.objects.all(), uid=uid)
    handle = printing.open_bundle(found)
    if handle is None:
        raise Http404
    content_type = "application/zip" if found.format == "zip" else "application/pdf"
    return FileResponse(
        handle, as_attachment=True, filename=found.filename, content_type=content_type
    )


@login_required
def read_list(request):
    """The user's read list: what to read and confirm, oldest deadline first."""
    receipts = (
        ReadReceipt.objects.filter(user=request.user)
        .current()
        .filter(document__status=Document.Status.PUBLISHED)
        .select_related("document")
        .order_by("confirmed_at", "deadline")
    )
    open_receipts = [r for r in receipts[:500] if r.confirmed_at is None]
    done = [r for r in receipts[:500] if r.confirmed_at is not None][:50]
    return render(
        request,
        "documents/read_list.html",
        {"open": open_receipts, "done": done, "today": timezone.localdate()},
    )
