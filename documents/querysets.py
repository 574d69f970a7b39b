"""Named queries for documents."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from qms.dates import DueStatus, one_month_after
from qms.permissions import RestrictedQuerySet

# The revision rule (docs/design.md §4), decided here and nowhere else. As of ``today``, a published
# document is
#   overdue   when its revision date has passed (the date lies before today);
#   due soon  from one month before its revision date up to and including the date itself
#             (the revision date is the last day on time, not the first day overdue);
#   current   otherwise, or when it has no revision date.
# The sweep (documents/reminders.py), the querysets, the pages, the panels, the API and the
# statistics all use revision_q / revision_status.
CURRENT, DUE_SOON, OVERDUE = DueStatus.CURRENT, DueStatus.DUE_SOON, DueStatus.OVERDUE


class RevisionQ(NamedTuple):
    current: Q
    due_soon: Q
    overdue: Q


def revision_q(today: date, prefix: str = "") -> RevisionQ:
    """The three revision states as filters on Document (``prefix`` for a relation), for
    querysets and conditional aggregates alike."""
    horizon = one_month_after(today)
    published = Q(**{f"{prefix}status": "published"})
    field = f"{prefix}next_revision"
    return RevisionQ(
        current=published & (Q(**{f"{field}__gt": horizon}) | Q(**{f"{field}__isnull": True})),
        due_soon=published & Q(**{f"{field}__gte": today, f"{field}__lte": horizon}),
        overdue=published & Q(**{f"{field}__lt": today}),
    )


def revision_status(document, today: date) -> str | None:
    """The revision state of one published document (or published version); None otherwise.

    The same rule as :func:`revision_q`, for one object already in memory."""
    if document.status != "published":
        return None
    if document.next_revision is None or document.next_revision > one_month_after(today):
        return CURRENT
    return OVERDUE if document.next_revision < today else DUE_SOON


class DocumentQuerySet(RestrictedQuerySet):
    def published(self):
        return self.filter(status="published")

    def revision_due_soon(self, today: date):
        """Published documents whose revision date is within the month ahead (incl. today)."""
        return self.filter(revision_q(today).due_soon)

    def revision_overdue(self, today: date):
        """Published documents whose revision date has passed."""
        return self.filter(revision_q(today).overdue)

    def revision_due(self, today: date):
        """Due soon or overdue: everything whose revision should be under way."""
        rule = revision_q(today)
        return self.filter(rule.due_soon | rule.overdue)

    def in_units(self, unit_paths: list[str] | tuple[str, ...]):
        from qms.querysets import subtree_q

        return self.filter(subtree_q(unit_paths, "unit__"))


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` in the municipality's time zone (Europe/Oslo)."""
    following = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(following, timezone.get_default_timezone())


class VersionQuerySet(RestrictedQuerySet):
    def in_force_on(self, day: date):
        """The version of each document that was in force at the end of ``day``.

        The rule, decided here and nowhere else (the page, the API and the bundle ask it): a
        version is in force from its approval until the next version of its document is approved
        or the document is withdrawn (archived). A version approved during ``day`` counts for
        that day; one approved later, or superseded or withdrawn during it or before, does not.
        Today's answer is the current published version of every document in force.
        """
        from documents.models import DocumentEvent, DocumentVersion

        cutoff = end_of_day(day)
        later = DocumentVersion.objects.filter(
            document_id=OuterRef("document_id"),
            number__gt=OuterRef("number"),
            approved_at__lt=cutoff,
        )
        withdrawn = DocumentEvent.objects.filter(
            document_id=OuterRef("document_id"),
            kind=DocumentEvent.Kind.ARCHIVED,
            created_at__lt=cutoff,
        )
        return self.filter(status__in=DocumentVersion.READABLE, approved_at__lt=cutoff).filter(
            ~Exists(later), ~Exists(withdrawn)
        )

    def readable(self):
        return self.filter(status__in=["published", "superseded", "archived"])

    def published(self):
        return self.filter(status="published")


class ReadReceiptQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(confirmed_at__isnull=True)

    def current(self):
        """Receipts of each document's current read round (older rounds are history).

        A round belongs to one document, so "the receipt's round is a current round" is the
        same as "is its document's current round", and PostgreSQL estimates it well (hashing the
        current rounds), where the join on two columns of the document was estimated at a few
        rows and grouped many thousands of receipts by sorting them on disk (25 ms instead of
        100 ms for the municipality's read confirmations)."""
        from documents.models import Document

        return self.filter(
            round_id__in=Document.objects.filter(current_round_id__isnull=False).values(
                "current_round_id"
            )
        )
