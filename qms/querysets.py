"""Named queries for the organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet

if TYPE_CHECKING:
    from qms.models import OrgUnit


def subtree_q(paths: list[str] | tuple[str, ...], prefix: str = "") -> Q:
    """Q matching units whose path starts with one of ``paths``.

    ``prefix`` is the lookup path to the unit ("" for OrgUnit itself, "unit__" for a model with
    a ``unit`` foreign key). An empty list matches nothing.
    """
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


class OrgUnitQuerySet(MP_NodeQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def subtree_of(self, *units: OrgUnit):
        return self.filter(subtree_q([u.path for u in units]))

    def ancestors_of(self, unit: OrgUnit, include_self: bool = True):
        paths = unit.ancestor_paths if include_self else unit.ancestor_paths[:-1]
        return self.filter(path__in=paths)


class OrgUnitManager(MP_NodeManager):
    """treebeard's manager (path order) with the organisation's named queries."""

    def get_queryset(self):
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def active(self):
        return self.get_queryset().active()

    def subtree_of(self, *units: OrgUnit):
        return self.get_queryset().subtree_of(*units)

    def ancestors_of(self, unit: OrgUnit, include_self: bool = True):
        return self.get_queryset().ancestors_of(unit, include_self)


class MembershipQuerySet(models.QuerySet):
    def leadership(self):
        return self.filter(role__in=["leader", "deputy"])

    def for_user(self, user):
        return self.filter(user=user)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def listed(self):
        """One row per item a person sees — the same kind, subject and link — newest first.

        The same news about the same thing (a second comment on a case, a document approved
        again) is one line in a list, not two: ``latest_id`` (for opening it), ``latest_at``,
        ``count`` and ``unread`` (how many of them are unread).
        """
        return (
            self.values("kind", "subject", "url")
            .annotate(
                latest_id=models.Max("pk"),
                latest_at=models.Max("created_at"),
                count=models.Count("pk"),
                unread=models.Count("pk", filter=models.Q(read_at__isnull=True)),
            )
            .order_by("-latest_at", "-latest_id")
        )

    def unread_items(self):
        """The lines of listed() that hold something unread (the header's count)."""
        return self.unread().order_by().values("kind", "subject", "url").distinct()

    def same_item(self, notification_id: int):
        """Every notification listed on the same line as ``notification_id`` (see listed())."""
        item = self.filter(pk=notification_id).values("kind", "subject", "url").first()
        return self.filter(**item) if item else self.none()
