"""The annual wheel's headings of a management review's agenda (qms/reports/agenda.py): control
activities (rounds and internal audits, planned against carried out, and their findings) and the
wheel's completion — the blocks and figures of the statistics section ``annual_wheel``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from annual_wheel import stats
from qms.reports.agenda import agenda, figure, from_section


@agenda.register("control", order=50, title=_("Vernerunder, egenkontroller og interne revisjoner"))
def control_agenda(scope, period) -> dict:
    """Rounds with a checklist and internal audits in the period (``rounds_block``,
    ``audits_block``)."""
    occurrences = stats.occurrences(scope)
    rounds = stats.rounds_block(scope, occurrences, period, charts=False).table
    audits = stats.audits_block(scope, period, charts=False).table
    return {
        "figures": [
            figure(_("Runder planlagt i årshjulet"), sum(rounds.column(1))),
            figure(_("Signerte runder"), sum(rounds.column(2))),
            figure(_("Funn i runder"), sum(rounds.column(4))),
            figure(_("Revisjoner planlagt"), sum(audits.column(1))),
            figure(_("Revisjoner rapportert"), sum(audits.column(2))),
            figure(_("Avvik funnet ved revisjon"), sum(audits.column(3))),
        ],
        "tables": [rounds.as_dict(), audits.as_dict()],
    }


@agenda.register("wheel", order=70, title=_("Årshjulet: gjennomføring"))
def wheel_agenda(scope, period) -> dict:
    """Occurrences due in the year, done, on time and overdue (the statistics' figures)."""
    section = stats.section(scope, period, charts=False, report=True)
    return from_section(section, tables=["wheel_by_unit", "wheel_overdue"])
