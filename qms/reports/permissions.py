"""The reports app's rows in the permission layer.

Statistics are aggregates scoped to the viewer's subtree (docs/design.md §3): a leader sees the
statistics of the units they lead and everything under them, a committee member the subtree
they are appointed for, a member of the control committee or an elected member (read-only) and a
quality coordinator theirs, quality advisors and administrators the whole municipality.
Employees without such a role see no statistics. Verneombud, hovedverneombud, tillitsvalgte and
AMU members see the HMS statistics of their subtree: ``view`` lets them choose the unit,
``view_all`` (every section, every case) does not, and ``qms.reports.scope.resolve`` then
gives them an HMS-only scope.
"""

from django.db.models import Q

from qms import permissions
from qms.permissions import ALL, NOTHING, Actor
from qms.querysets import subtree_q
from qms.reports.models import GeneratedReport, StatisticsUnit


def statistics_paths(actor: Actor) -> tuple[str, ...]:
    """Roots of the subtrees whose statistics the actor may see (empty: none; see ALL)."""
    return tuple(
        sorted(
            set(actor.led_paths)
            | set(actor.committee_paths)
            | set(actor.reader_paths)
            | set(actor.coordinator_paths)
        )
    )


def statistics_unit_rule(actor: Actor, action: str) -> Q:
    if action not in ("view", "view_all"):
        return NOTHING
    if actor.is_admin or actor.is_advisor:
        return ALL
    paths = statistics_paths(actor)
    if action == "view":
        paths = tuple(sorted(set(paths) | set(actor.hms_statistics_paths)))
    return subtree_q(paths) if paths else NOTHING


def generated_report_rule(actor: Actor, action: str) -> Q:
    # A report holds the same aggregates as the statistics page for its unit, so whoever may see
    # that unit's statistics may read it; nobody edits a generated report.
    if action != "view":
        return NOTHING
    if actor.is_admin or actor.is_advisor:
        return ALL
    paths = statistics_paths(actor)
    return subtree_q(paths, prefix="unit__") if paths else NOTHING


permissions.register(StatisticsUnit, statistics_unit_rule)
permissions.register(GeneratedReport, generated_report_rule)
