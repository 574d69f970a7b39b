"""Every select says what choosing nothing means: "Velg …" in a form, "Alle …" in a filter —
never Django's "---------"."""

from __future__ import annotations

import re
from datetime import date

import pytest

from annual_wheel import services as wheel_services
from deviations.models import ReportLink
from risk import services as risk_services
from tests.annual_wheel.helpers import categories
from tests.deviations.conftest import add_action, report
from tests.documents.factories import draft
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db

SELECT = re.compile(r"<select\b[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</select>", re.S)
EMPTY_OPTION = re.compile(r"<option value=\"\"[^>]*>(.*?)</option>", re.S)


@pytest.fixture
def pages(org):
    document = draft(org.employee_a1, org.unit_a1)
    case = report(org)
    add_action(org, case)
    assessment = risk_services.create_assessment(
        actor=org.leader_a1,
        unit=org.unit_a1,
        title="Legemiddelhåndtering",
        activity="Utdeling",
        assessed_on=date(2026, 11, 1),
    )
    item = risk_services.add_item(actor=org.leader_a1, assessment=assessment, **item_values())
    activity = wheel_services.create_activity(
        org.advisor,
        unit=org.unit_a1,
        title="Vernerunde",
        category=categories()["Internkontroll"],
        recurrence="yearly",
        start_date=date(2026, 3, 10),
    )
    return [
        ("/dokumenter/", org.employee_a1),
        ("/dokumenter/ny/", org.employee_a1),
        (f"/dokumenter/{document.pk}/rediger/", org.employee_a1),
        ("/avvik/", org.leader_a1),
        ("/avvik/meld/", org.employee_a1),
        (f"/avvik/{case.pk}/", org.leader_a1),
        ("/ros/", org.leader_a1),
        ("/ros/ny/", org.leader_a1),
        (assessment.get_absolute_url(), org.leader_a1),
        (f"/ros/{assessment.pk}/risiko/ny/", org.leader_a1),
        (f"/ros/{assessment.pk}/risiko/{item.pk}/", org.leader_a1),
        ("/arshjul/", org.leader_a1),
        ("/arshjul/liste/", org.leader_a1),
        ("/arshjul/aktivitet/ny/", org.advisor),
        (f"/arshjul/aktivitet/{activity.pk}/endre/", org.advisor),
        ("/arshjul/kalender/", org.leader_a1),
        ("/enheter/", org.advisor),
        ("/statistikk/", org.leader_a1),
        ("/avvik/mine/", org.employee_a1),
        ("/dokumenter/revisjon/", org.leader_a1),
        ("/dokumenter/leseliste/", org.leader_a1),
        (f"/avvik/apent/{ReportLink.objects.create(unit=org.unit_a1).token}/", org.employee_b1),
        ("/konto/e-post/", org.employee_a1),
    ]


def empty_labels(html: str) -> dict[str, str]:
    labels = {}
    for name, options in SELECT.findall(html):
        match = EMPTY_OPTION.search(options)
        if match:
            labels[name] = match.group(1).strip()
    return labels


def test_no_select_offers_dashes_for_nothing(client, pages):
    seen, dashes = 0, []
    for path, user in pages:
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        for name, label in empty_labels(response.content.decode()).items():
            seen += 1
            if not label or "---" in label:
                dashes.append(f"{path} {name}: {label!r}")
    assert not dashes, "\n".join(dashes)
    assert seen > 10
