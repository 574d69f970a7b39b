"""The demo municipality has last year's report on internal control, approved, built from the
signed reviews of the municipality and its sectors, the inspections and the statistics."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from qms.reports.models import InternalControlReport

pytestmark = pytest.mark.django_db


def test_demo_has_last_years_approved_report_on_internal_control():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    report = InternalControlReport.objects.get()
    assert report.is_approved
    assert report.period_start.year == timezone.localdate().year - 1
    titles = list(report.chapters.order_by("position").values_list("title", flat=True))
    assert titles == [
        "Samlet for Eksempel kommune",
        "Helse og mestring",
        "Oppvekst og læring",
        "Stab og støtte",
        "Teknisk drift",
    ]
    overall = report.chapters.get(position=1)
    reviews = next(p for p in overall.parts if p["key"] == "management_reviews")
    assert dict(reviews["figures"])["Gjennomgåelser signert"] == 6  # and the nursing home
    assert reviews["tables"][0]["rows"][0][0] == "Samlet vurdering"
    assert overall.good and overall.weak and overall.planned
