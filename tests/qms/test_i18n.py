from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/en/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_english_catalogue_translates_every_text(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], "run `make messages` and translate: " + ", ".join(missing[:20])


@pytest.mark.django_db
def test_english_tells_the_deviation_kind_from_the_module(org, client):
    client.force_login(org.employee_a1)
    client.cookies["django_language"] = "en"
    page = client.get("/avvik/meld/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    menu = page[page.index('<nav class="qms-nav"') : page.index("</nav>")]
    assert ">Deviations</a>" in menu
    kinds = page[page.index('name="kind"') :]
    assert ">Deviation</label>" in kinds and ">Deviations</label>" not in kinds


@pytest.mark.django_db
def test_english_calls_a_passed_occurrence_overdue(org, client):
    from datetime import date

    from annual_wheel import services
    from tests.annual_wheel.helpers import categories

    activity = services.create_activity(
        org.advisor,
        unit=org.unit_a1,
        title="Vernerunde",
        category=categories()["HMS"],
        recurrence="once",
        start_date=date(2026, 1, 15),
    )
    client.force_login(org.leader_a1)
    client.cookies["django_language"] = "en"
    page = client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-color="danger">Overdue</span>' in page
    assert ">Due<" not in page
