"""The organisation behind the figures: units and employees in the chosen subtree."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from qms.models import Membership, OrgUnit
from qms.reports import charts as ch
from qms.reports.stats import Block, Figure, Section, register
from qms.reports.tables import SMALL_UNIT_HEADCOUNT, Table


def headcounts(root_path: str, length: int) -> dict[str, int]:
    """Employees per group of units under ``root_path``, grouped by the first ``length``
    characters of their path (the root's children, or the root itself): each unit's registered
    headcount where given, otherwise the people who belong to it. Two grouped queries."""
    prefix = Substr("path", 1, length)
    out: dict[str, int] = {}
    rows = (
        OrgUnit.objects.filter(path__startswith=root_path)
        .annotate(prefix=prefix)
        .values("prefix")
        .annotate(
            registered=Sum("headcount"), missing=Count("pk", filter=Q(headcount__isnull=True))
        )
        .order_by()
    )
    missing = False
    for row in rows:
        out[row["prefix"]] = row["registered"] or 0
        missing = missing or bool(row["missing"])
    if missing:
        members = (
            Membership.objects.filter(
                unit__path__startswith=root_path, unit__headcount__isnull=True
            )
            .exclude(role=Membership.Role.COMMITTEE)
            .annotate(prefix=Substr("unit__path", 1, length))
            .values("prefix")
            .annotate(n=Count("user", distinct=True))
            .order_by()
        )
        for row in members:
            out[row["prefix"]] = out.get(row["prefix"], 0) + row["n"]
    return out


def headcount(scope) -> int:
    """Employees in the subtree (registered headcounts, or members where none is registered)."""
    return headcounts(scope.path, len(scope.path)).get(scope.path, 0)


def is_person_level(scope, employees: int | None = None) -> bool:
    """True when every breakdown of ``scope`` must be treated as person-level: the subtree, or
    what its parent holds besides it, has fewer than ``SMALL_UNIT_HEADCOUNT`` employees (the
    minimum scope population; qms/reports/tables.py says why). ``employees``: the subtree's
    headcount when the caller has it."""
    own = headcount(scope) if employees is None else employees
    if own < SMALL_UNIT_HEADCOUNT:
        return True
    parent = scope.path[: -OrgUnit.steplen]
    if not parent:
        return False  # the municipality: no parent to subtract it from
    return headcounts(parent, len(parent)).get(parent, 0) - own < SMALL_UNIT_HEADCOUNT


@register("organisation", order=10)
def section(scope, period, *, charts: bool = True, report: bool = False) -> Section:
    """Units and employees in the chosen subtree."""
    kinds = dict(OrgUnit.Kind.choices)
    rows = (
        OrgUnit.objects.filter(path__startswith=scope.path, is_active=True)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    counts = {r["kind"]: r["n"] for r in rows}
    table = Table(
        key="organisation_units",
        title=_("Enheter i utvalget etter nivå"),
        columns=[_("Nivå"), _("Antall enheter")],
    )
    for kind, label in kinds.items():
        if counts.get(kind):
            table.add(str(label), counts[kind])
    employees = headcount(scope)
    result = Section(
        key="organisation",
        title=_("Organisasjon"),
        intro=_("Statistikken gjelder %(unit)s og alle enheter under, %(period)s.")
        % {"unit": scope.unit.name, "period": period.label},
        figures=[
            Figure(_("Enheter"), sum(counts.values())),
            Figure(_("Ansatte"), employees),
        ],
    )
    chart = (
        ch.bar(table.title, table.labels(), [(_("Antall enheter"), table.column(1))])
        if charts and len(table.rows) > 1
        else None
    )
    result.blocks.append(Block(table, chart))
    return result
