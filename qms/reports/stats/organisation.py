"""The organisation behind the figures: units and employees in the chosen subtree."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from qms.models import Membership, OrgUnit
from qms.reports import charts as ch
from qms.reports.stats import Block, Figure, Section
from qms.reports.tables import Table


def headcount(scope) -> int:
    """Employees in the subtree: the units' registered headcount where given, otherwise the
    number of people with an employee membership (one query)."""
    row = OrgUnit.objects.filter(path__startswith=scope.path).aggregate(
        registered=Sum("headcount"),
        missing=Count("pk", filter=Q(headcount__isnull=True)),
    )
    registered = row["registered"] or 0
    if row["missing"]:
        members = (
            Membership.objects.filter(
                unit__path__startswith=scope.path, unit__headcount__isnull=True
            )
            .values("user")
            .distinct()
            .count()
        )
        registered += members
    return registered


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
