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
from qms.reports.models import (
    GeneratedReport,
    InternalControlReport,
    ReportChapter,
    StatisticsUnit,
)


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


def may_read_reports(actor: Actor) -> bool:
    """Whether the actor reads the municipality's approved reports (the report on internal
    control to the council): whoever sees statistics of some part of the organisation. The
    read-only roles of the control committee and elected members come in through
    ``statistics_paths``."""
    return actor.is_admin or actor.is_advisor or bool(statistics_paths(actor))


def control_report_rule(actor: Actor, action: str, prefix: str = "") -> Q:
    """The report on internal control (kommuneloven § 25-2): the chief executive (leader of the
    municipality's unit, or deputy) prepares and approves it, quality advisors prepare it with
    them; once approved, everyone who reads reports (:func:`may_read_reports`) reads it."""
    chief = (
        Q(**{f"{prefix}unit_id__in": sorted(actor.led_unit_ids)}) if actor.is_leader else NOTHING
    )
    if action == "approve":
        return chief
    preparers = ALL if actor.is_advisor else chief
    if action == "change":
        return preparers
    if action != "view":
        return NOTHING
    if actor.is_admin:
        return ALL
    approved = Q(**{f"{prefix}status": InternalControlReport.Status.APPROVED})
    return preparers | approved if may_read_reports(actor) else preparers


def chapter_rule(actor: Actor, action: str) -> Q:
    # A chapter is part of its report: whoever may see or change the report, on the chapter.
    return control_report_rule(actor, action, prefix="report__")


def control_report_create_units(actor: Actor, source=None) -> Q:
    """A report is made for the whole municipality (a top unit), by its chief executive or a
    quality advisor."""
    top = Q(depth=1)
    if actor.is_advisor:
        return top
    return top & Q(pk__in=sorted(actor.led_unit_ids)) if actor.is_leader else NOTHING


permissions.register(StatisticsUnit, statistics_unit_rule)
permissions.register(InternalControlReport, control_report_rule)
permissions.register(ReportChapter, chapter_rule)
permissions.register_create(InternalControlReport, control_report_create_units)
permissions.register(GeneratedReport, generated_report_rule)
