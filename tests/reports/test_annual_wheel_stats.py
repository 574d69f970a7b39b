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


def test_whole_municipality_includes_municipality_wide_activities(wheel):
    table = wheel_section(wheel.root).table("wheel_by_unit")
    assert [r[0] for r in table.rows] == ["Enhet A1", "Enhet A2", "Enhet B1", "Hele kommunen"]


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
