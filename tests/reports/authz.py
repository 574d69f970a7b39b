"""Authorization rows for statistics, exports and the quality reports.

Statistics are for leaders (their subtree), the quality committee (its subtree: Sektor A) and
advisors; an employee gets an explanation page and no data. The kontrollutvalg and elected
members (the municipality) read every statistic and report; verneombud, hovedverneombud,
tillitsvalgte and AMU members get the HMS statistics only (the deviations section, no other
table, no quality report).
"""

from qms.reports.stats import builders
from tests.authz import (
    API_ANON,
    HMS_STATISTICS_ROLES,
    LOGIN,
    READER_ROLES,
    Row,
)

SECTIONS = [key.replace("_", "-") for key, _build in builders()]


def objects(org, users):
    from qms.reports.models import GeneratedReport

    def report(unit, requested_by):
        return GeneratedReport.objects.create(
            unit=unit,
            period_kind="year",
            period_start="2026-01-01",
            period_end="2027-01-01",
            requested_by=requested_by,
        )

    return {
        "report_a1": report(org.unit_a1, org.leader_a1),
        "report_b1": report(org.unit_b1, org.leader_b1),
    }


REPORTS = ("report_a1", "report_b1")
# Whoever may see a unit's statistics finds its reports in the list (qms/reports/permissions.py).
LISTED = {
    "*": (),
    **dict.fromkeys(("leader", "sector_leader", "deputy", "committee"), ("report_a1",)),
    "sibling_leader": ("report_b1",),
    "advisor": REPORTS,
    "admin": REPORTS,
    **dict.fromkeys(READER_ROLES, REPORTS),
}


# Who may see statistics of Enhet A1: its leader, the committee (Sektor A), advisors, admins.
A1_STATS = {
    "*": 404,
    "anonymous": LOGIN,
    "employee": 403,
    "sibling_employee": 403,
    "leader": 200,
    "advisor": 200,
    "committee": 200,
    "admin": 200,
    **dict.fromkeys(READER_ROLES, 200),
    **dict.fromkeys(HMS_STATISTICS_ROLES, 200),
}
# Only the deviations section is in an HMS-only scope: the others are not found.
HMS_ONLY_MISSING = dict.fromkeys(HMS_STATISTICS_ROLES, 404)
# The same for an API endpoint (anonymous is refused by DRF first).
A1_STATS_API = {**A1_STATS, "anonymous": API_ANON}


def _unit(ctx):
    return ctx["org"].unit_a1.pk


ROWS = [
    Row("reports:index", lambda c: "/statistikk/", {"*": 200, "anonymous": LOGIN}),
    Row(
        "reports:index",
        lambda c: f"/statistikk/?unit={_unit(c)}",
        {**A1_STATS, "employee": 200, "sibling_employee": 200},
        label="unit A1 (employees get the no-access page)",
    ),
    Row(
        "reports:export",
        lambda c: f"/statistikk/eksport/alle.csv?unit={_unit(c)}",
        A1_STATS,
        label="all tables of A1 as CSV",
    ),
    Row(
        "reports:export",
        lambda c: f"/statistikk/eksport/organisation_units.xlsx?unit={_unit(c)}",
        {**A1_STATS, **HMS_ONLY_MISSING},
        label="one table of A1 as XLSX",
    ),
    Row(
        "reports:report_list",
        lambda c: "/statistikk/rapporter/",
        {
            "*": 200,
            "anonymous": LOGIN,
            "employee": 403,
            "sibling_employee": 403,
            **dict.fromkeys((*READER_ROLES, *HMS_STATISTICS_ROLES), 200),
        },
        among=REPORTS,
        shows=LISTED,
    ),
    Row(
        "reports:report_list",
        lambda c: "/statistikk/rapporter/",
        {
            **A1_STATS,
            "leader": 302,
            "advisor": 302,
            "committee": 302,
            "admin": 302,
            **dict.fromkeys(READER_ROLES, 302),
            # The quality report holds every section: not for an HMS-only viewer.
            **dict.fromkeys(HMS_STATISTICS_ROLES, 403),
        },
        method="post",
        data=lambda c: {"unit": _unit(c), "period": "year", "year": "2026"},
        label="ask for the PDF of A1",
    ),
    Row(
        "reports:report_detail",
        lambda c: f"/statistikk/rapporter/{c['report_a1'].uid}/",
        {
            **A1_STATS,
            "employee": 404,
            "sibling_employee": 404,
            **dict.fromkeys(HMS_STATISTICS_ROLES, 404),
        },
    ),
    Row(
        "reports:report_download",
        lambda c: f"/statistikk/rapporter/{c['report_a1'].uid}/pdf/",
        # Visible to the same people, but the report has not been rendered: 404 for everyone.
        {"*": 404, "anonymous": LOGIN},
    ),
    *[
        Row(
            f"statistics-{name}",
            lambda c, name=name: f"/api/v1/statistics/{name}/?unit={_unit(c)}",
            A1_STATS_API if name == "deviations" else {**A1_STATS_API, **HMS_ONLY_MISSING},
            api=True,
        )
        for name in SECTIONS
    ],
]
