"""Recurrence expansion: year boundaries, short months and leap years (rrule underneath)."""

from datetime import date

import pytest

from annual_wheel.schedule import build_rule, dates_between


def test_once_is_the_single_date_inside_the_window():
    assert dates_between("once", date(2026, 3, 1), None, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 3, 1)
    ]
    assert dates_between("once", date(2025, 3, 1), None, date(2026, 1, 1), date(2026, 12, 31)) == []


def test_yearly_crosses_year_boundaries():
    got = dates_between("yearly", date(2025, 12, 31), None, date(2025, 1, 1), date(2027, 12, 31))
    assert got == [date(2025, 12, 31), date(2026, 12, 31), date(2027, 12, 31)]


def test_yearly_on_29_february_falls_on_28th_in_common_years():
    got = dates_between("yearly", date(2024, 2, 29), None, date(2024, 1, 1), date(2028, 12, 31))
    assert got == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_monthly_on_the_31st_uses_the_last_day_of_short_months():
    got = dates_between("monthly", date(2027, 12, 31), None, date(2027, 12, 1), date(2028, 4, 30))
    assert got == [
        date(2027, 12, 31),
        date(2028, 1, 31),
        date(2028, 2, 29),  # leap year
        date(2028, 3, 31),
        date(2028, 4, 30),
    ]


def test_tertial_is_every_four_months_across_the_new_year():
    got = dates_between("tertial", date(2026, 5, 31), None, date(2026, 1, 1), date(2027, 12, 31))
    assert got == [
        date(2026, 5, 31),
        date(2026, 9, 30),
        date(2027, 1, 31),
        date(2027, 5, 31),
        date(2027, 9, 30),
    ]


def test_weekly_spans_the_year_end_and_stops_at_end_date():
    got = dates_between(
        "weekly", date(2026, 12, 21), date(2027, 1, 11), date(2026, 1, 1), date(2027, 12, 31)
    )
    assert got == [date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 11)]


def test_window_before_start_gives_nothing():
    assert (
        dates_between("monthly", date(2027, 1, 1), None, date(2026, 1, 1), date(2026, 12, 31)) == []
    )


def test_unknown_recurrence_is_refused():
    with pytest.raises(ValueError):
        build_rule("fortnightly", date(2026, 1, 1))


def test_second_monday_of_the_month_stays_on_the_second_monday():
    # 12 January 2026 is the second Monday of January.
    got = dates_between("month_nth", date(2026, 1, 12), None, date(2026, 1, 1), date(2027, 12, 31))
    assert len(got) == 24
    assert all(d.weekday() == 0 and 8 <= d.day <= 14 for d in got), got
    assert got[:3] == [date(2026, 1, 12), date(2026, 2, 9), date(2026, 3, 9)]


def test_last_weekday_of_the_month_is_the_last_one():
    # 29 January 2026 is the last Thursday of January.
    got = dates_between("month_last", date(2026, 1, 29), None, date(2026, 1, 1), date(2026, 12, 31))
    assert len(got) == 12
    assert all(d.weekday() == 3 and (d.day + 7) > _days_in(d) for d in got), got
    assert got[1] == date(2026, 2, 26)


def _days_in(d: date) -> int:
    following = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return (following - date(d.year, d.month, 1)).days


def test_a_fifth_weekday_is_not_a_monthly_rule():
    with pytest.raises(ValueError):
        build_rule("month_nth", date(2026, 1, 29))  # the fifth Thursday
