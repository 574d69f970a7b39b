"""Recurrence expansion with python-dateutil's rrule (no hand-made date arithmetic).

A date that some months or years lack (the 31st, 29 February) falls on the last day of the
shorter month instead of being skipped: rrule picks the last existing day of the set
``{min(day, 28) .. day}`` with ``bysetpos=-1``. So a monthly activity on the 31st is held on
30 April and 28/29 February, and a yearly one on 29 February on the 28th in common years.

Meetings keep a weekday rather than a date: "the second Monday of the month" (``month_nth``)
and "the last Friday of the month" (``month_last``) take the weekday, and for the first the
position, from the start date — 12 January 2026 is the second Monday of its month.
"""

from __future__ import annotations

from datetime import date, datetime

from dateutil.rrule import MONTHLY, WEEKLY, YEARLY, rrule, weekday

ONCE = "once"
YEARLY_ = "yearly"
TERTIAL = "tertial"
MONTHLY_ = "monthly"
WEEKLY_ = "weekly"
MONTH_NTH = "month_nth"
MONTH_LAST = "month_last"

RECURRENCES = (ONCE, YEARLY_, TERTIAL, MONTHLY_, MONTH_NTH, MONTH_LAST, WEEKLY_)

# The fifth Monday is missing from most months: a rule keeps to the first four (or the last).
MAX_NTH = 4


def nth_of_month(day: date) -> int:
    """Which of its weekday in the month ``day`` is: 2 for the second Monday."""
    return (day.day - 1) // 7 + 1


def _clamped_days(day: int) -> list[int]:
    return list(range(min(day, 28), day + 1))


def build_rule(recurrence: str, start: date, until: date | None = None) -> rrule | None:
    """The rrule of a schedule; None for a one-off date. Raises ValueError for an unknown kind."""
    if recurrence == ONCE:
        return None
    dtstart = datetime(start.year, start.month, start.day)
    end = datetime(until.year, until.month, until.day) if until else None
    if recurrence == WEEKLY_:
        return rrule(WEEKLY, dtstart=dtstart, until=end)
    if recurrence == MONTH_NTH:
        nth = nth_of_month(start)
        if nth > MAX_NTH:
            raise ValueError(f"no {nth}th weekday in every month")
        return rrule(MONTHLY, dtstart=dtstart, until=end, byweekday=weekday(start.weekday(), nth))
    if recurrence == MONTH_LAST:
        return rrule(MONTHLY, dtstart=dtstart, until=end, byweekday=weekday(start.weekday(), -1))
    if recurrence == MONTHLY_:
        return rrule(
            MONTHLY, dtstart=dtstart, until=end, bymonthday=_clamped_days(start.day), bysetpos=-1
        )
    if recurrence == TERTIAL:
        # Every four months from the start date: three times a year, the tertials of the
        # municipal reporting cycle.
        return rrule(
            MONTHLY,
            interval=4,
            dtstart=dtstart,
            until=end,
            bymonthday=_clamped_days(start.day),
            bysetpos=-1,
        )
    if recurrence == YEARLY_:
        return rrule(
            YEARLY,
            dtstart=dtstart,
            until=end,
            bymonth=start.month,
            bymonthday=_clamped_days(start.day),
            bysetpos=-1,
        )
    raise ValueError(f"unknown recurrence {recurrence!r}")


def dates_between(
    recurrence: str, start: date, until: date | None, first: date, last: date
) -> list[date]:
    """The schedule's dates from ``first`` to ``last`` (both included), in order."""
    if last < first:
        return []
    rule = build_rule(recurrence, start, until)
    if rule is None:
        return [start] if first <= start <= last and (until is None or start <= until) else []
    lo = datetime(first.year, first.month, first.day)
    hi = datetime(last.year, last.month, last.day)
    return [d.date() for d in rule.between(lo, hi, inc=True)]
