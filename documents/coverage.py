"""Required-documents coverage: does each unit have the documents it must have, and are they
current? The one place that decides it — the coverage page, the API, the statistics and the
management review's agenda all call :func:`coverage`.

A requirement (documents.models.RequiredDocument) applies to every unit of a kind or to one
named unit. In a unit it is
  missing   when no document is linked, or the linked one is not published (a draft does not
            count until it is approved);
  overdue   when the linked document is published but past its revision date (the revision
            rule of documents.querysets ``revision_status``);
  present   otherwise.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import NamedTuple

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Document, RequiredDocument, RequiredDocumentLink
from documents.querysets import OVERDUE as REVISION_OVERDUE
from documents.querysets import revision_status
from qms.models import OrgUnit


class CoverageStatus(models.TextChoices):
    """The state of one requirement in one unit; the words pages and the API use."""

    MISSING = "missing", _("Mangler")
    PRESENT = "present", _("På plass")
    OVERDUE = "overdue", _("Over revisjonsdato")


MISSING, PRESENT, OVERDUE = CoverageStatus.MISSING, CoverageStatus.PRESENT, CoverageStatus.OVERDUE
STATES = (MISSING, PRESENT, OVERDUE)
LABELS = {state.value: state.label for state in CoverageStatus}


class CoverageRow(NamedTuple):
    requirement: RequiredDocument
    unit: OrgUnit
    document: Document | None
    status: str

    @property
    def label(self) -> str:
        return str(LABELS[self.status])


def coverage_status(document: Document | None, today: date) -> str:
    """The state of one requirement in one unit, given the document linked to it."""
    if document is None or document.status != Document.Status.PUBLISHED:
        return MISSING
    return OVERDUE if revision_status(document, today) == REVISION_OVERDUE else PRESENT


def coverage(
    unit: OrgUnit, today: date | None = None, *, subtree: bool = True
) -> list[CoverageRow]:
    """Every requirement that applies to ``unit`` (and, with ``subtree``, to each active unit
    below it), with the linked document and its state; units in tree order, requirements by
    title. Three queries whatever the size of the subtree."""
    today = today or timezone.localdate()
    units = list(
        OrgUnit.objects.active().filter(path__startswith=unit.path).order_by("path")
        if subtree
        else [unit]
    )
    kinds = {u.kind for u in units}
    requirements = list(
        RequiredDocument.objects.filter(
            Q(unit_kind__in=kinds) | Q(unit__in=[u.pk for u in units])
        ).select_related("doc_type")
    )
    links = {
        (link.requirement_id, link.unit_id): link.document
        for link in RequiredDocumentLink.objects.filter(
            requirement__in=requirements, unit__in=[u.pk for u in units]
        ).select_related("document")
    }
    rows = []
    for each in units:
        for requirement in requirements:
            if requirement.applies_to(each):
                document = links.get((requirement.pk, each.pk))
                rows.append(
                    CoverageRow(requirement, each, document, coverage_status(document, today))
                )
    return rows


def summary(rows: list[CoverageRow]) -> dict[str, int]:
    """Counts per state (missing, present, overdue) and the total."""
    counts = Counter(row.status for row in rows)
    return {state: counts.get(state, 0) for state in STATES} | {"total": len(rows)}


def linkable_documents(user, requirement: RequiredDocument, unit: OrgUnit):
    """The documents that may fulfil ``requirement`` in ``unit``: ones the user may see, not
    archived, of the required type, owned by the unit or one of the units above it (a
    municipality-wide plan covers its units). The link form offers them; the service refuses
    anything else."""
    from qms import permissions

    documents = (
        permissions.restrict(user, Document)
        .exclude(status=Document.Status.ARCHIVED)
        .filter(unit__path__in=unit.ancestor_paths)
    )
    if requirement.doc_type_id:
        documents = documents.filter(doc_type_id=requirement.doc_type_id)
    return documents.order_by("number")
