"""Calendar rules every module shares: one definition of "one month" for the whole project.

Revision notices (documents), review reminders (risk) and every page, panel, API and statistic
that says "due within a month" use these functions, so a notice on 31 January and a "due soon"
badge on 28 February agree. A month is a calendar month (``relativedelta``), clamped to the
month's last day: one month after 31 January is 28 (or 29) February.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import models

ONE_MONTH = relativedelta(months=1)


def one_month_after(day: date) -> date:
    """The last day of the notice window that starts on ``day``: a date on or before it is
    "due within a month" as of ``day``."""
    return day + ONE_MONTH


def months_after(day: date, months: int) -> date:
    """``months`` calendar months after ``day``, clamped to the month's last day (a document
    approved 29 February with a 12-month interval is revised 28 February)."""
    return day + relativedelta(months=months)


class DueStatus(models.TextChoices):
    """Where a dated obligation stands (a document's revision, an assessment's review): the
    words every module, page and API use for the rule each module decides with
    :func:`one_month_after`."""

    CURRENT = "current", "current"
    DUE_SOON = "due_soon", "due_soon"
    OVERDUE = "overdue", "overdue"
