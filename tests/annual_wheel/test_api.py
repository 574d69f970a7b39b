"""/api/v1/activities/ with occurrences, through the permission layer."""

from datetime import date

import pytest
from django.utils import timezone

from annual_wheel.models import Activity, Occurrence

pytestmark = pytest.mark.django_db


def year() -> int:
    return timezone.localdate().year


def payload(org, category_obj, **changes):
    data = {
        "title": "ROS-gjennomgang",
        "unit": org.unit_a1.pk,
        "category": category_obj.pk,
        "recurrence": "yearly",
        "start_date": f"{year()}-11-15",
        "reminder_days": 21,
        "responsible": org.employee_a1.pk,
    }
    data.update(changes)
    return data


def test_list_is_restricted_and_carries_the_years_occurrences(org, api_for, make_activity):
    make_activity(
        org.unit_a1, title="A1 månedlig", recurrence="monthly", start_date=date(year(), 1, 3)
    )
    make_activity(org.unit_b1, title="B1")
    make_activity(None, title="Hele kommunen")
    response = api_for(org.employee_a1).get("/api/v1/activities/")
    assert response.status_code == 200
    titles = {row["title"]: row for row in response.json()["results"]}
    assert set(titles) == {"A1 månedlig", "Hele kommunen"}
    assert len(titles["A1 månedlig"]["occurrences"]) == 12
    assert titles["Hele kommunen"]["unit"] is None
    assert titles["Hele kommunen"]["unit_name"] == "Hele kommunen"
    next_year = api_for(org.employee_a1).get(f"/api/v1/activities/?year={year() + 1}").json()
    row = next(r for r in next_year["results"] if r["title"] == "A1 månedlig")
    assert row["occurrences"][0]["due_date"] == f"{year() + 1}-01-03"


def test_wheel_of_filter_gives_own_and_inherited(org, api_for, make_activity):
    make_activity(org.sector_a, title="Sektor")
    make_activity(org.unit_a1, title="A1")
    make_activity(org.unit_a2, title="A2")
    rows = api_for(org.advisor).get(f"/api/v1/activities/?wheel_of={org.unit_a1.pk}").json()
    assert {r["title"] for r in rows["results"]} == {"Sektor", "A1"}
    assert api_for(org.advisor).get("/api/v1/activities/?wheel_of=999999").json()["results"] == []


def test_list_runs_a_constant_number_of_queries(
    org, api_for, make_activity, django_assert_max_num_queries
):
    for i in range(25):
        make_activity(
            org.unit_a1, title=f"A{i}", recurrence="monthly", start_date=date(year(), 1, 1)
        )
    client = api_for(org.leader_a1)
    # session-less: actor (2), count, page, occurrences prefetch
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/activities/?page_size=50")
    assert response.json()["count"] == 25


def test_leader_creates_updates_and_archives(org, api_for, category):
    client = api_for(org.leader_a1)
    response = client.post("/api/v1/activities/", payload(org, category), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["occurrences"][0]["due_date"] == f"{year()}-11-15"
    pk = body["id"]
    response = client.patch(
        f"/api/v1/activities/{pk}/", {"start_date": f"{year()}-12-01"}, format="json"
    )
    assert response.status_code == 200
    assert [o["due_date"] for o in response.json()["occurrences"]] == [f"{year()}-12-01"]
    assert client.delete(f"/api/v1/activities/{pk}/").status_code == 204
    assert not Activity.objects.get(pk=pk).is_active


@pytest.mark.parametrize(
    "changes",
    [
        {"recurrence": "fortnightly"},
        {"start_date": "2026-02-31"},
        {"start_date": "1800-01-01"},
        {"end_date": "2000-01-01"},
        {"category": 999999},
        {"unit": 999999},
        {"reminder_days": 1000},
        {"title": ""},
    ],
)
def test_bad_input_is_400_and_nothing_is_stored(org, api_for, category, changes):
    response = api_for(org.leader_a1).post(
        "/api/v1/activities/", payload(org, category, **changes), format="json"
    )
    assert response.status_code == 400
    assert set(changes) & set(response.json())
    assert not Activity.objects.exists()


def test_responsible_outside_the_leaders_units_is_refused_with_400(org, api_for, category):
    """The API offers no list to choose from, so the service refuses whom the form would not
    have offered (annual_wheel.querysets.responsible_candidates)."""
    client = api_for(org.leader_a1)
    response = client.post(
        "/api/v1/activities/", payload(org, category, responsible=org.employee_b1.pk), format="json"
    )
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"responsible"}
    assert not Activity.objects.exists()
    created = client.post("/api/v1/activities/", payload(org, category), format="json").json()
    response = client.patch(
        f"/api/v1/activities/{created['id']}/", {"responsible": org.leader_b1.pk}, format="json"
    )
    assert response.status_code == 400, response.content
    assert Activity.objects.get().responsible == org.employee_a1


def test_script_in_title_is_stored_as_plain_text(org, api_for, category):
    response = api_for(org.leader_a1).post(
        "/api/v1/activities/",
        payload(org, category, title="<script>alert(1)</script>"),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["title"] == "<script>alert(1)</script>"


def test_leader_cannot_create_in_sibling_unit_or_change_it(org, api_for, category, make_activity):
    client = api_for(org.leader_b1)
    response = client.post("/api/v1/activities/", payload(org, category), format="json")
    assert response.status_code == 403
    activity = make_activity(org.unit_a1)
    assert client.patch(f"/api/v1/activities/{activity.pk}/", {"title": "x"}).status_code == 404
    assert (
        api_for(org.employee_a1)
        .patch(f"/api/v1/activities/{activity.pk}/", {"title": "x"}, format="json")
        .status_code
        == 403
    )


def test_responsible_records_an_occurrence(org, api_for, make_activity):
    activity = make_activity(org.unit_a1, responsible=org.employee_a1)
    occ = activity.occurrences.get()
    url = f"/api/v1/activities/{activity.pk}/occurrences/{occ.pk}/"
    client = api_for(org.employee_a1)
    listed = client.get(f"/api/v1/activities/{activity.pk}/occurrences/").json()
    assert [o["id"] for o in listed["results"]] == [occ.pk]
    response = client.patch(url, {"status": "done", "note": "Alt ok"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert response.json()["completed_by"] == org.employee_a1.pk
    assert client.patch(url, {"status": "ferdig"}, format="json").status_code == 400
    assert (
        api_for(org.employee_b1).patch(url, {"status": "planned"}, format="json").status_code == 404
    )
    assert (
        api_for(org.committee).patch(url, {"status": "planned"}, format="json").status_code == 403
    )
    assert Occurrence.objects.get(pk=occ.pk).status == "done"


def test_occurrence_of_another_activity_is_404(org, api_for, make_activity):
    a = make_activity(org.unit_a1)
    b = make_activity(org.unit_a1, title="Annen")
    occ_b = b.occurrences.get()
    response = api_for(org.leader_a1).get(f"/api/v1/activities/{a.pk}/occurrences/{occ_b.pk}/")
    assert response.status_code == 404


def test_bad_year_is_400(org, api_for):
    assert api_for(org.leader_a1).get("/api/v1/activities/?year=abc").status_code == 400
    assert api_for(org.leader_a1).get("/api/v1/activities/?year=3000").status_code == 400


def test_documents_are_linked_and_invisible_ones_refused(org, api_for, category):
    from tests.documents.factories import draft, published

    public = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Vernerunde-rutine")
    hidden = draft(org.leader_b1, org.unit_b1, title="Utkast i B1")
    client = api_for(org.leader_a1)
    response = client.post(
        "/api/v1/activities/", payload(org, category, documents=[hidden.pk]), format="json"
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()
    response = client.post(
        "/api/v1/activities/", payload(org, category, documents=[public.pk]), format="json"
    )
    assert response.status_code == 201
    assert response.json()["documents"] == [public.pk]
    assert list(Activity.objects.get().documents.all()) == [public]


def test_nested_occurrences_match_the_occurrence_serializer(org, api_for, make_activity):
    """The list builds nested occurrences without the serializer (speed); the output must be
    exactly what OccurrenceSerializer gives, field for field."""
    from django.utils import timezone

    from annual_wheel import services
    from annual_wheel.api.serializers import OccurrenceSerializer

    activity = make_activity(
        org.unit_a1,
        title="Månedlig",
        recurrence="monthly",
        start_date=date(year(), 1, 10),
        responsible=org.employee_a1,
    )
    first, second, *_ = activity.occurrences.order_by("due_date")
    services.record_occurrence(org.employee_a1, first, "done", note="Utført <b>ok</b>")
    services.record_occurrence(org.employee_a1, second, "not_done", note="")
    response = api_for(org.employee_a1).get("/api/v1/activities/")
    row = next(r for r in response.json()["results"] if r["title"] == "Månedlig")
    expected = OccurrenceSerializer(
        activity.occurrences.filter(due_date__year=year()).order_by("due_date"),
        many=True,
        context={"today": timezone.localdate()},
    ).data
    assert row["occurrences"] == [dict(o) for o in expected]
    assert row["occurrences"][0]["completed_at"] is not None
    assert row["occurrences"][0]["completed_by"] == org.employee_a1.pk
    assert any(o["overdue"] for o in row["occurrences"]) == any(o["overdue"] for o in expected)


def test_occurrences_of_an_invisible_activity_are_404(org, api_for, make_activity):
    # The parent is fetched through the layer (it used to answer an empty 200 list).
    activity = make_activity(org.unit_a1)
    url = f"/api/v1/activities/{activity.pk}/occurrences/"
    assert api_for(org.leader_a1).get(url).status_code == 200
    assert api_for(org.employee_b1).get(url).status_code == 404


def test_a_meeting_on_the_second_monday_through_the_api(org, api_for, category):
    client = api_for(org.leader_a1)
    data = payload(org, category, recurrence="month_nth", start_date="2026-01-12")
    response = client.post("/api/v1/activities/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["recurrence_text"] == "Hver måned, andre mandag"
    activity = Activity.objects.get(pk=response.json()["id"])
    assert {d.weekday() for d in activity.occurrences.values_list("due_date", flat=True)} == {0}
    # The fifth Thursday is not in every month: refused with a reason on the date.
    data = payload(org, category, recurrence="month_nth", start_date="2026-01-29")
    response = client.post("/api/v1/activities/", data, format="json")
    assert response.status_code == 400 and "start_date" in response.json()
