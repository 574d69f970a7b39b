"""Numbers for machines (SVG, CSS lengths in ``style=``) are the same in every language.

Every page that draws SVG, and the pages that indent with ``style=``, is rendered in bokmål,
nynorsk and English; every numeric SVG attribute and path must parse, and no CSS length may be
written with a decimal comma (tests/svg.py).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from annual_wheel import services as wheel_services
from deviations.models import ReportLink
from documents.models import Process
from risk import services as risk_services
from tests.annual_wheel.helpers import categories
from tests.deviations.conftest import report
from tests.risk.conftest import item_values
from tests.svg import assert_machine_numbers

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(org):
    """Content for every drawing: cases for the charts, items for the heat maps, activities for
    the wheel, a public link for the QR code, nested processes and units for the indents."""
    for days, severity in [(3, 1), (40, 3), (75, 4), (120, 2), (200, 3), (260, 1)]:
        report(org, occurred_at=timezone.now() - timedelta(days=days), severity=severity)
    assessment = risk_services.create_assessment(
        actor=org.leader_a1,
        unit=org.unit_a1,
        title="Legemiddelhåndtering",
        activity="Utdeling",
        assessed_on=date(2026, 11, 1),
    )
    for probability in (2, 4, 5):
        risk_services.add_item(
            actor=org.leader_a1,
            assessment=assessment,
            **item_values(probability=probability, residual_probability=1, residual_consequence=2),
        )
    this_year = timezone.localdate().year
    for title, recurrence, start in [
        ("Vernerunde", "yearly", date(this_year, 3, 10)),
        ("Ledermøte", "tertial", date(this_year, 1, 20)),
        ("Internrevisjon", "once", date(this_year, 11, 5)),
    ]:
        wheel_services.create_activity(
            org.advisor,
            unit=org.unit_a1,
            title=title,
            category=categories()["Internkontroll"],
            recurrence=recurrence,
            start_date=start,
        )
    ReportLink.objects.create(unit=org.unit_a1)
    root = Process.objects.add_root({"name": "Tjenesteprosesser", "code": "tjeneste"})
    Process.objects.add_child(root, {"name": "Legemiddelhåndtering", "code": "legemidler"})
    return {
        "wheel": f"/arshjul/?unit={org.unit_a1.pk}&year={this_year}",
        "assessment": assessment.get_absolute_url(),
        "matrix": "/ros/matrise/",
        "statistics": "/statistikk/?section=deviations",
        "report_link": f"/avvik/enhet/{org.unit_a1.pk}/meldelenke/",
        "units": "/enheter/",
        "documents": "/dokumenter/",
    }


# (page, who looks, the least number of SVG numbers it must draw)
PAGES = [
    ("wheel", "employee_a1", 40),
    ("assessment", "leader_a1", 40),
    ("matrix", "leader_a1", 0),
    ("statistics", "advisor", 200),
    ("report_link", "leader_a1", 1),
    ("units", "advisor", 0),
    ("documents", "employee_a1", 0),
]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize(("page", "username", "least"), PAGES)
def test_numbers_in_svg_and_styles_do_not_follow_the_locale(
    org, client, drawn, language, page, username, least
):
    client.force_login(getattr(org, username))
    client.cookies["django_language"] = language
    response = client.get(drawn[page], HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    served = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    assert response.headers["Content-Language"] == served
    assert assert_machine_numbers(response.content.decode()) >= least


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_public_qr_code_numbers_do_not_follow_the_locale(org, client, language):
    link = ReportLink.objects.create(unit=org.unit_a1)
    client.cookies["django_language"] = language
    response = client.get(f"/avvik/apent/{link.token}/qr.svg", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert assert_machine_numbers(response.content.decode()) > 0
