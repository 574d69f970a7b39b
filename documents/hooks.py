"""The documents module on "Min side": the read list and revisions due, and rows in
"Mine oppgaver" (approvals waiting, procedures to read, revisions to do). One query each."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Document, DocumentVersion, ReadReceipt
from documents.querysets import OVERDUE, revision_status
from qms import hooks, permissions
from qms.hooks import Panel, TaskItem

LIMIT = 10


def _open_receipts(user):
    return (
        ReadReceipt.objects.filter(user=user, confirmed_at__isnull=True)
        .current()
        .filter(document__status=Document.Status.PUBLISHED)
        .select_related("document")
        .order_by("deadline", "document__number")
    )


def read_list_panel(request) -> Panel | None:
    receipts = list(_open_receipts(request.user)[: LIMIT + 1])
    return Panel(
        order=20,
        template="documents/panels/read_list.html",
        context={
            "receipts": receipts[:LIMIT],
            "more": len(receipts) > LIMIT,
            "today": timezone.localdate(),
            "next": "/",
        },
    )


def revision_panel(request) -> Panel | None:
    actor = permissions.actor_for(request.user)
    today = timezone.localdate()
    if actor.is_leader or actor.is_advisor:
        documents = (
            permissions.restrict(request.user, Document, "read_status")
            .revision_due(today)
            .select_related("unit")
            .order_by("next_revision")
        )
    else:
        documents = (
            Document.objects.filter(revision_responsible=request.user)
            .revision_due(today)
            .order_by("next_revision")
        )
    rows = list(documents[: LIMIT + 1])
    if not rows:
        return None
    for document in rows:
        document.revision_overdue = revision_status(document, today) == OVERDUE
    return Panel(
        order=21,
        template="documents/panels/revisions.html",
        context={"documents": rows[:LIMIT], "more": len(rows) > LIMIT, "today": today},
    )


def tasks(user) -> list[TaskItem]:
    today = timezone.localdate()
    items: list[TaskItem] = []
    module = _("Dokumenter")
    for version in (
        permissions.restrict(user, DocumentVersion, "approve")
        .select_related("document")
        .order_by("submitted_at")[:LIMIT]
    ):
        items.append(
            TaskItem(
                module=module,
                title=_("Godkjenn %(doc)s") % {"doc": f"{version.document.number} {version.title}"},
                url=version.get_absolute_url(),
                status=_("Til godkjenning"),
            )
        )
    for receipt in _open_receipts(user)[:LIMIT]:
        items.append(
            TaskItem(
                module=module,
                title=_("Les %(doc)s")
                % {"doc": f"{receipt.document.number} {receipt.document.title}"},
                url=receipt.document.get_absolute_url(),
                deadline=receipt.deadline,
                status=_("Ikke lest"),
                overdue=receipt.deadline < today,
            )
        )
    for document in (
        Document.objects.filter(revision_responsible=user)
        .revision_due(today)
        .order_by("next_revision")[:LIMIT]
    ):
        items.append(
            TaskItem(
                module=module,
                title=_("Revider %(doc)s") % {"doc": f"{document.number} {document.title}"},
                url=document.get_absolute_url(),
                deadline=document.next_revision,
                status=_("Revisjon"),
                overdue=revision_status(document, today) == OVERDUE,
            )
        )
    for version in (
        DocumentVersion.objects.filter(author=user, status=DocumentVersion.Status.DRAFT)
        .exclude(return_comment="")
        .select_related("document")[:LIMIT]
    ):
        items.append(
            TaskItem(
                module=module,
                title=_("Rett opp %(doc)s") % {"doc": f"{version.document.number} {version.title}"},
                url=version.get_absolute_url(),
                status=_("Returnert"),
            )
        )
    return items


hooks.register_panel(read_list_panel)
hooks.register_panel(revision_panel)
hooks.register_tasks(tasks)
