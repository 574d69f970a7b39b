"""The risk heading of a management review's agenda (qms/reports/agenda.py): the statistics
section (the threshold by ``RiskItemQuerySet.with_threshold``, unaccepted residual risk) and the
list of high risks the quality report prints."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qms.reports.agenda import agenda, from_section
from risk import stats


@agenda.register("risk", order=40, title=_("Risiko over tiltaksgrensen og restrisiko"))
def risk_agenda(scope, period) -> dict:
    section = stats.section(scope, period, charts=False, report=True)
    return from_section(section, tables=["risk_by_unit", "risk_high"])
