"""Dates and months through the locale: "18. des. 2026" in Norwegian, "18 Dec 2026" in English."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from qms import tokens
from qms.models import ApiToken, User

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    p
    for p in ROOT.glob("**/templates/**/*.html")
    if not {".venv", "node_modules", "var"} & set(p.parts)
)
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "TIME_FORMAT",
}
# Formats for machines (datetime="", file names), and the weekday's name, are the same everywhere.
MACHINE = {"c", "Y-m-d", "U", "Y", "l"}
DATE_FILTER = re.compile(r"""\|date:["']([^"']*)["']""")


def test_templates_name_their_date_formats():
    """A written format ("j. b Y") shows Norwegian order and dots in English."""
    written = [
        f"{path.relative_to(ROOT)}: {fmt}"
        for path in TEMPLATES
        for fmt in DATE_FILTER.findall(path.read_text(encoding="utf-8"))
        if fmt not in NAMED | MACHINE
    ]
    assert written == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [("nb", "18. des. 2026"), ("nn", "18. des. 2026"), ("en", "18 Dec 2026")],
)
def test_dates_on_a_page_follow_the_language(org, client_for, language, shown):
    token, _key = tokens.issue_token(org.employee_a1, "Rapport")
    expires = timezone.make_aware(datetime.datetime(2026, 12, 18, 12, 0))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=expires)
    User.objects.filter(pk=org.employee_a1.pk).update(language=language)
    html = client_for(org.employee_a1).get("/konto/api-nokler/").content.decode()
    assert shown in html


@pytest.mark.parametrize(
    ("language", "label"), [("nb", "des 2026"), ("nn", "des 2026"), ("en", "Dec 2026")]
)
def test_month_labels_of_the_statistics_follow_the_language(language, label):
    from django.utils import translation

    from qms.reports.periods import MONTH_ABBR

    with translation.override(language):
        assert f"{MONTH_ABBR[11]} 2026" == label
