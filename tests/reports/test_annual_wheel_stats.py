import datetime as dt

import pytest
from django.utils import timezone

from annual_wheel.models import Activity, Category, Occurrence
from qms.reports import periods, stats
from qms.reports.scope import Scope

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def wheel(org):
    hms = Category.objects.get_or_create(name="HMS")[0]
    ik = Category.objects.get_or_create(name="Internkontroll")[0]

    def activity(unit, category, title):
        return Activity.objects.create(
            title=title, unit=unit, category=category, start_date=dt.date(2025, 1, 1)
        )

    def occ(act, day, status="planned", done_on=None):
        return Occurrence.objects.create(
            activity=act,
            due_date=day,
            remind_on=day - dt.timedelta(days=14),
            status=status,
            completed_at=at(done_on) if done_on else None,
        )

    a1 = activity(org.unit_a1, hms, "Vernerunde")
    occ(a1, dt.date(2025, 3, 1), "done", dt.date(2025, 2, 28))  # on time
    occ(a1, dt.date(2025, 6, 1), "done", dt.date(2025, 6, 20))  # late
    occ(a1, dt.date(2025, 9, 1))  # overdue
    occ(a1, dt.date(2024, 9, 1), "done", dt.date(2024, 9, 1))  # outside the period
    a2 = activity(org.unit_a2, ik, "Internrevisjon")
    occ(a2, dt.date(2025, 4, 1), "not_done", dt.date(2025, 4, 2))
    b1 = activity(org.unit_b1, hms, "Brannøvelse")
    occ(b1, dt.date(2025, 5, 1), "done", dt.date(2025, 5, 1))
    whole = activity(None, ik, "Tertialrapport")
    occ(whole, dt.date(2025, 5, 1), "done", dt.date(2025, 5, 1))
    return org


def wheel_section(unit):
    (section,) = stats.compute(Scope(unit), periods.year(2025), only="annual_wheel", charts=True)
    return section


def test_completion_per_unit_for_a_sector(wheel):
    section = wheel_section(wheel.sector_a)
    table = section.table("wheel_by_unit")
    assert table.rows == [
        ["Enhet A1", 3, 3, 2, 1, 0, 1, 33.3],
        ["Enhet A2", 1, 1, 0, 0, 1, 0, 0.0],
    ]
    figures = {f.label: f.value for f in section.figures}
    assert figures["Aktiviteter i perioden"] == 4
    assert figures["Gjennomført til tiden"] == "25 %"
    assert section.table("wheel_by_category").rows == [
        ["HMS", 3, 2, 1],
        ["Internkontroll", 1, 0, 0],
    ]
    assert section.blocks[0].chart is not None


def test_whole_municipality_has_a_row_per_sector_and_its_own_for_municipality_wide_ones(wheel):
    """The rows are the scope's by-unit breakdown, as in the other sections (``Scope.groups``):
    the municipality's own row holds the activities without a unit, each sector all of its
    units; a row opens that unit's statistics."""
    table = wheel_section(wheel.root).table("wheel_by_unit")
    assert table.rows == [
        ["Kommune", 1, 1, 1, 1, 0, 0, 100.0],
        ["Sektor A", 4, 4, 2, 1, 1, 1, 25.0],
        ["Sektor B", 1, 1, 1, 1, 0, 0, 100.0],
    ]
    assert [r[0].unit_id for r in table.rows] == [
        wheel.root.pk,
        wheel.sector_a.pk,
        wheel.sector_b.pk,
    ]


def test_a_department_counts_in_its_unit_row_of_the_sector(wheel):
    act = Activity.objects.create(
        title="Brannvernrunde",
        unit=wheel.dept_a1x,
        category=Category.objects.get(name="HMS"),
        start_date=dt.date(2025, 1, 1),
    )
    Occurrence.objects.create(
        activity=act,
        due_date=dt.date(2025, 2, 1),
        remind_on=dt.date(2025, 1, 15),
        status="done",
        completed_at=at(dt.date(2025, 2, 1)),
    )
    rows = wheel_section(wheel.sector_a).table("wheel_by_unit").rows
    assert rows[0] == ["Enhet A1", 4, 4, 3, 2, 0, 1, 50.0]
    assert [r[0] for r in wheel_section(wheel.unit_a1).table("wheel_by_unit").rows] == [
        "Enhet A1",
        "Avdeling A1x",
    ]


def test_the_report_lists_overdue_occurrences(wheel):
    build = dict(stats.builders())["annual_wheel"]
    section = build(Scope(wheel.sector_a), periods.year(2025), report=True)
    overdue = section.table("wheel_overdue")
    assert overdue.plain_rows() == [["Vernerunde", "Enhet A1", "HMS", "01.09.2025"]]


def test_a_breakdown_of_more_units_than_a_chart_can_show_is_a_table_only(wheel, monkeypatch):
    """A row per unit of the whole municipality (200) makes bars under a millimetre in the PDF:
    beyond ``charts.MAX_CATEGORIES`` the table alone carries the figures."""
    from qms.reports import charts

    monkeypatch.setattr(charts, "MAX_CATEGORIES", 1)
    block = wheel_section(wheel.sector_a).blocks[0]
    assert block.key == "wheel_by_unit"
    assert len(block.table.rows) == 2
    assert block.chart is None
