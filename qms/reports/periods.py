"""Reporting periods: a month, a tertial, a year or a custom range of whole days.

Norwegian municipalities report deviations per tertial (januar–april, mai–august,
september–desember) to the chief executive; quality committees meet at least three times a year.
A period is a half-open range of dates ``[start, end)`` so month arithmetic stays exact, and every
period knows the same period one year earlier (the trend comparison).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import formats

MONTH_NAMES = [
    gettext_lazy("januar"),
    gettext_lazy("februar"),
    gettext_lazy("mars"),
    gettext_lazy("april"),
    gettext_lazy("mai"),
    gettext_lazy("juni"),
    gettext_lazy("juli"),
    gettext_lazy("august"),
    gettext_lazy("september"),
    gettext_lazy("oktober"),
    gettext_lazy("november"),
    gettext_lazy("desember"),
]
# Short month names in the active language ("des", "Dec"): qms/formats.py.
MONTH_ABBR = formats.MONTH_ABBR
KINDS = ("month", "tertial", "year", "custom")
MAX_CUSTOM_DAYS = 366 * 5


class PeriodError(ValueError):
    """A period the user asked for that does not make sense (the message is shown as is)."""


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date  # first day, inclusive
    end: dt.date  # first day after the period (exclusive)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if self.kind == "tertial":
            return _("%(n)s. tertial %(year)s") % {
                "n": (self.start.month - 1) // 4 + 1,
                "year": self.start.year,
            }
        if self.kind == "year":
            return str(self.start.year)
        return f"{formats.short_date(self.start)}–{formats.short_date(self.last_day)}"

    @property
    def whole_months(self) -> bool:
        """True when the period starts and ends on a month boundary (every period but a custom
        one of arbitrary days): the smallest period a person-level count is shown for
        (qms/reports/tables.py)."""
        return self.start.day == 1 and self.end.day == 1

    def months(self) -> list[dt.date]:
        """The first day of every calendar month the period touches, in order."""
        first = self.start.replace(day=1)
        out = []
        while first < self.end:
            out.append(first)
            first = _add_months(first, 1)
        return out

    def previous_year(self) -> Period:
        return Period(self.kind, _shift_year(self.start, -1), _shift_year(self.end, -1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes in the current (Europe/Oslo) time zone."""
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end, dt.time.min, tzinfo=tz),
        )

    def as_query(self) -> dict[str, str]:
        """Query parameters that select this period again (links, exports, the PDF form)."""
        if self.kind == "month":
            return {"period": "month", "year": str(self.start.year), "month": str(self.start.month)}
        if self.kind == "tertial":
            return {
                "period": "tertial",
                "year": str(self.start.year),
                "tertial": str((self.start.month - 1) // 4 + 1),
            }
        if self.kind == "year":
            return {"period": "year", "year": str(self.start.year)}
        return {"period": "custom", "from": self.start.isoformat(), "to": self.last_day.isoformat()}


def month(year: int, month_no: int) -> Period:
    start = dt.date(year, month_no, 1)
    return Period("month", start, _add_months(start, 1))


def tertial(year: int, number: int) -> Period:
    start = dt.date(year, (number - 1) * 4 + 1, 1)
    return Period("tertial", start, _add_months(start, 4))


def year(year_no: int) -> Period:
    return Period("year", dt.date(year_no, 1, 1), dt.date(year_no + 1, 1, 1))


def custom(first: dt.date, last: dt.date) -> Period:
    if last < first:
        raise PeriodError(_("Til-datoen kan ikke være før fra-datoen."))
    if (last - first).days > MAX_CUSTOM_DAYS:
        raise PeriodError(_("Velg en periode på høyst fem år."))
    return Period("custom", first, last + dt.timedelta(days=1))


def default_period(today: dt.date | None = None) -> Period:
    """The current tertial: what the leader groups and committees report on."""
    today = today or timezone.localdate()
    return tertial(today.year, (today.month - 1) // 4 + 1)


def _int(params, name: str, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    try:
        value = int(raw)
    except ValueError:
        raise PeriodError(_("Ugyldig verdi for %(name)s.") % {"name": name}) from None
    if not low <= value <= high:
        raise PeriodError(_("Ugyldig verdi for %(name)s.") % {"name": name})
    return value


def _date(params, name: str) -> dt.date:
    raw = (params.get(name) or "").strip()
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise PeriodError(_("Skriv datoen som åååå-mm-dd.")) from None
    if not 1900 <= value.year <= 2200:
        raise PeriodError(_("Ugyldig verdi for %(name)s.") % {"name": name})
    return value


def parse(params, today: dt.date | None = None) -> Period:
    """The period in query parameters ``period`` (+ ``year``/``month``/``tertial`` or
    ``from``/``to``); the current tertial when none is given. Raises :class:`PeriodError`."""
    today = today or timezone.localdate()
    kind = (params.get("period") or "").strip()
    if not kind:
        return default_period(today)
    if kind not in KINDS:
        raise PeriodError(_("Ukjent periodetype."))
    if kind == "custom":
        return custom(_date(params, "from"), _date(params, "to"))
    year_no = _int(params, "year", 1900, 2200) if params.get("year") else today.year
    if kind == "month":
        return month(year_no, _int(params, "month", 1, 12))
    if kind == "tertial":
        return tertial(year_no, _int(params, "tertial", 1, 3))
    return year(year_no)
