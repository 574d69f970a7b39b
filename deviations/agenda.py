"""The deviations' headings of a management review's agenda (qms/reports/agenda.py): the same
section, blocks and lists the statistics and the quality report show, for the review's unit
subtree and year."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deviations import stats
from qms.reports.agenda import agenda, from_section


@agenda.register("deviations", order=20, title=_("Avvik, uønskede hendelser og tiltak over frist"))
def deviations_agenda(scope, period) -> dict:
    """Trend and signals (the control chart), by category and source, and the overdue actions
    (``ActionQuerySet.overdue``, through the section's ``Facts``)."""
    section = stats.section(scope, period, charts=False, report=True)
    return from_section(
        section,
        tables=[
            "deviations_by_month",
            "deviations_by_category",
            "deviations_by_source",
            "deviations_overdue_actions",
        ],
    )


@agenda.register("inspections", order=60, title=_("Åpne funn fra tilsyn"))
def inspections_agenda(scope, period) -> dict:
    """Open inspection findings and those past the authority's deadline, as they stand today
    (``FindingQuerySet.open`` / ``past_deadline``, the statistics' block)."""
    from qms.reports.agenda import figure

    block = stats.inspection_block(scope, timezone.localdate(), charts=False)
    table = block.table
    return {
        "figures": [
            figure(_("Åpne funn"), sum(table.column(1))),
            figure(_("Over tilsynets frist"), sum(table.column(2))),
        ],
        "tables": [table.as_dict()],
    }
