"""Pages of the annual wheel: the wheel, the month list, activity forms, recording, feeds."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from annual_wheel import services, wheel
from annual_wheel.models import Activity, CalendarFeed, Occurrence
from tests.svg import assert_machine_numbers

pytestmark = pytest.mark.django_db


def year() -> int:
    return timezone.localdate().year


@pytest.fixture
def wheel_data(org, make_activity):
    return {
        "own": make_activity(
            org.unit_a1,
            title="Vernerunde A1",
            recurrence="yearly",
            start_date=date(year(), 3, 10),
            responsible=org.employee_a1,
        ),
        "sector": make_activity(
            org.sector_a,
            title="Ledermøte sektor A",
            recurrence="tertial",
            start_date=date(year(), 1, 20),
        ),
        "municipality": make_activity(
            None, title="Medarbeiderundersøkelse", start_date=date(year(), 10, 1)
        ),
        "sibling": make_activity(
            org.unit_b1, title="Brannøvelse B1", start_date=date(year(), 5, 5)
        ),
    }


def test_wheel_shows_own_and_inherited_activities_marked_as_inherited(org, client_for, wheel_data):
    response = client_for(org.employee_a1).get(f"/arshjul/?unit={org.unit_a1.pk}&year={year()}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vernerunde A1" in html
    assert "Ledermøte sektor A" in html
    assert "Medarbeiderundersøkelse" in html
    assert "Brannøvelse B1" not in html
    assert "Arvet fra Sektor A" in html
    assert "Arvet fra Hele kommunen" in html
    assert 'role="img"' in html and "<svg" in html
    # three tertial dates + the yearly one + the municipality's one
    assert len(response.context["wheel"].dots) == 5


def test_sibling_unit_wheel_does_not_leak_activities(org, client_for, wheel_data):
    response = client_for(org.employee_b1).get(f"/arshjul/?unit={org.unit_a1.pk}&year={year()}")
    html = response.content.decode()
    assert "Vernerunde A1" not in html
    assert "Ledermøte sektor A" not in html
    assert "Medarbeiderundersøkelse" in html


def test_wheel_places_each_occurrence_in_its_month(org, client_for, wheel_data):
    response = client_for(org.employee_a1).get(f"/arshjul/?unit={org.unit_a1.pk}&year={year()}")
    for dot in response.context["wheel"].dots:
        # Recover the angle from the coordinates: clockwise from twelve o'clock.
        import math

        angle = math.degrees(math.atan2(dot.x - wheel.CENTRE, wheel.CENTRE - dot.y)) % 360
        assert wheel.month_of_angle(angle) == dot.month
    months = sorted(d.month for d in response.context["wheel"].dots)
    assert months == [1, 3, 5, 9, 10]


def test_wheel_angle_of_dates():
    assert wheel.month_of_angle(wheel.angle_of(date(2026, 1, 1))) == 1
    assert wheel.month_of_angle(wheel.angle_of(date(2026, 12, 31))) == 12
    assert wheel.month_of_angle(wheel.angle_of(date(2028, 2, 29))) == 2
    assert 0 < wheel.angle_of(date(2026, 1, 1)) < 1
    assert 359 < wheel.angle_of(date(2026, 12, 31)) < 360


def test_many_occurrences_in_one_slot_are_counted_not_drawn(org, make_activity):
    activities = [
        make_activity(org.unit_a1, title=f"A{i}", start_date=date(year(), 4, 2)) for i in range(11)
    ]
    occs = Occurrence.objects.filter(activity__in=activities).select_related("activity__category")
    layout = wheel.layout(list(occs), year())
    assert len(layout.dots) == wheel.MAX_STACK
    assert [m.count for m in layout.more] == [11 - wheel.MAX_STACK]


def test_category_and_year_filters(org, client_for, wheel_data, category):
    from annual_wheel.models import Category

    hms = Category.objects.get(name="HMS")
    Activity.objects.filter(pk=wheel_data["own"].pk).update(category=hms)
    client = client_for(org.employee_a1)
    html = client.get(f"/arshjul/liste/?unit={org.unit_a1.pk}&category={hms.pk}").content.decode()
    assert "Vernerunde A1" in html and "Ledermøte sektor A" not in html
    html = client.get(f"/arshjul/liste/?unit={org.unit_a1.pk}&year={year() + 1}").content.decode()
    assert f"Månedsliste {year() + 1}" in html
    assert "Vernerunde A1" in html  # materialised for next year too


@pytest.mark.parametrize(
    "query", ["year=abc", "year=99999", "unit=999999", "category=x", "unit=-1"]
)
def test_bad_filter_values_fall_back_with_a_message(org, client_for, wheel_data, query):
    response = client_for(org.employee_a1).get(f"/arshjul/?{query}")
    assert response.status_code == 200
    assert "ugyldige" in response.content.decode()
    assert response.context["year"] == year()


def test_month_list_shows_completion_of_own_activities(org, client_for, make_activity):
    activity = make_activity(org.unit_a1, recurrence="monthly", start_date=date(year(), 1, 1))
    first = activity.occurrences.order_by("due_date").first()
    services.record_occurrence(org.leader_a1, first, "done")
    response = client_for(org.leader_a1).get(f"/arshjul/liste/?unit={org.unit_a1.pk}")
    completion = response.context["completion"]
    assert completion.done == 1
    assert "Gjennomført i tide" in response.content.decode()


def test_leader_creates_activity_through_the_form(org, client_for, category):
    client = client_for(org.leader_a1)
    assert client.get("/arshjul/aktivitet/ny/").status_code == 200
    response = client.post(
        "/arshjul/aktivitet/ny/",
        {
            "title": "Internkontroll legemiddelhåndtering",
            "description": "Gjennomgang av avvik og rutiner",
            "unit": org.unit_a1.pk,
            "category": category.pk,
            "responsible": org.employee_a1.pk,
            "recurrence": "tertial",
            "start_date": f"{year()}-01-31",
            "end_date": "",
            "reminder_days": 10,
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.unit == org.unit_a1 and activity.created_by == org.leader_a1
    assert activity.occurrences.count() == 6


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"recurrence": "fortnightly"}, "recurrence"),
        ({"start_date": "31.02.2026"}, "start_date"),
        ({"start_date": "i morgen"}, "start_date"),
        ({"start_date": "1850-01-01"}, "start_date"),
        ({"end_date": "2000-01-01", "recurrence": "monthly"}, "end_date"),
        ({"title": ""}, "title"),
        ({"reminder_days": "-3"}, "reminder_days"),
        ({"reminder_days": "9999"}, "reminder_days"),
        ({"unit": "999999"}, "unit"),
        ({"category": "999999"}, "category"),
    ],
)
def test_bad_activity_input_is_reported_and_nothing_is_stored(
    org, client_for, category, changes, field
):
    data = {
        "title": "Vernerunde <b>kjøkken</b>",
        "unit": org.unit_a1.pk,
        "category": category.pk,
        "recurrence": "yearly",
        "start_date": f"{year()}-05-01",
        "reminder_days": 14,
        **changes,
    }
    response = client_for(org.leader_a1).post("/arshjul/aktivitet/ny/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "Skjemaet har feil" in html
    if field != "title":
        # what was typed is kept, escaped
        assert "Vernerunde &lt;b&gt;kjøkken&lt;/b&gt;" in html
    assert not Activity.objects.exists()


def test_leader_cannot_create_for_sibling_unit_through_the_form(org, client_for, category):
    response = client_for(org.leader_a1).post(
        "/arshjul/aktivitet/ny/",
        {
            "title": "X",
            "unit": org.unit_b1.pk,
            "category": category.pk,
            "recurrence": "once",
            "start_date": f"{year()}-05-01",
            "reminder_days": 14,
        },
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_script_in_text_is_shown_as_text(org, client_for, make_activity):
    activity = make_activity(
        org.unit_a1,
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>",
    )
    html = client_for(org.employee_a1).get(activity.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_edit_changes_schedule(org, client_for, make_activity, category):
    activity = make_activity(org.unit_a1, start_date=date(year(), 6, 1))
    client = client_for(org.leader_a1)
    assert client.get(f"/arshjul/aktivitet/{activity.pk}/endre/").status_code == 200
    response = client.post(
        f"/arshjul/aktivitet/{activity.pk}/endre/",
        {
            "title": "Vernerunde",
            "unit": org.unit_a1.pk,
            "category": category.pk,
            "recurrence": "once",
            "start_date": f"{year()}-07-01",
            "reminder_days": 14,
        },
    )
    assert response.status_code == 302
    assert list(activity.occurrences.values_list("due_date", flat=True)) == [date(year(), 7, 1)]


def test_record_occurrence_and_bad_status_keeps_the_note(org, client_for, make_activity):
    activity = make_activity(org.unit_a1, responsible=org.employee_a1)
    occ = activity.occurrences.get()
    client = client_for(org.employee_a1)
    response = client.post(
        f"/arshjul/forekomst/{occ.pk}/registrer/",
        {f"occ{occ.pk}-status": "finished", f"occ{occ.pk}-note": "Runden tok to timer"},
    )
    assert response.status_code == 400
    assert "Runden tok to timer" in response.content.decode()
    occ.refresh_from_db()
    assert occ.status == "planned"
    response = client.post(
        f"/arshjul/forekomst/{occ.pk}/registrer/",
        {f"occ{occ.pk}-status": "done", f"occ{occ.pk}-note": "Runden tok to timer"},
    )
    assert response.status_code == 302
    occ.refresh_from_db()
    assert occ.status == "done" and occ.completed_by == org.employee_a1
    assert occ.note == "Runden tok to timer"


def test_unknown_ids_are_404(org, client_for):
    client = client_for(org.leader_a1)
    assert client.get("/arshjul/aktivitet/999999/").status_code == 404
    assert client.get("/arshjul/aktivitet/999999/endre/").status_code == 404
    assert client.post("/arshjul/forekomst/999999/registrer/").status_code == 404
    assert client.post("/arshjul/kalender/999999/trekk-tilbake/").status_code == 404


def test_archive(org, client_for, make_activity):
    activity = make_activity(org.unit_a1, start_date=timezone.localdate() + timedelta(days=30))
    response = client_for(org.leader_a1).post(f"/arshjul/aktivitet/{activity.pk}/fjern/")
    assert response.status_code == 302
    activity.refresh_from_db()
    assert not activity.is_active


def test_ical_feed_parses_back_and_revocation_closes_it(org, client, client_for, wheel_data):
    user_client = client_for(org.employee_a1)
    response = user_client.post("/arshjul/kalender/", {"unit": org.unit_a1.pk})
    assert response.status_code == 200
    url = response.context["new_url"]
    feed = CalendarFeed.objects.get()
    assert feed.token_hash not in url  # only the hash is stored
    path = url.split("testserver", 1)[1]
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert "Vernerunde A1" in summaries and "Ledermøte sektor A" in summaries
    assert "Brannøvelse B1" not in summaries
    first = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Vernerunde A1")
    assert first.decoded("DTSTART") == date(year(), 3, 10)
    assert client.get(path.replace(".ics", "x.ics")).status_code == 404
    assert client.get("/arshjul/ical/feil.ics").status_code == 404
    user_client = client_for(org.employee_a1)
    user_client.post(f"/arshjul/kalender/{feed.pk}/trekk-tilbake/")
    client.logout()
    assert client.get(path).status_code == 404


def test_feed_of_deactivated_user_stops(org, client, wheel_data):
    _feed, token = services.create_feed(org.employee_a1, org.unit_a1)
    assert client.get(f"/arshjul/ical/{token}.ics").status_code == 200
    org.employee_a1.is_active = False
    org.employee_a1.save()
    assert client.get(f"/arshjul/ical/{token}.ics").status_code == 404


def test_another_users_feed_cannot_be_revoked(org, client_for):
    feed, _token = services.create_feed(org.employee_a1, org.unit_a1)
    response = client_for(org.leader_a1).post(f"/arshjul/kalender/{feed.pk}/trekk-tilbake/")
    assert response.status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_wheel_page_runs_a_constant_number_of_queries(
    org, client_for, make_activity, django_assert_max_num_queries
):
    for i in range(30):
        make_activity(
            org.unit_a1,
            title=f"Aktivitet {i}",
            recurrence="monthly",
            start_date=date(year(), 1, 1 + i % 28),
        )
    client = client_for(org.employee_a1)
    with django_assert_max_num_queries(14):
        assert client.get(f"/arshjul/?unit={org.unit_a1.pk}").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(f"/arshjul/liste/?unit={org.unit_a1.pk}").status_code == 200


def test_home_page_has_panel_and_my_tasks(org, client_for, make_activity):
    make_activity(
        org.unit_a1,
        title="Tertialrapport",
        responsible=org.employee_a1,
        start_date=timezone.localdate() + timedelta(days=5),
    )
    html = client_for(org.employee_a1).get("/").content.decode()
    assert "Årshjul: de neste 30 dagene" in html
    assert html.count("Tertialrapport") == 2  # panel + Mine oppgaver


def test_documents_linked_by_number_and_unknown_numbers_reported(org, client_for, category):
    from tests.documents.factories import draft, published

    public = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Vernerunde-rutine")
    hidden = draft(org.leader_b1, org.unit_b1, title="Utkast i B1")
    data = {
        "title": "Vernerunde",
        "unit": org.unit_a1.pk,
        "category": category.pk,
        "recurrence": "once",
        "start_date": f"{year()}-05-01",
        "reminder_days": 14,
    }
    client = client_for(org.leader_a1)
    response = client.post(
        "/arshjul/aktivitet/ny/", {**data, "document_numbers": f"{hidden.number}, RUT-9999"}
    )
    assert response.status_code == 200
    error = str(response.context["form"].errors["document_numbers"])
    assert hidden.number in error and "RUT-9999" in error
    assert not Activity.objects.exists()
    response = client.post(
        "/arshjul/aktivitet/ny/", {**data, "document_numbers": public.number.lower()}
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.documents.all()) == [public]
    html = client_for(org.employee_a1).get(activity.get_absolute_url()).content.decode()
    assert public.number in html


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_wheel_svg_numbers_are_locale_independent(org, client_for, wheel_data, language):
    """Bokmål writes 244,85 for 244.85: every coordinate of the SVG must parse as a number."""
    from xml.etree import ElementTree

    client = client_for(org.employee_a1)
    client.cookies["django_language"] = language
    html = client.get(
        f"/arshjul/?unit={org.unit_a1.pk}&year={year()}", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    svg = ElementTree.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])
    assert assert_machine_numbers(html) > 40
    year_text = [e for e in svg.iter() if e.attrib.get("class") == "qms-wheel__year"]
    assert [e.text for e in year_text] == [str(year())]


def test_a_meeting_on_the_last_friday_through_the_form(org, client_for, category):
    client = client_for(org.leader_a1)
    response = client.post(
        "/arshjul/aktivitet/ny/",
        {
            "title": "Personalmøte",
            "unit": org.unit_a1.pk,
            "category": category.pk,
            "recurrence": "month_last",
            "start_date": "2026-01-30",  # the last Friday of January
            "reminder_days": 7,
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Hver måned, siste fredag" in page
    assert {d.weekday() for d in activity.occurrences.values_list("due_date", flat=True)} == {4}
