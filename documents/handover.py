"""The open work of a person in documents, and its hand-over (qms.handover).

A document that is not archived needs someone to revise it and a process owner: where the person
is either, the receiving leader takes over; the change is written to the document's history.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from documents.models import Document, DocumentEvent
from qms.handover import WorkItem, WorkProvider, register, within

ROLES = {
    "revision_responsible": lambda: _("revisjonsansvarlig"),
    "process_owner": lambda: _("prosesseier"),
}


def _documents(user, unit):
    mine = Q(revision_responsible=user) | Q(process_owner=user)
    qs = Document.objects.exclude(status=Document.Status.ARCHIVED).filter(mine)
    return within(qs, unit).order_by("pk")


def _items(document: Document, user) -> list[WorkItem]:
    roles = [
        label() for field, label in ROLES.items() if getattr(document, f"{field}_id") == user.pk
    ]
    title = f"{document.number} {document.title}"
    return [WorkItem(_("Dokumenter"), ", ".join(roles), title, document.get_absolute_url())]


def open_work(user, unit) -> list[WorkItem]:
    return [item for document in _documents(user, unit) for item in _items(document, user)]


def hand_over(user, unit, receiver, actor) -> list[WorkItem]:
    items = []
    for document in _documents(user, unit).select_for_update(of=("self",)):
        items += _items(document, user)
        changed = [f for f in ROLES if getattr(document, f"{f}_id") == user.pk]
        for field in changed:
            setattr(document, field, receiver)
        document.save(update_fields=changed)
        DocumentEvent.objects.create(
            document=document,
            kind=DocumentEvent.Kind.EDITED,
            actor=actor,
            comment=_("%(new)s overtok som %(roles)s etter %(old)s")
            % {"new": receiver, "roles": items[-1].role, "old": user},
        )
    return items


register(WorkProvider("documents", open_work, hand_over))
