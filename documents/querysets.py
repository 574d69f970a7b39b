"""Named queries for documents."""

from __future__ import annotations

from datetime import date, timedelta

from qms.permissions import RestrictedQuerySet

REVISION_NOTICE = timedelta(days=30)


class DocumentQuerySet(RestrictedQuerySet):
    def published(self):
        return self.filter(status="published")

    def due_for_revision(self, today: date):
        """Published documents whose next revision falls within a month (not yet overdue)."""
        return self.published().filter(
            next_revision__gte=today, next_revision__lte=today + REVISION_NOTICE
        )

    def overdue(self, today: date):
        """Published documents whose revision date has passed."""
        return self.published().filter(next_revision__lt=today)

    def in_units(self, unit_paths: list[str] | tuple[str, ...]):
        from qms.querysets import subtree_q

        return self.filter(subtree_q(unit_paths, "unit__"))


class VersionQuerySet(RestrictedQuerySet):
    def readable(self):
        return self.filter(status__in=["published", "superseded", "archived"])

    def published(self):
        return self.filter(status="published")


class ReadReceiptQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(confirmed_at__isnull=True)

    def current(self):
        """Receipts of each document's current read round (older rounds are history)."""
        from django.db.models import F

        return self.filter(round_id=F("document__current_round_id"))
