"""Numbers that people read, written in the active language.

Numbers for machines (SVG, CSS, data attributes, export cells) never come here: they are written with Python
formatting or ``{% localize off %}`` (tests/svg.py checks the pages).
"""

from __future__ import annotations

from django.utils.formats import number_format
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
