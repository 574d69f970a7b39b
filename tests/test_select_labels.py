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
from tests.conftest import make_user
from tests.deviations.conftest import add_action, report
from tests.documents.factories import draft
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db

SELECT = re.compile(r"<select\b[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</select>", re.S)
EMPTY_OPTION = re.compile(r"<option value=\"\"[^>]*>(.*?)</option>", re.S)
OPTION = re.compile(r"<option\b[^>]*>(.*?)</option>", re.S)


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


PEOPLE_PICKERS = {
    "/dokumenter/ny/": ["revision_responsible", "process_owner"],
    "/avvik/{case}/": ["action-responsible", "handler-handler"],
    "/ros/ny/": ["participants"],
    "/ros/{assessment}/risiko/{item}/": ["responsible"],
    "/arshjul/aktivitet/ny/": ["responsible"],
}


def test_two_people_with_the_same_name_can_be_told_apart_in_every_picker(org, client, pages):
    for username in ("kari_1", "kari_2"):
        kari = make_user(username, org.unit_a1, last_name="Hansen")
        kari.first_name = "Kari"
        kari.save(update_fields=["first_name"])
    ids = {}
    for path, _user in pages:
        parts = path.strip("/").split("/")
        if parts[:1] == ["avvik"] and len(parts) == 2 and parts[1].isdigit():
            ids["case"] = parts[1]
        if parts[:1] == ["ros"] and len(parts) == 4 and parts[2] == "risiko":
            ids["assessment"], ids["item"] = parts[1], parts[3]
    users = dict(pages)
    checked = 0
    for template, names in PEOPLE_PICKERS.items():
        path = template.format(**ids)
        client.force_login(users[path])
        html = client.get(path).content.decode()
        selects = dict(SELECT.findall(html))
        for name in names:
            labels = [label.strip() for label in OPTION.findall(selects[name])]
            karis = [label for label in labels if label.startswith("Kari Hansen")]
            assert sorted(karis) == [
                "Kari Hansen (kari_1@example.no)",
                "Kari Hansen (kari_2@example.no)",
            ], f"{path} {name}: {karis}"
            # Everyone else keeps their plain name.
            assert "Leader A1" in labels, f"{path} {name}"
            checked += 1
    assert checked == 7
