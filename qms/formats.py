"""Numbers that people read, written in the active language.

Numbers for machines (SVG, CSS, data attributes, export cells) never come here: they are written with Python
formatting or ``{% localize off %}`` (tests/svg.py checks the pages).
"""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format, number_format
from django.utils.functional import lazy
from django.utils.translation import pgettext


def percent(value: float | int | None, decimals: int = 1) -> str:
    """A share for reading: "97,8 %" and "100 %" in Norwegian, "97.8%" in English; "–" for none.

    Rounded (Django's number_format cuts 0.99 to "0,9"), and a whole number shows no decimals.
    """
    if value is None or value == "":
        return "–"
    number = round(float(value), decimals)
    places = 0 if number.is_integer() else decimals
    return pgettext("percent sign after a number", "%(number)s %%") % {
        "number": number_format(number, places)
    }


def month_abbr(month: int) -> str:
    """A month's short name in the active language, for chart labels and table headings:
    "des" in Norwegian, "Dec" in English (English writes month names with a capital)."""
    name = str(MONTHS_3[month])
    return name if translation.get_language() in ("nb", "nn") else name.capitalize()


def month_label(day: datetime.date) -> str:
    """A month of a year, short: "des 2026", "Dec 2026"."""
    return f"{month_abbr(day.month)} {day.year}"


def short_date(day: datetime.date) -> str:
    """A date in a table or a period label: "18.12.2026", "18 Dec 2026"."""
    return date_format(day, "SHORT_DATE_FORMAT")


# Lazy: evaluated when formatted, in the language active then (statistics snapshots are kept per
# language, qms/reports/snapshots.py).
MONTH_ABBR = [lazy(month_abbr, str)(month) for month in range(1, 13)]
