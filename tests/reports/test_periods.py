import datetime as dt

import pytest
from django.http import QueryDict

from qms.reports import periods


def q(text: str) -> QueryDict:
    return QueryDict(text)


def test_default_is_the_current_tertial():
    period = periods.parse(q(""), today=dt.date(2026, 6, 15))
    assert (period.kind, period.start, period.end) == (
        "tertial",
        dt.date(2026, 5, 1),
        dt.date(2026, 9, 1),
    )
    assert period.label == "2. tertial 2026"


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("period=month&year=2026&month=12", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("period=tertial&year=2025&tertial=3", dt.date(2025, 9, 1), dt.date(2026, 1, 1)),
        ("period=year&year=2024", dt.date(2024, 1, 1), dt.date(2025, 1, 1)),
        ("period=custom&from=2026-02-10&to=2026-03-05", dt.date(2026, 2, 10), dt.date(2026, 3, 6)),
    ],
)
def test_periods_are_half_open_ranges_of_days(query, start, end):
    period = periods.parse(q(query))
    assert (period.start, period.end) == (start, end)
    # The period's own query string selects it again.
    assert periods.parse(q("&".join(f"{k}={v}" for k, v in period.as_query().items()))) == period


def test_months_and_previous_year():
    period = periods.parse(q("period=custom&from=2024-01-15&to=2024-04-02"))
    assert period.months() == [dt.date(2024, m, 1) for m in (1, 2, 3, 4)]
    leap = periods.parse(q("period=custom&from=2024-02-29&to=2024-03-01"))
    assert leap.previous_year().start == dt.date(2023, 2, 28)
    assert periods.tertial(2026, 1).previous_year() == periods.tertial(2025, 1)


@pytest.mark.parametrize(
    "query",
    [
        "period=week",
        "period=month&year=2026&month=13",
        "period=tertial&year=2026&tertial=4",
        "period=year&year=abc",
        "period=custom&from=2026-03-01&to=2026-02-01",
        "period=custom&from=2026-02-30&to=2026-03-01",
        "period=custom&from=2000-01-01&to=2026-01-01",
        "period=custom&from=0001-01-01&to=0001-02-01",
    ],
)
def test_bad_periods_give_a_clear_error(query):
    with pytest.raises(periods.PeriodError) as exc:
        periods.parse(q(query))
    assert str(exc.value)
