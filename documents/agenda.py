"""The documents' heading of a management review's agenda (qms/reports/agenda.py): the
statistics section (revision status by ``revision_q``, read confirmations, the required
documents' coverage by ``documents.coverage``) and the list of documents past their revision
date the quality report prints."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from documents import stats
from qms.reports.agenda import agenda, from_section


@agenda.register("documents", order=30, title=_("Dokumenter: revisjon og lesing"))
def documents_agenda(scope, period) -> dict:
    section = stats.section(scope, period, charts=False, report=True)
    return from_section(
        section,
        tables=[
            "documents_status_by_unit",
            "documents_read_by_unit",
            "documents_required_by_unit",
            "documents_overdue",
        ],
    )
