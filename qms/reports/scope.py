"""Which part of the organisation a statistic covers, checked against the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from qms.models import OrgUnit
from qms.reports.models import StatisticsUnit


def visible_units(user) -> QuerySet[StatisticsUnit]:
    """Units whose statistics ``user`` may see, in tree order (through the permission layer)."""
    return StatisticsUnit.objects.restrict(user, "view").filter(is_active=True).order_by("path")


def may_view_statistics(user) -> bool:
    """Whether the statistics page has a unit for ``user``: the page answers "no access" and the
    menu leaves "Statistikk" out exactly when this is False."""
    return visible_units(user).exists()


def choices(user) -> list[StatisticsUnit]:
    """The units offered in the subtree picker (one query)."""
    return list(visible_units(user).only("pk", "name", "path", "depth", "kind", "code"))


@dataclass(frozen=True)
class Scope:
    """A chosen subtree: ``unit`` and everything below it. ``hms_only``: the viewer may see
    only its HMS statistics (a verneombud, a tillitsvalgt, an AMU member): the sections
    registered with ``hms=True``, counting HMS cases only (``deviations.querysets.hms_q``)."""

    unit: OrgUnit
    hms_only: bool = False

    @property
    def path(self) -> str:
        return self.unit.path

    def units(self) -> QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.unit.path)

    def unit_ids(self) -> QuerySet:
        """A subquery of the subtree's unit ids, for ``unit__in=`` filters (one indexed query)."""
        return OrgUnit.objects.filter(path__startswith=self.unit.path).values("pk")

    def groups(self) -> list[tuple[str, str]]:
        """(path prefix, name) of the rows of a by-unit breakdown: the scope unit's own row (for
        what is registered directly on it) and one row per child unit with its whole subtree."""
        children = (
            OrgUnit.objects.filter(path__startswith=self.path, depth=self.unit.depth + 1)
            .order_by("path")
            .values_list("path", "name")
        )
        return [(self.path, self.unit.name), *children]

    @property
    def group_length(self) -> int:
        """How many characters of a unit's path name its row of :meth:`groups`: the scope's
        own path for the scope unit, a child's path for everything in that child's subtree."""
        return len(self.unit.path) + OrgUnit.steplen

    def group_of(self, path_field: str) -> Substr:
        """The row of :meth:`groups` a row's unit belongs to, computed in SQL from
        ``path_field`` (e.g. ``"unit__path"``): the key of that row's path prefix."""
        return Substr(path_field, 1, self.group_length)

    def group_ids(self) -> dict[str, int]:
        """The unit id of each row of :meth:`groups` (path prefix -> id), for links to it."""
        children = OrgUnit.objects.filter(
            path__startswith=self.path, depth=self.unit.depth + 1
        ).values_list("path", "pk")
        return {self.path: self.unit.pk, **dict(children)}


def resolve(user, unit_id=None, units: list[StatisticsUnit] | None = None) -> Scope | None:
    """The scope for ``unit_id`` if the user may see it (404 otherwise); their top unit by
    default; None when the user may see no statistics at all."""
    units = choices(user) if units is None else units
    if unit_id in (None, ""):
        return _scope(user, units[0]) if units else None
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404 from None
    for unit in units:
        if unit.pk == pk:
            return _scope(user, unit)
    raise Http404


def _scope(user, unit: StatisticsUnit) -> Scope:
    """The scope of ``unit``: whole, or HMS-only when the user sees only its HMS statistics."""
    whole = StatisticsUnit.objects.restrict(user, "view_all").filter(pk=unit.pk).exists()
    return Scope(unit, hms_only=not whole)
