"""Deviation statistics on a small fixed data set, against figures computed by hand."""

import datetime as dt
import math

import pytest
from django.utils import timezone

deviation_models = pytest.importorskip("deviations.models")
if not hasattr(deviation_models, "Deviation"):  # the deviations module has not landed yet
    pytest.skip("deviations has no models yet", allow_module_level=True)
from deviations import tallies  # noqa: E402
from deviations.models import Category, CorrectiveAction, Deviation, Event  # noqa: E402
from qms.reports import periods, stats  # noqa: E402
from qms.reports.scope import Scope  # noqa: E402
from qms.reports.tables import MASKED, SUPPRESSED, is_suppressed  # noqa: E402

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def at(year, month, day):
    return dt.datetime(year, month, day, 12, tzinfo=TZ)


@pytest.fixture
def data(org):
    org.unit_a1.headcount = 40
    org.unit_a1.save()
    org.unit_a2.headcount = 10
    org.unit_a2.save()
    org.unit_b1.headcount = 30
    org.unit_b1.save()
    hms = Category.objects.get_or_create(name="HMS")[0]
    info = Category.objects.get_or_create(name="Informasjonssikkerhet")[0]
    seq = iter(range(1, 1000))

    def dev(unit, when, kind="deviation", severity=2, category=hms, state="reported", **extra):
        n = next(seq)
        return Deviation.objects.create(
            number=f"AV-{when.year}-{n:05d}",
            year=when.year,
            sequence=n,
            unit=unit,
            kind=kind,
            severity=severity,
            category=category,
            title="Tittel med navn Ola Nordmann",
            description="Beskrivelse",
            occurred_at=when,
            created_at=when,
            state=state,
            **extra,
        )

    a1 = [
        dev(
            org.unit_a1,
            at(2025, 1, 1),
            cause_class="human",
            state="closed",
            closed_at=at(2025, 1, 11),
        ),
        dev(org.unit_a1, at(2025, 1, 5), cause_class="human"),
        dev(org.unit_a1, at(2025, 1, 9), cause_class="human"),
        dev(
            org.unit_a1,
            at(2025, 2, 1),
            "adverse_event",
            4,
            cause_class="system",
            state="closed",
            closed_at=at(2025, 3, 3),
        ),
        dev(org.unit_a1, at(2025, 2, 10), "adverse_event", 4, cause_class="system"),
        dev(org.unit_a1, at(2025, 3, 1), "injury", 5, info, cause_class="procedure"),
    ]
    dev(org.unit_a2, at(2025, 1, 20), "improvement", 1)
    dev(org.unit_a2, at(2025, 1, 21), "improvement", 1)
    for day in (2, 3, 4):
        dev(org.unit_b1, at(2025, 1, day), severity=5)
    for day in (2, 3, 4, 5):
        dev(org.unit_a1, at(2024, 1, day))
    CorrectiveAction.objects.create(
        deviation=a1[3],
        unit=org.unit_a1,
        description="Ny rutine for dobbeltkontroll",
        responsible=org.leader_a1,
        deadline=dt.date(2025, 2, 20),
        done_at=at(2025, 2, 25),
        effect="effective",
        effect_evaluated_at=at(2025, 3, 1),
    )
    CorrectiveAction.objects.create(
        deviation=a1[4],
        unit=org.unit_a1,
        description="Opplæring",
        responsible=org.leader_a1,
        deadline=dt.date(2025, 4, 1),
    )
    Event.objects.create(deviation=a1[1], kind="started", at=at(2025, 1, 7))
    Event.objects.create(deviation=a1[1], kind="comment", at=at(2025, 1, 8))
    return org


def section(unit, report=False, period=None):
    build = dict(stats.builders())["deviations"]
    return build(Scope(unit), period or periods.year(2025), charts=True, report=report)


def test_trend_by_month_and_kind_against_last_year(data):
    table = section(data.sector_a).table("deviations_by_month")
    assert table.columns[1:] == [
        "Avvik",
        "Uønsket hendelse",
        "Skade eller nestenulykke",
        "Forbedringsforslag",
        "I alt",
        "Samme måned i fjor",
    ]
    assert table.plain_rows()[0] == ["jan 2025", 3, 0, 0, 2, 5, 4]
    # Sektor A has 52 employees, so only counts per unit are person-level: small counts show.
    assert table.plain_rows()[1] == ["feb 2025", 0, 2, 0, 0, 2, 0]
    assert table.plain_rows()[2] == ["mar 2025", 0, 0, 1, 0, 1, 0]
    assert len(table.rows) == 12


def test_by_unit_per_100_employees_with_small_counts_suppressed(data):
    table = section(data.sector_a).table("deviations_by_unit")
    # Enhet A1: 40 registered + 1 member of the department without a headcount = 41. Its 6
    # cases and A2's 0 overdue actions are hidden too: the sector's totals (8 cases, 1 overdue
    # action) would otherwise give A2's count and A1's (complementary suppression).
    assert table.rows == [
        ["Enhet A1", 41, MASKED, MASKED, SUPPRESSED, SUPPRESSED],
        ["Enhet A2", 10, SUPPRESSED, SUPPRESSED, SUPPRESSED, MASKED],
    ]
    assert [str(c) for c in table.rows[0]] == ["Enhet A1", "41", "×", "×", "< 5", "< 5"]


def _single_hidden_lines(table):
    """Lines (count columns, and row totals with their parts) holding exactly one hidden cell:
    each would give that cell away by subtraction from its published total. A line of one
    cell is its own total, the headline figure, which a person-level scope suppresses."""
    lines = [[row[c] for row in table.rows] for c in table.count_columns]
    for total, parts in table.totals.items():
        lines += [[row[c] for c in (*parts, total)] for row in table.rows]
    return [line for line in lines if len(line) > 1 and sum(map(is_suppressed, line)) == 1]


def test_no_suppressed_cell_can_be_worked_out_from_a_total(data):
    """Before the complementary suppression, A2's '< 5' was the sector's 8 minus A1's 6."""
    for unit in (data.sector_a, data.unit_a2, data.unit_a1):
        for table in section(unit).tables():
            if table.person_level:
                assert _single_hidden_lines(table) == [], (unit.name, table.key)
    figures = {f.label: f.value for f in section(data.sector_a).figures}
    assert figures["Meldinger i perioden"] == 8  # the total stays; both parts are hidden


def test_a_small_scope_suppresses_its_totals_too(data):
    """A2 (10 employees) hid its cells but printed their sum as the headline figure."""
    figures = {f.label: f.value for f in section(data.unit_a2).figures}
    assert figures["Meldinger i perioden"] == SUPPRESSED
    assert figures["Per 100 ansatte"] == SUPPRESSED
    assert figures["Åpne"] == SUPPRESSED


def test_a_scope_whose_parent_holds_few_others_is_person_level(data):
    """Sektor A minus Enhet A1 is 11 people: A1's breakdowns, subtracted from the sector's,
    would show them, so A1 is treated as person-level (minimum scope population)."""
    trend = section(data.unit_a1).table("deviations_by_month")
    assert trend.person_level
    assert trend.rows[1][2] == SUPPRESSED  # feb 2025: 2 adverse events
    assert not section(data.sector_a).table("deviations_by_month").person_level


def test_a_period_of_days_hides_every_person_level_count(data):
    """A one-day period (or two overlapping ones) would isolate a single case per unit."""
    day = periods.custom(dt.date(2025, 1, 1), dt.date(2025, 1, 1))
    table = section(data.sector_a, period=day).table("deviations_by_unit")
    assert [row[2] for row in table.rows] == [SUPPRESSED, SUPPRESSED]
    assert all(is_suppressed(row[c]) for row in table.rows for c in table.count_columns)


def test_severity_cause_pareto_and_states(data):
    s = section(data.sector_a)
    assert s.table("deviations_by_severity").rows == [
        ["1 – Ubetydelig", 2, 25.0],
        ["2 – Liten", 3, 37.5],
        ["3 – Moderat", 0, 0.0],
        ["4 – Alvorlig", 2, 25.0],
        ["5 – Svært alvorlig", 1, 12.5],
    ]
    assert s.table("deviations_by_cause").rows == [
        ["Menneskelig", 3, 50.0, 50.0],
        ["System", 2, 33.3, 83.3],
        ["Rutine", 1, 16.7, 100.0],
    ]
    states = {r[0]: r[1] for r in s.table("deviations_by_state").rows}
    assert states["Lukket"] == 2
    assert states["Meldt"] == 6


def test_median_and_90th_percentile_days_to_close(data):
    s = section(data.sector_a)
    table = s.table("deviations_time_to_close")
    # Closed after 10 and 30 days: median 20, 90th percentile 10 + 0.9 * 20 = 28.
    assert table.footer == ["Alle", 2, 20.0, 28.0]
    figures = {f.label: f.value for f in s.figures}
    assert figures["Median dager til lukking"] == 20.0
    assert figures["90-persentil dager til lukking"] == 28.0
    assert figures["Meldinger i perioden"] == 8
    assert figures["Alvorlige (4–5)"] == 3
    assert figures["Tiltak over frist"] == 1
    assert figures["Andel som har fått tilbakemelding"] == "12,5 %"
    assert figures["Median dager til første tilbakemelding"] == 2.0


def test_control_chart_limits_by_hand(data):
    s = section(data.sector_a)
    table = s.table("deviations_control_chart")
    # 24 months, 2024-01 .. 2025-12; unwanted events only (no improvement proposals):
    # 4 in jan 2024, 3 + 2 + 1 in jan-mar 2025. Exposure 52 employees = 0.52 hundreds.
    assert len(table.rows) == 24
    counts = [4] + [0] * 11 + [3, 2, 1] + [0] * 9
    rates = [c / 0.52 for c in counts]
    centre = 10 / (24 * 0.52)
    # Laney's u′: the z-scores' average moving range / 1.128 would narrow the Poisson limits
    # here (mostly empty months), and u′ is never narrower than the u-chart.
    sigma = math.sqrt(centre / 0.52)
    z = [(u - centre) / sigma for u in rates]
    assert sum(abs(b - a) for a, b in zip(z, z[1:], strict=False)) / 23 / 1.128 < 1
    upper = centre + 3 * sigma
    assert table.rows[0][3] == round(centre, 4)
    assert table.rows[0][4] == round(upper, 4)
    assert table.rows[0][5] == 0.0
    flagged = [str(r[0]) for r in table.rows if r[6]]
    assert flagged == [m for m, r in zip(table.labels(), rates, strict=True) if r > upper]
    assert flagged == ["jan 2024", "jan 2025"]  # 7.69 and 5.77 per 100 > 4.53
    # Only the months of the period shown (2025) count: jan 2024 steadies the limits.
    assert {f.label: f.value for f in s.figures}["Måneder utenfor kontrollgrensene"] == 1


def test_a_committee_scoped_to_one_sector_sees_nothing_of_another(data, api_for):
    api = api_for(data.committee)
    response = api.get(
        f"/api/v1/statistics/deviations/?unit={data.sector_a.pk}&period=year&year=2025"
    )
    assert response.status_code == 200
    figures = {f["label"]: f["value"] for f in response.json()["figures"]}
    assert figures["Meldinger i perioden"] == 8  # Enhet B1's three are not counted
    assert api.get(f"/api/v1/statistics/deviations/?unit={data.sector_b.pk}").status_code == 404
    assert api.get(f"/api/v1/statistics/deviations/?unit={data.unit_b1.pk}").status_code == 404
    assert api.get(f"/api/v1/statistics/deviations/?unit={data.root.pk}").status_code == 404


def test_a_small_unit_suppresses_every_breakdown(data):
    s = section(data.unit_a2)  # 10 employees
    first = s.table("deviations_by_month").rows[0]
    assert str(first[0]) == "jan 2025"
    assert first[1:] == [
        0,
        0,
        0,
        SUPPRESSED,
        SUPPRESSED,
        0,
    ]


def test_the_report_lists_serious_deviations_without_personal_data(data):
    s = section(data.sector_a, report=True)
    serious = s.table("deviations_serious")
    assert [r[0] for r in serious.rows] == ["AV-2025-00004", "AV-2025-00005", "AV-2025-00006"]
    assert all("Ola" not in str(c) for r in serious.rows for c in r)
    measures = s.table("deviations_serious_closed_measures")
    assert measures.plain_rows() == [
        ["AV-2025-00004", "Ny rutine for dobbeltkontroll", "25.02.2025", "Virket"]
    ]
    overdue = s.table("deviations_overdue_actions")
    assert overdue.plain_rows()[0][:3] == ["AV-2025-00005", "Enhet A1", "01.04.2025"]


def personal_case(data, sequence, severity, occurred, *, action, deadline, closed=None):
    """A case of Enhet A1 marked "contains personal data", with one action: done (and its effect
    checked) when the case is ``closed``, else open with ``deadline``."""
    case = Deviation.objects.create(
        number=f"AV-2025-{sequence:05d}",
        year=2025,
        sequence=sequence,
        unit=data.unit_a1,
        kind="injury",
        severity=severity,
        title="Pasient",
        description="Beskrivelse",
        occurred_at=occurred,
        created_at=occurred,
        state="closed" if closed else "reported",
        closed_at=closed,
        contains_personal_data=True,
    )
    CorrectiveAction.objects.create(
        deviation=case,
        unit=data.unit_a1,
        description=action,
        responsible=data.leader_a1,
        deadline=deadline,
        done_at=closed - dt.timedelta(days=3) if closed else None,
        effect="effective" if closed else "",
    )
    return case


def test_the_closing_list_prints_no_measure_of_a_personal_data_case_whatever_it_is_given(data):
    """The one text the report prints is the closing measures' descriptions, and only of cases
    not marked as holding personal data: closing_list keeps to that whatever ids it is given."""
    from deviations.stats import closing_list

    closed = Deviation.objects.get(number="AV-2025-00004")
    personal = personal_case(
        data,
        902,
        5,
        at(2025, 2, 14),
        action="Samtale med Ola om medisinene hans",
        deadline=dt.date(2025, 2, 16),
        closed=at(2025, 2, 20),
    )
    table = closing_list([closed.pk, personal.pk])
    assert [[str(cell) for cell in row] for row in table.rows] == [
        ["AV-2025-00004", "Ny rutine for dobbeltkontroll", "25.02.2025", "Virket"]
    ]


def test_the_committee_report_lists_no_case_of_a_personal_data_deviation(data):
    """The committee's PDF shows personal-data cases only in the counts: no row of the serious
    list, of the closing measures or of the overdue actions names one."""
    from qms.reports import pdf, quality_report

    personal_case(
        data,
        900,
        5,
        at(2025, 2, 14),
        action="Tiltak i personsak",
        deadline=dt.date(2025, 2, 16),
        closed=at(2025, 2, 20),
    )
    personal_case(data, 901, 2, at(2025, 3, 14), action="Over frist", deadline=dt.date(2025, 3, 20))
    s = section(data.sector_a, report=True)
    assert [r[0] for r in s.table("deviations_serious").rows] == [
        "AV-2025-00004",
        "AV-2025-00005",
        "AV-2025-00006",
    ]
    assert [r[0] for r in s.table("deviations_serious_closed_measures").rows] == ["AV-2025-00004"]
    assert [r[0] for r in s.table("deviations_overdue_actions").rows] == ["AV-2025-00005"]
    figures = {f.label: f.value for f in s.figures}
    assert figures["Alvorlige (4–5)"] == 4  # counted, not listed
    assert figures["Tiltak over frist"] == 2
    html = pdf.render_html(quality_report.build_context(Scope(data.sector_a), periods.year(2025)))
    assert "AV-2025-00900" not in html
    assert "AV-2025-00901" not in html
    assert "Tiltak i personsak" not in html
    assert "AV-2025-00004" in html


def test_open_inspection_findings_past_the_authoritys_deadline(org):
    """Per authority, for the inspections whose responsible unit is in the scope."""
    from deviations.models import InspectionFinding
    from tests.deviations.inspections import authority, finding, inspection

    arbeid = inspection(org)
    mat = inspection(org, authority=authority("Mattilsynet"), unit=org.unit_a2, actor=org.leader_a)
    elsewhere = inspection(org, unit=org.unit_b1, actor=org.leader_b1)
    for checked in (arbeid, arbeid, mat, elsewhere):
        finding(org, checked, actor=org.advisor, unit=checked.unit)
    finding(org, arbeid, days=None)  # a remark without a deadline: open, never overdue
    InspectionFinding.objects.exclude(inspection=mat).exclude(deadline=None).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    table = section(org.sector_a).table("inspection_findings")
    assert table.rows == [["Arbeidstilsynet", 3, 2], ["Mattilsynet", 1, 0]]
    assert table.footer == ["Alle", 4, 2]
    figures = {f.label: f.value for f in section(org.sector_a).figures}
    assert figures["Tilsynsfunn over fristen"] == 2
    assert section(org.unit_b1).table("inspection_findings").rows == [["Arbeidstilsynet", 1, 1]]


def test_cases_by_source_reports_and_findings_of_control_activities(data):
    """Each source has its row, counted from the period's cases: reports, and the findings of
    rounds, internal audits and inspections."""
    a1 = Deviation.objects.filter(unit=data.unit_a1, year=2025).order_by("occurred_at")
    Deviation.objects.filter(pk__in=[d.pk for d in a1[:2]]).update(source="round")
    Deviation.objects.filter(pk=a1[2].pk).update(source="internal_audit")
    tallies.rebuild()  # an update() bypasses the saves that keep the monthly tallies
    s = section(data.sector_a)
    assert s.table("deviations_by_source").rows == [
        ["Melding", 5, 62.5],
        ["Runde med sjekkliste", 2, 25.0],
        ["Intern revisjon", 1, 12.5],
        ["Tilsyn", 0, 0.0],
    ]
    assert s.table("deviations_by_source").columns == ["Kilde", "Antall", "Andel (%)"]
    block = next(b for b in s.blocks if b.table.key == "deviations_by_source")
    assert block.chart is not None
    # Enhet A2 (10 employees) is person-level: its small counts are suppressed.
    rows = section(data.unit_a2).table("deviations_by_source").rows
    assert rows[0][1] == SUPPRESSED


def test_the_api_and_the_export_carry_the_cases_by_source(data, api_for, client_for):
    api = api_for(data.committee)
    response = api.get(
        f"/api/v1/statistics/deviations/?unit={data.sector_a.pk}&period=year&year=2025"
    )
    keys = [t["key"] for t in response.json()["tables"]]
    assert "deviations_by_source" in keys
    csv = client_for(data.advisor).get(
        f"/statistikk/eksport/deviations_by_source.csv?unit={data.sector_a.pk}"
        "&period=year&year=2025"
    )
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode("utf-8-sig")
    assert "Runde med sjekkliste" in text and "Kilde" in text


def test_a_list_longer_than_the_report_prints_says_the_sections_own_figure(data, monkeypatch):
    """A list cut at the report's length says how long it is in the system: the section's
    figure (serious cases, overdue actions), the same number the reader sees above it,
    personal-data cases included, instead of a second count of the list."""
    from qms.reports import stats as report_stats

    monkeypatch.setattr(report_stats, "LIST_LIMIT", 1)
    personal_case(data, 903, 3, at(2025, 3, 14), action="Samtale", deadline=dt.date(2025, 3, 20))
    s = section(data.sector_a, report=True)
    figures = {f.label: f.value for f in s.figures}
    serious, overdue = s.table("deviations_serious"), s.table("deviations_overdue_actions")
    assert len(serious.rows) == len(overdue.rows) == 1
    assert figures["Alvorlige (4–5)"] == 3
    assert serious.note.startswith("Viser de 1 første av 3;")
    assert figures["Tiltak over frist"] == 2  # one of them on the personal-data case
    assert overdue.note.startswith("Viser de 1 første av 2;")
