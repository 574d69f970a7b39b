"""The documents module's rows in the permission layer (docs/design.md §3 and §4).

Published documents are read by everyone signed in. Drafts and documents in review are seen by
the people who work on them: authors, the process owner, the revision responsible, the approver
(leaders above the approval unit, or a named delegate), leaders of the owning unit's subtree and
quality advisors.
"""

from __future__ import annotations

from django.db.models import Q

from documents.models import (
    Document,
    DocumentType,
    DocumentVersion,
    InForceBundle,
    ReadReceipt,
    RequiredDocument,
)
from qms import permissions
from qms.models import Membership, OrgUnit
from qms.permissions import ALL, NOTHING, Actor
from qms.querysets import subtree_q


def editors_q(actor: Actor, prefix: str = "") -> Q:
    """Documents the actor works on: may edit drafts, submit, start a revision."""
    if actor.is_advisor:
        return ALL
    authored = DocumentVersion.objects.filter(author_id=actor.user_id).values("document_id")
    return (
        actor.advised_q(f"{prefix}unit")
        | Q(**{f"{prefix}created_by_id": actor.user_id})
        | Q(**{f"{prefix}process_owner_id": actor.user_id})
        | Q(**{f"{prefix}revision_responsible_id": actor.user_id})
        | Q(**{f"{prefix}pk__in": authored})
        | actor.led_subtree_q(f"{prefix}unit")
    )


def approvers_q(actor: Actor, prefix: str = "") -> Q:
    """Documents the actor may approve — the one approver rule for page, API and routing
    (documents.services ``approvers_of`` asks the same).

    A document type may name the group whose members alone approve it (styringsdokumenter by
    the chief executive's group). Otherwise (docs/design.md §4) the approver is a leader of the
    owning unit, or of the nearest common ancestor when the scope spans several units; a named
    delegate (e.g. an advisor) may approve instead.
    """
    group = f"{prefix}doc_type__approver_group"
    by_group = Q(**{f"{group}__in": sorted(actor.group_ids)}) if actor.group_ids else NOTHING
    by_unit = actor.led_subtree_q(f"{prefix}approval_unit") | Q(
        **{f"{prefix}delegated_approver_id": actor.user_id}
    )
    return by_group | (Q(**{f"{group}__isnull": True}) & by_unit)


def may_configure(user) -> bool:
    """Who keeps the document types, templates and the register of required documents: the
    quality advisors."""
    return permissions.actor_for(user).is_advisor


def coverage_units(user):
    """The units whose required-documents coverage the user sees and may link documents for:
    every unit for advisors, the led subtrees for leaders, none otherwise."""
    actor = permissions.actor_for(user)
    if actor.is_advisor:
        return OrgUnit.objects.active()
    if not actor.led_paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.active().filter(subtree_q(actor.led_paths))


def document_rule(actor: Actor, action: str) -> Q:
    if action == "view":
        if actor.is_advisor or actor.is_admin:
            return ALL
        return Q(status=Document.Status.PUBLISHED) | editors_q(actor) | approvers_q(actor)
    if action == "change":
        return editors_q(actor) & ~Q(status=Document.Status.ARCHIVED)
    if action == "approve":
        return approvers_q(actor) & ~Q(status=Document.Status.ARCHIVED)
    if action in ("archive", "read_status"):
        return actor.advised_q("unit") | actor.led_subtree_q("unit")
    return NOTHING


def version_rule(actor: Actor, action: str) -> Q:
    if action == "view":
        if actor.is_advisor or actor.is_admin:
            return ALL
        return Q(
            status__in=DocumentVersion.READABLE, document__status=Document.Status.PUBLISHED
        ) | Q(
            document__in=Document.objects.filter(editors_q(actor) | approvers_q(actor)).values("pk")
        )
    if action == "change":
        return Q(status__in=DocumentVersion.OPEN) & Q(
            document__in=Document.objects.filter(editors_q(actor)).values("pk")
        )
    if action == "approve":
        return Q(status=DocumentVersion.Status.IN_REVIEW) & Q(
            document__in=Document.objects.filter(approvers_q(actor)).values("pk")
        )
    return NOTHING


def receipt_rule(actor: Actor, action: str) -> Q:
    own = Q(user_id=actor.user_id)
    if action == "view":
        if actor.is_advisor:
            return ALL
        own |= actor.advised_q("document__unit")
        if not actor.led_paths:
            return own
        staff = Membership.objects.filter(
            unit__in=OrgUnit.objects.filter(subtree_q(actor.led_paths)).values("pk")
        ).values("user_id")
        return own | Q(user_id__in=staff) | actor.led_subtree_q("document__unit")
    if action == "confirm":
        return own
    return NOTHING


def bundle_rule(actor: Actor, action: str) -> Q:
    """A bundle of the documents in force holds what its requester may see: theirs only."""
    if action == "view":
        return Q(requested_by_id=actor.user_id)
    return NOTHING


def document_create_units(actor: Actor, source=None) -> Q:
    """Any member may write a draft for their own unit; leaders in their subtree; advisors anywhere."""
    if actor.is_advisor:
        return ALL
    return (
        Q(pk__in=sorted(actor.member_unit_ids))
        | subtree_q(actor.led_paths)
        | subtree_q(actor.coordinator_paths)
    )


def configuration_rule(actor: Actor, action: str) -> Q:
    """Document types and the register of required documents: read by everyone signed in (the
    create form and the API list them), changed by advisors."""
    if action == "view":
        return ALL if actor.authenticated else NOTHING
    if action == "change":
        return ALL if actor.is_advisor else NOTHING
    return NOTHING


permissions.register(Document, document_rule)
permissions.register(DocumentType, configuration_rule)
permissions.register(RequiredDocument, configuration_rule)
permissions.register(DocumentVersion, version_rule)
permissions.register(ReadReceipt, receipt_rule)
permissions.register(InForceBundle, bundle_rule)
permissions.register_create(Document, document_create_units)
