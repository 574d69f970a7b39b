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
        **control_reports(org),
    }


def control_reports(org):
    """A draft report on internal control (2024) and an approved one (2023), made and approved
    by the chief executive (the leader of the municipality) through the services."""
    from qms.reports import periods
    from qms.reports.control import services

    draft = services.create_report(org.chief, org.root, periods.year(2024))
    approved = services.create_report(org.chief, org.root, periods.year(2023))
    overall = approved.chapters.get(unit=org.root)
    services.save_chapter(org.chief, overall, good="Godt", weak="Svakt", planned="Plan")
    services.approve_report(org.chief, approved)
    return {
        "ctl_draft": draft,
        "ctl_approved": approved,
        "ctl_chapter": draft.chapters.get(unit=org.root),
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


CONTROL = ("ctl_draft", "ctl_approved")
# The report on internal control: drafts for advisors (and the chief executive, who is no role
# of the matrix; tests/reports/test_control_report.py), approved ones for every reader of
# reports (whoever sees some statistics).
CONTROL_LISTED = {
    "*": ("ctl_approved",),
    **dict.fromkeys(
        ("employee", "sibling_employee", "handler", "foreign_responsible", "grantee"), ()
    ),
    "advisor": CONTROL,
    "admin": CONTROL,
    # The control committee and elected members read the approved report (docs/design.md §1).
    **dict.fromkeys(READER_ROLES, ("ctl_approved",)),
}
READERS = {
    "*": 200,
    "anonymous": LOGIN,
    "employee": 404,
    "sibling_employee": 404,
    **dict.fromkeys(READER_ROLES, 200),
}
DRAFT = {"*": 404, "anonymous": LOGIN, "advisor": 200, "admin": 200}
# Visible to the admin, but only advisors (and the chief executive) prepare it.
DRAFT_CHANGE = {**DRAFT, "advisor": 302, "admin": 403}
# Nobody of the matrix approves: the chief executive only.
DRAFT_APPROVE = {**DRAFT, "advisor": 403, "admin": 403}


def _texts(c):
    return {"chapter": c["ctl_chapter"].pk, "good": "Godt", "weak": "Svakt", "planned": "Plan"}


def _api(expect):
    return {**expect, "anonymous": API_ANON}


def _report_url(key, suffix=""):
    return lambda c: f"/statistikk/internkontroll/{c[key].uid}/{suffix}"


def _api_url(key, suffix=""):
    return lambda c: f"/api/v1/internal-control-reports/{c[key].uid}/{suffix}"


CONTROL_ROWS = [
    Row(
        "reports:control_reports",
        lambda c: "/statistikk/internkontroll/",
        {
            "*": 200,
            "anonymous": LOGIN,
            "employee": 403,
            "sibling_employee": 403,
            **dict.fromkeys(READER_ROLES, 200),
        },
        among=CONTROL,
        shows=CONTROL_LISTED,
    ),
    Row(
        "reports:control_reports",
        lambda c: "/statistikk/internkontroll/",
        {"*": 403, "anonymous": LOGIN, "advisor": 302},
        method="post",
        data=lambda c: {"year": "2022", "part": "year"},
        label="make the report for 2022",
    ),
    Row("reports:control_report", _report_url("ctl_draft"), DRAFT, label="draft"),
    Row("reports:control_report", _report_url("ctl_approved"), READERS, label="approved"),
    Row(
        "reports:control_report_assemble",
        _report_url("ctl_draft", "hent-tall/"),
        DRAFT_CHANGE,
        method="post",
    ),
    Row(
        "reports:control_report_approve",
        _report_url("ctl_draft", "godkjenn/"),
        DRAFT_APPROVE,
        method="post",
    ),
    Row(
        "reports:control_chapter",
        lambda c: (
            f"/statistikk/internkontroll/{c['ctl_draft'].uid}/kapittel/{c['ctl_chapter'].pk}/"
        ),
        {**DRAFT_CHANGE, "advisor": 200},
    ),
    Row(
        "reports:control_chapter",
        lambda c: (
            f"/statistikk/internkontroll/{c['ctl_draft'].uid}/kapittel/{c['ctl_chapter'].pk}/"
        ),
        DRAFT_CHANGE,
        method="post",
        data=_texts,
    ),
    Row(
        "reports:control_report_download",
        _report_url("ctl_approved", "rapport.html"),
        READERS,
        label="approved, as HTML",
    ),
    Row(
        "internal-control-report-list",
        lambda c: "/api/v1/internal-control-reports/",
        {"*": 200, "anonymous": API_ANON},
        api=True,
        among=CONTROL,
        shows=CONTROL_LISTED,
    ),
    Row(
        "internal-control-report-list",
        lambda c: "/api/v1/internal-control-reports/",
        {"*": 403, "anonymous": API_ANON, "advisor": 201},
        method="post",
        api=True,
        data=lambda c: {"year": 2022, "tertial": 1},
        label="make the report for the first tertial of 2022",
    ),
    Row(
        "internal-control-report-detail",
        _api_url("ctl_approved"),
        _api(READERS),
        api=True,
        label="approved",
    ),
    Row(
        "internal-control-report-texts",
        _api_url("ctl_draft", "texts/"),
        _api({**DRAFT, "admin": 403}),
        method="post",
        api=True,
        data=_texts,
    ),
    Row(
        "internal-control-report-assemble",
        _api_url("ctl_draft", "assemble/"),
        _api({**DRAFT, "admin": 403}),
        method="post",
        api=True,
    ),
    Row(
        "internal-control-report-approve",
        _api_url("ctl_draft", "approve/"),
        _api(DRAFT_APPROVE),
        method="post",
        api=True,
    ),
]


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
    *CONTROL_ROWS,
]
