"""Every state change of a document, one transaction each, with an event row.

The workflow (docs/design.md §4): draft → in review → published → (new draft on revision) … → archived.
Notifications are recorded in the same transaction and their e-mails go out after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents.models import (
    Attachment,
    Document,
    DocumentEvent,
    DocumentTemplate,
    DocumentType,
    DocumentVersion,
    NumberSequence,
    Process,
    ReadReceipt,
    ReadRound,
    RequiredDocument,
    RequiredDocumentLink,
    TemplateVersion,
)
from documents.permissions import may_configure
from documents.sanitize import clean_html, clean_text, html_to_text
from qms import permissions
from qms.dates import months_after
from qms.exceptions import StateError
from qms.models import Membership, OrgUnit, User
from qms.notifications import notify, notify_many
from qms.organisation import acting_leader, nearest_common_ancestor, note_routed
from qms.querysets import subtree_q

DEFAULT_TYPE = "rutine"


class WorkflowError(StateError):
    """A workflow step that the document's current state does not allow (shown to the user)."""


def _require(user: User, obj, action: str) -> None:
    if not permissions.can(user, obj, action):
        raise PermissionDenied


def revision_limits(doc_type: DocumentType, months: int | None, today: date) -> tuple[int, date]:
    """The revision interval an approver may choose for a document of ``doc_type`` and the
    latest revision date it gives: one of the type's allowed intervals (its default when none
    is chosen), counted in calendar months from the approval day. Approval, its form and the
    API all ask this function."""
    months = doc_type.default_interval if months is None else months
    if months not in doc_type.intervals:
        raise WorkflowError(
            _("Velg et revisjonsintervall som er tillatt for %(type)s: %(choices)s måneder.")
            % {"type": doc_type.name.lower(), "choices": ", ".join(map(str, doc_type.intervals))}
        )
    return months, months_after(today, months)


def default_type() -> DocumentType:
    """The type a document gets when none is chosen («rutine», as every document once was)."""
    found = DocumentType.objects.filter(code=DEFAULT_TYPE).first()
    if found is None:
        raise WorkflowError(_("Velg en dokumenttype."))
    return found


def next_number(prefix: str) -> str:
    """The next free number in a type's series (RUT-0001, PRO-0001, ...); a number is never
    handed out twice.

    The sequence row is locked for the rest of the transaction, so two authors creating
    documents at once get different numbers.
    """
    NumberSequence.objects.get_or_create(prefix=prefix)
    seq = NumberSequence.objects.select_for_update().get(prefix=prefix)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{prefix}-{seq.last:04d}"


def approval_unit_for(unit: OrgUnit, scope: Iterable[OrgUnit]) -> OrgUnit:
    """The unit whose leader approves: the owning unit, or, when the scope reaches outside the
    owning unit's subtree, the nearest common ancestor of all of them (docs/design.md §4)."""
    scope = [u for u in scope if u.pk != unit.pk]
    if all(u.path.startswith(unit.path) for u in scope):
        return unit
    return nearest_common_ancestor([unit, *scope]) or unit


def update_search_vector(version_ids: Iterable[int]) -> None:
    """Refresh the PostgreSQL full-text vectors (title weighted above body); no-op elsewhere."""
    if connection.vendor != "postgresql":
        return
    DocumentVersion.objects.filter(pk__in=list(version_ids)).update(
        search_vector=search_vector_expression()
    )


def search_vector_expression():
    """The stored vector: the title weighted above the body, `norwegian` stemming."""
    return SearchVector("title", weight="A", config="norwegian") + SearchVector(
        "body_text", weight="B", config="norwegian"
    )


def _event(document, kind, actor, version=None, comment="") -> DocumentEvent:
    return DocumentEvent.objects.create(
        document=document, version=version, kind=kind, actor=actor, comment=comment
    )


def _set_scope(document: Document, scope: Iterable[OrgUnit]) -> None:
    scope = list(scope)
    document.scope.set(scope)
    document.approval_unit = approval_unit_for(document.unit, scope)


@dataclass
class DocumentData:
    title: str
    unit: OrgUnit
    body: str = ""
    process: Process | None = None
    scope: tuple[OrgUnit, ...] = ()
    process_owner: User | None = None
    revision_responsible: User | None = None
    change_summary: str = ""
    read_deadline_days: int = 14
    reread_months: int | None = None
    doc_type: DocumentType | None = None
    template: DocumentTemplate | None = None


def _starting_text(data: DocumentData, doc_type: DocumentType):
    """The first version's body and the template version it comes from: the author's own text
    when given, else the chosen template (the type's default when none is chosen)."""
    template = data.template or doc_type.default_template
    source = template.current_version if template else None
    if data.template and source is None:
        raise WorkflowError(_("Malen har ikke noe innhold ennå."))
    body = data.body if data.body.strip() or source is None else source.body
    return clean_html(body), source


@transaction.atomic
def create_document(user: User, data: DocumentData) -> Document:
    """A new document with its first draft, numbered in its type's series. Any member writes
    for their own unit, a leader in their subtree, an advisor anywhere
    (documents.permissions.document_create_units)."""
    if not permissions.can_create(user, Document, data.unit):
        raise PermissionDenied
    title = clean_text(data.title)
    if not title:
        raise WorkflowError(_("Dokumentet må ha en tittel."))
    doc_type = data.doc_type or default_type()
    if not doc_type.is_active:
        raise WorkflowError(_("Dokumenttypen er ikke lenger i bruk."))
    body, template_version = _starting_text(data, doc_type)
    document = Document(
        number=next_number(doc_type.prefix),
        doc_type=doc_type,
        title=title,
        unit=data.unit,
        approval_unit=data.unit,
        process=data.process,
        process_owner=data.process_owner,
        revision_responsible=data.revision_responsible or user,
        read_deadline_days=data.read_deadline_days,
        reread_months=data.reread_months,
        created_by=user,
    )
    document.save()
    if data.scope:
        _set_scope(document, data.scope)
        document.save(update_fields=["approval_unit"])
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        title=title,
        body=body,
        body_text=html_to_text(body),
        change_summary=clean_text(data.change_summary) or _("Første versjon."),
        author=user,
        template_version=template_version,
    )
    update_search_vector([version.pk])
    _event(document, DocumentEvent.Kind.CREATED, user, version)
    return document


def _locked_version(version: DocumentVersion) -> DocumentVersion:
    """Lock the document, then the version (always in that order, so two actions never deadlock)."""
    Document.objects.select_for_update().filter(pk=version.document_id).first()
    return DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)


@transaction.atomic
def update_draft(
    user: User,
    version: DocumentVersion,
    *,
    title: str,
    body: str,
    change_summary: str = "",
    significant: bool = True,
    meta: dict | None = None,
) -> DocumentVersion:
    """Save the text of an open draft; published and retired versions never change."""
    _require(user, version, "change")
    version = _locked_version(version)
    if version.status not in DocumentVersion.OPEN:
        raise WorkflowError(_("Bare et utkast kan endres."))
    title = clean_text(title)
    if not title:
        raise WorkflowError(_("Dokumentet må ha en tittel."))
    version.title = title
    version.body = clean_html(body)
    version.body_text = html_to_text(version.body)
    version.change_summary = clean_text(change_summary)
    version.significant = significant if version.number > 1 else True
    version.save()
    update_search_vector([version.pk])
    document = version.document
    if meta:
        scope = meta.pop("scope", None)
        for field, value in meta.items():
            setattr(document, field, value)
        if scope is not None:
            _set_scope(document, scope)
    if document.status in (Document.Status.DRAFT, Document.Status.IN_REVIEW):
        document.title = title
    document.save()
    _event(document, DocumentEvent.Kind.EDITED, user, version)
    return version


def approvers_of(document: Document, *, note: str = "") -> list[User]:
    """Who is asked to approve: the members of the type's approver group when it has one, else
    the delegate if named, else the acting leader of the approval unit (one level up the chain
    when that unit has none; the deputy, or the leader above, while its leader is away). The
    same rule as documents.permissions ``approvers_q``. With ``note``, a request routed away
    from an absent leader is put on their "Mens du var borte" list under that subject."""
    group_id = document.doc_type.approver_group_id
    if group_id:
        return list(User.objects.filter(is_active=True, groups=group_id).order_by("pk"))
    if document.delegated_approver_id:
        return [document.delegated_approver]
    leader = acting_leader(document.approval_unit)
    if note:
        note_routed(leader, note, document.get_absolute_url())
    return [leader.user] if leader else []


@transaction.atomic
def submit(user: User, version: DocumentVersion) -> DocumentVersion:
    """Send a draft for approval."""
    _require(user, version, "change")
    version = _locked_version(version)
    if version.status != DocumentVersion.Status.DRAFT:
        raise WorkflowError(_("Bare et utkast kan sendes til godkjenning."))
    if not version.body_text.strip():
        raise WorkflowError(
            _("Utkastet er tomt. Skriv innholdet før du sender det til godkjenning.")
        )
    version.status = DocumentVersion.Status.IN_REVIEW
    version.submitted_at = timezone.now()
    version.return_comment = ""
    version.save(update_fields=["status", "submitted_at", "return_comment", "updated_at"])
    document = version.document
    if document.status == Document.Status.DRAFT:
        document.status = Document.Status.IN_REVIEW
        document.save(update_fields=["status", "updated_at"])
    _event(document, DocumentEvent.Kind.SUBMITTED, user, version)
    subject = _("Til godkjenning: %(doc)s, versjon %(n)s") % {"doc": document, "n": version.number}
    notify_many(
        [u for u in approvers_of(document, note=subject) if u.pk != user.pk],
        kind="documents.approval_requested",
        subject=subject,
        body=_("%(user)s har sendt versjon %(n)s av «%(title)s» til godkjenning.")
        % {"user": user, "n": version.number, "title": version.title},
        url=version.get_absolute_url(),
    )
    return version


@transaction.atomic
def return_version(user: User, version: DocumentVersion, comment: str) -> DocumentVersion:
    """Send a version in review back to its author with a comment."""
    _require(user, version.document, "approve")
    comment = clean_text(comment)
    if not comment:
        raise WorkflowError(_("Skriv hva som må endres før du returnerer utkastet."))
    version = _locked_version(version)
    if version.status != DocumentVersion.Status.IN_REVIEW:
        raise WorkflowError(
            _("Versjonen er ikke lenger til godkjenning; noen andre kan ha behandlet den.")
        )
    version.status = DocumentVersion.Status.DRAFT
    version.return_comment = comment
    version.save(update_fields=["status", "return_comment", "updated_at"])
    document = version.document
    if document.status == Document.Status.IN_REVIEW:
        document.status = Document.Status.DRAFT
        document.save(update_fields=["status", "updated_at"])
    _event(document, DocumentEvent.Kind.RETURNED, user, version, comment)
    if version.author_id and version.author_id != user.pk:
        notify(
            version.author,
            kind="documents.returned",
            subject=_("Returnert: %(doc)s, versjon %(n)s") % {"doc": document, "n": version.number},
            body=comment,
            url=version.get_absolute_url(),
        )
    return version


@transaction.atomic
def approve(
    user: User,
    version: DocumentVersion,
    next_revision: date | None = None,
    revision_months: int | None = None,
) -> DocumentVersion:
    """Approve and publish a version; the previous published version is retired in the same
    transaction, so there is exactly one published version at any moment.

    Two approvers at once: both wait on the document's row lock; the second then finds the
    version already published and gets a clear message. The conditional unique constraint
    ``docversion_one_published`` is the last line of defence.
    The revision date is the approval day plus one of the type's allowed intervals
    (``revision_limits``) at the latest; an earlier date may be chosen.
    """
    _require(user, version.document, "approve")
    version = _locked_version(version)
    if version.status != DocumentVersion.Status.IN_REVIEW:
        raise WorkflowError(
            _("Versjonen er allerede behandlet (status: %(status)s).")
            % {"status": version.get_status_display()}
        )
    if version.author_id == user.pk:
        raise WorkflowError(_("Du kan ikke godkjenne en versjon du har skrevet selv."))
    today = timezone.localdate()
    document = version.document
    months, latest = revision_limits(document.doc_type, revision_months, today)
    if next_revision is None:
        next_revision = latest
    if next_revision > latest:
        raise WorkflowError(
            _("Neste revisjon kan ikke settes senere enn %(months)s måneder fram (%(date)s).")
            % {"months": months, "date": date_format(latest, "SHORT_DATE_FORMAT")}
        )
    if next_revision <= today:
        raise WorkflowError(_("Neste revisjon må være etter i dag."))
    previous = document.current_version_id
    DocumentVersion.objects.filter(
        document=document, status=DocumentVersion.Status.PUBLISHED
    ).update(status=DocumentVersion.Status.SUPERSEDED, updated_at=timezone.now())
    version.status = DocumentVersion.Status.PUBLISHED
    version.approver = user
    version.approved_at = timezone.now()
    version.next_revision = next_revision
    version.revision_months = months
    if previous is None:
        version.significant = True
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:
        raise WorkflowError(
            _("En annen versjon ble publisert samtidig. Last siden på nytt.")
        ) from None
    document.status = Document.Status.PUBLISHED
    document.title = version.title
    document.current_version = version
    document.next_revision = next_revision
    document.save()
    _event(document, DocumentEvent.Kind.APPROVED, user, version)
    if version.significant or document.current_round_id is None:
        start_read_round(document, version, ReadRound.Reason.PUBLISHED)
    if version.author_id and version.author_id != user.pk:
        notify(
            version.author,
            kind="documents.approved",
            subject=_("Godkjent: %(doc)s, versjon %(n)s") % {"doc": document, "n": version.number},
            body=_("Versjon %(n)s er godkjent og publisert.") % {"n": version.number},
            url=document.get_absolute_url(),
        )
    return version


def scope_users(document: Document):
    """Active users who work in the document's scope (each scope unit's subtree; the owning
    unit's subtree when no scope is set). A role that gives rights only (a verneombud's, a
    kontrollutvalg member's, ``Membership.RIGHTS_ONLY``) does not put a person on the read list."""
    units = list(document.scope.all()) or [document.unit]
    unit_ids = OrgUnit.objects.filter(subtree_q([u.path for u in units])).values("pk")
    staff = Membership.objects.filter(unit__in=unit_ids).exclude(role__in=Membership.RIGHTS_ONLY)
    return User.objects.filter(is_active=True, pk__in=staff.values("user_id"))


def start_read_round(
    document: Document, version: DocumentVersion, reason: str, now: datetime | None = None
) -> ReadRound:
    """Put ``version`` on the read list of everyone in scope, with the document's deadline."""
    now = now or timezone.now()
    deadline = timezone.localdate(now) + timedelta(days=document.read_deadline_days)
    read_round = ReadRound.objects.create(
        document=document, version=version, reason=reason, deadline=deadline, started_at=now
    )
    ReadReceipt.objects.bulk_create(
        [
            ReadReceipt(round=read_round, document=document, user_id=uid, deadline=deadline)
            for uid in scope_users(document).values_list("pk", flat=True)
        ],
        batch_size=1000,
    )
    document.current_round = read_round
    document.save(update_fields=["current_round", "updated_at"])
    _event(document, DocumentEvent.Kind.READ_ROUND, None, version, reason)
    return read_round


@transaction.atomic
def start_revision(user: User, document: Document) -> DocumentVersion:
    """A new draft from the published version (text and attachments); the published one stays
    in force until the draft is approved."""
    _require(user, document, "change")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != Document.Status.PUBLISHED or document.current_version_id is None:
        raise WorkflowError(_("Bare et publisert dokument kan revideres."))
    open_draft = document.versions.filter(status__in=DocumentVersion.OPEN).first()
    if open_draft is not None:
        return open_draft
    source = document.current_version
    number = (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = DocumentVersion.objects.create(
        document=document,
        number=number,
        title=source.title,
        body=source.body,
        body_text=source.body_text,
        author=user,
        significant=True,
    )
    Attachment.objects.bulk_create(
        [
            Attachment(
                version=draft,
                file=a.file.name,
                name=a.name,
                content_type=a.content_type,
                size=a.size,
                uploaded_by=a.uploaded_by,
            )
            for a in source.attachments.all()
        ]
    )
    update_search_vector([draft.pk])
    _event(document, DocumentEvent.Kind.REVISION_STARTED, user, draft)
    return draft


@transaction.atomic
def archive(user: User, document: Document, comment: str = "") -> Document:
    """Withdraw a document: no version is in force any more, every version stays readable to
    those who worked on it, and open read-list lines are dropped."""
    _require(user, document, "archive")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status == Document.Status.ARCHIVED:
        raise WorkflowError(_("Dokumentet er allerede arkivert."))
    document.versions.filter(status=DocumentVersion.Status.PUBLISHED).update(
        status=DocumentVersion.Status.ARCHIVED
    )
    document.versions.filter(status__in=DocumentVersion.OPEN).delete()
    ReadReceipt.objects.filter(document=document, confirmed_at__isnull=True).delete()
    document.status = Document.Status.ARCHIVED
    document.next_revision = None
    document.save()
    _event(document, DocumentEvent.Kind.ARCHIVED, user, None, clean_text(comment))
    return document


@transaction.atomic
def confirm_read(user: User, receipt: ReadReceipt) -> ReadReceipt:
    """ "Lest og forstått": the user's own line only, once."""
    updated = ReadReceipt.objects.filter(
        pk=receipt.pk, user=user, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now())
    receipt.refresh_from_db()
    if not updated and receipt.user_id != user.pk:
        raise PermissionDenied
    return receipt


def add_attachment(user: User, version: DocumentVersion, upload) -> Attachment:
    """Attach a validated upload (see forms.validate_upload) to an open draft."""
    _require(user, version, "change")
    with transaction.atomic():
        version = _locked_version(version)
        if version.status not in DocumentVersion.OPEN:
            raise WorkflowError(_("Vedlegg kan bare legges til et utkast."))
        return Attachment.objects.create(
            version=version,
            file=upload,
            name=upload.name[:200],
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            size=upload.size,
            uploaded_by=user,
        )


def remove_attachment(user: User, attachment: Attachment) -> None:
    _require(user, attachment.version, "change")
    with transaction.atomic():
        version = _locked_version(attachment.version)
        if version.status not in DocumentVersion.OPEN:
            raise WorkflowError(_("Vedlegg kan bare fjernes fra et utkast."))
        attachment.delete()


# --- Configuration kept by quality advisors: types, templates and required documents ---------


def _require_advisor(user: User) -> None:
    if not may_configure(user):
        raise PermissionDenied


@dataclass
class TypeData:
    name: str
    code: str
    prefix: str
    revision_intervals: list[int]
    default_interval: int = 12
    description: str = ""
    default_template: DocumentTemplate | None = None
    approver_group: object | None = None
    is_active: bool = True


@transaction.atomic
def save_type(user: User, data: TypeData, doc_type: DocumentType | None = None) -> DocumentType:
    """Create or change a document type. The prefix of a type with documents never changes
    (their numbers would no longer match the series); a new prefix gets its counter row now,
    so the first two documents of a new type cannot race to create it."""
    _require_advisor(user)
    prefix = data.prefix.strip().upper()
    if doc_type is not None:
        doc_type = DocumentType.objects.select_for_update().get(pk=doc_type.pk)
        if prefix != doc_type.prefix and doc_type.documents.exists():
            raise WorkflowError(
                _("Prefikset kan ikke endres når typen har dokumenter (%(prefix)s-nnnn).")
                % {"prefix": doc_type.prefix}
            )
    else:
        doc_type = DocumentType()
    taken = NumberSequence.objects.filter(prefix=prefix, last__gt=0).exists()
    if taken and prefix != doc_type.prefix:
        raise WorkflowError(_("Nummerserien %(prefix)s er allerede brukt.") % {"prefix": prefix})
    doc_type.name = clean_text(data.name)
    doc_type.code = data.code
    doc_type.prefix = prefix
    doc_type.description = clean_text(data.description)
    doc_type.revision_intervals = sorted(set(data.revision_intervals))
    doc_type.default_interval = data.default_interval
    doc_type.default_template = data.default_template
    doc_type.approver_group = data.approver_group
    doc_type.is_active = data.is_active
    doc_type.full_clean()
    doc_type.save()
    NumberSequence.objects.get_or_create(prefix=prefix)
    return doc_type


@transaction.atomic
def save_template(
    user: User | None,
    name: str,
    body: str,
    template: DocumentTemplate | None = None,
    *,
    check: bool = True,
) -> DocumentTemplate:
    """Create a template or change it. A changed body is a new template version; earlier
    versions, and the documents written from them, stay as they were."""
    if check:
        _require_advisor(user)
    name = clean_text(name)
    if not name:
        raise WorkflowError(_("Malen må ha et navn."))
    body = clean_html(body)
    if not html_to_text(body).strip():
        raise WorkflowError(_("Malen må ha innhold."))
    if template is None:
        template = DocumentTemplate.objects.create(name=name, body=body)
    else:
        template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
        template.name = name
        template.body = body
        template.save(update_fields=["name", "body"])
    current = template.versions.order_by("-number").first()
    if current is None or current.body != body:
        TemplateVersion.objects.create(
            template=template,
            number=(current.number + 1) if current else 1,
            body=body,
            created_by=user,
        )
    return template


@transaction.atomic
def save_requirement(
    user: User,
    *,
    title: str,
    description: str = "",
    doc_type: DocumentType | None = None,
    unit_kind: str = "",
    unit: OrgUnit | None = None,
    requirement: RequiredDocument | None = None,
) -> RequiredDocument:
    """Add or change an entry of the register of required documents (advisors)."""
    _require_advisor(user)
    requirement = requirement or RequiredDocument()
    requirement.title = clean_text(title)
    requirement.description = clean_text(description)
    requirement.doc_type = doc_type
    requirement.unit_kind = unit_kind or ""
    requirement.unit = unit
    requirement.full_clean()
    requirement.save()
    return requirement


@transaction.atomic
def link_requirement(
    user: User, requirement: RequiredDocument, unit: OrgUnit, document: Document | None
) -> RequiredDocumentLink | None:
    """Record which document fulfils a requirement in a unit (None removes the link). Leaders
    of the unit and advisors (documents.permissions ``coverage_units``); the document must be
    one documents.coverage ``linkable_documents`` offers."""
    from documents.permissions import coverage_units

    if not requirement.applies_to(unit) or not coverage_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    if document is None:
        RequiredDocumentLink.objects.filter(requirement=requirement, unit=unit).delete()
        return None
    from documents.coverage import linkable_documents

    if not linkable_documents(user, requirement, unit).filter(pk=document.pk).exists():
        raise WorkflowError(
            _(
                "Dokumentet kan ikke oppfylle kravet: det må være av riktig type, ikke arkivert "
                "og eid av enheten eller en enhet over den."
            )
        )
    link, _created = RequiredDocumentLink.objects.update_or_create(
        requirement=requirement, unit=unit, defaults={"document": document, "linked_by": user}
    )
    return link
