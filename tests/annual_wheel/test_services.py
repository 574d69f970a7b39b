"""Activities, materialised occurrences, recording and inheritance (services and querysets)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import Activity, Occurrence
from annual_wheel.querysets import completion_by, completion_figures

pytestmark = pytest.mark.django_db


def this_year() -> int:
    return timezone.localdate().year


def test_leader_adds_activity_to_own_unit_and_occurrences_reach_end_of_next_year(
    org, make_activity
):
    activity = make_activity(
        org.unit_a1,
        by=org.leader_a1,
        recurrence="monthly",
        start_date=date(this_year(), 1, 10),
        responsible=org.employee_a1,
    )
    dates = list(activity.occurrences.values_list("due_date", flat=True))
    assert len(dates) == 24
    assert dates[0] == date(this_year(), 1, 10)
    assert dates[-1] == date(this_year() + 1, 12, 10)
    assert activity.materialised_until == date(this_year() + 1, 12, 31)
    assert activity.created_by == org.leader_a1
    assert activity.history.count() == 1


@pytest.mark.parametrize(
    "who, unit",
    [
        ("leader_b1", "unit_a1"),
        ("employee_a1", "unit_a1"),
        ("leader_a1", "unit_a2"),
        ("leader_a1", None),
        ("committee", "unit_a1"),
    ],
)
def test_only_leaders_of_the_unit_and_advisors_add_activities(org, make_activity, who, unit):
    with pytest.raises(PermissionDenied):
        make_activity(getattr(org, unit) if unit else None, by=getattr(org, who))
    assert not Activity.objects.exists()


def test_sector_leader_adds_to_a_unit_below_and_advisor_to_whole_municipality(org, make_activity):
    assert make_activity(org.unit_a2, by=org.leader_a).unit == org.unit_a2
    assert make_activity(None, by=org.advisor).unit is None


def test_invalid_schedule_is_refused_and_nothing_is_stored(org, make_activity):
    with pytest.raises(ValidationError):
        make_activity(org.unit_a1, recurrence="fortnightly")
    with pytest.raises(ValidationError):
        make_activity(
            org.unit_a1,
            recurrence="monthly",
            start_date=date(this_year(), 5, 1),
            end_date=date(this_year(), 4, 1),
        )
    assert not Activity.objects.exists()
    assert not Occurrence.objects.exists()


def test_changing_the_schedule_relays_planned_occurrences_and_keeps_recorded_ones(
    org, make_activity
):
    year = this_year()
    activity = make_activity(org.unit_a1, recurrence="monthly", start_date=date(year, 1, 5))
    recorded = activity.occurrences.get(due_date=date(year, 2, 5))
    services.record_occurrence(org.leader_a1, recorded, "done", "Gjennomført på personalmøte")
    services.update_activity(
        org.leader_a1, activity, recurrence="tertial", start_date=date(year, 1, 20)
    )
    dates = set(activity.occurrences.values_list("due_date", flat=True))
    assert date(year, 2, 5) in dates  # recorded history stays
    assert date(year, 3, 5) not in dates
    assert {date(year, 1, 20), date(year, 5, 20), date(year, 9, 20)} <= dates
    assert len(dates) == 7


def test_changing_reminder_days_moves_future_remind_dates(org, make_activity):
    activity = make_activity(
        org.unit_a1, start_date=timezone.localdate() + timedelta(days=60), reminder_days=14
    )
    services.update_activity(org.leader_a1, activity, reminder_days=3)
    occ = activity.occurrences.get()
    assert occ.remind_on == occ.due_date - timedelta(days=3)


def test_sibling_leader_cannot_change_or_archive(org, make_activity):
    activity = make_activity(org.unit_a1)
    with pytest.raises(Http404):
        services.update_activity(org.leader_b1, activity, title="Endret")
    with pytest.raises(PermissionDenied):
        # employee_a1 sees the activity but may not change it
        services.update_activity(org.employee_a1, activity, title="Endret")
    activity.refresh_from_db()
    assert activity.title == "Vernerunde"


def test_leader_cannot_move_activity_out_of_own_subtree(org, make_activity):
    activity = make_activity(org.unit_a1)
    with pytest.raises(PermissionDenied):
        services.update_activity(org.leader_a1, activity, unit=org.unit_b1)


def test_archive_removes_future_planned_occurrences_only(org, make_activity):
    year = this_year()
    activity = make_activity(org.unit_a1, recurrence="monthly", start_date=date(year, 1, 1))
    past = activity.occurrences.get(due_date=date(year, 1, 1))
    services.record_occurrence(org.leader_a1, past, "not_done", "Flyttet")
    services.archive_activity(org.leader_a1, activity)
    activity.refresh_from_db()
    assert not activity.is_active
    assert not activity.occurrences.filter(due_date__gte=timezone.localdate(), status="planned")
    assert activity.occurrences.filter(pk=past.pk).exists()


def test_responsible_records_occurrence_with_who_when_and_note(org, make_activity):
    activity = make_activity(org.unit_a1, responsible=org.employee_a1)
    occ = activity.occurrences.get()
    services.record_occurrence(org.employee_a1, occ, "done", "Alt i orden")
    occ.refresh_from_db()
    assert occ.status == "done"
    assert occ.completed_by == org.employee_a1
    assert occ.completed_at is not None
    assert occ.note == "Alt i orden"
    services.record_occurrence(org.employee_a1, occ, "planned")
    occ.refresh_from_db()
    assert occ.completed_at is None and occ.completed_by is None
    # Occurrences are laid out in bulk (no history row); each recording adds one.
    assert occ.history.count() == 2


def test_employee_who_is_not_responsible_cannot_record(org, make_activity):
    activity = make_activity(org.unit_a1, responsible=org.leader_a1)
    occ = activity.occurrences.get()
    with pytest.raises(PermissionDenied):
        services.record_occurrence(org.employee_a1, occ, "done")
    with pytest.raises(Http404):
        services.record_occurrence(org.employee_b1, occ, "done")
    with pytest.raises(ValidationError):
        services.record_occurrence(org.leader_a1, occ, "finished")
    occ.refresh_from_db()
    assert occ.status == "planned"


def test_unit_wheel_inherits_ancestors_and_whole_municipality(org, make_activity):
    made = {
        name: make_activity(unit, title=name)
        for name, unit in [
            ("kommune", None),
            ("rot", org.root),
            ("sektor a", org.sector_a),
            ("enhet a1", org.unit_a1),
            ("avdeling", org.dept_a1x),
            ("enhet a2", org.unit_a2),
            ("enhet b1", org.unit_b1),
        ]
    }
    wheel = set(Activity.objects.for_wheel_of(org.dept_a1x).values_list("title", flat=True))
    assert wheel == {"kommune", "rot", "sektor a", "enhet a1", "avdeling"}
    assert made["enhet b1"].title not in wheel


def test_employee_sees_own_units_ancestors_and_municipality_only(org, make_activity):
    for name, unit in [
        ("kommune", None),
        ("rot", org.root),
        ("sektor a", org.sector_a),
        ("enhet a1", org.unit_a1),
        ("avdeling", org.dept_a1x),
        ("enhet a2", org.unit_a2),
        ("enhet b1", org.unit_b1),
    ]:
        make_activity(unit, title=name)

    def seen(user):
        return set(Activity.objects.restrict(user).values_list("title", flat=True))

    assert seen(org.employee_a1) == {"kommune", "rot", "sektor a", "enhet a1"}
    assert seen(org.employee_b1) == {"kommune", "rot", "enhet b1"}
    assert seen(org.leader_a) == {"kommune", "rot", "sektor a", "enhet a1", "avdeling", "enhet a2"}
    assert seen(org.committee) == {"kommune", "rot", "sektor a", "enhet a1", "avdeling", "enhet a2"}
    assert len(seen(org.advisor)) == 7
    assert set(
        Activity.objects.restrict(org.leader_a1, "change").values_list("title", flat=True)
    ) == {
        "enhet a1",
        "avdeling",
    }


def test_extend_horizon_adds_the_next_year_once(org, make_activity):
    year = this_year()
    activity = make_activity(org.unit_a1, recurrence="yearly", start_date=date(year, 3, 1))
    assert activity.occurrences.count() == 2
    next_year = date(year + 1, 1, 2)
    assert services.extend_horizon(next_year) == 1
    assert services.extend_horizon(next_year) == 0
    assert list(activity.occurrences.values_list("due_date", flat=True)) == [
        date(year, 3, 1),
        date(year + 1, 3, 1),
        date(year + 2, 3, 1),
    ]


def test_completion_counts_done_on_time_per_unit(org, make_activity):
    year = this_year()
    a1 = make_activity(org.unit_a1, recurrence="monthly", start_date=date(year, 1, 1))
    b1 = make_activity(org.unit_b1, recurrence="once", start_date=date(year, 2, 1))
    occs = list(a1.occurrences.filter(due_date__year=year).order_by("due_date"))
    # January done on time, February done late, March not done, the rest planned.
    Occurrence.objects.filter(pk=occs[0].pk).update(
        status="done", completed_at=timezone.make_aware(timezone.datetime(year, 1, 1, 9))
    )
    Occurrence.objects.filter(pk=occs[1].pk).update(
        status="done", completed_at=timezone.make_aware(timezone.datetime(year, 2, 10, 9))
    )
    Occurrence.objects.filter(pk=occs[2].pk).update(
        status="not_done", completed_at=timezone.make_aware(timezone.datetime(year, 3, 2, 9))
    )
    today = date(year, 4, 15)
    start, end = date(year, 1, 1), date(year, 12, 31)
    figures = completion_figures(Occurrence.objects.restrict(org.leader_a1), start, end, today)
    assert figures.total == 12
    assert figures.due == 4
    assert figures.done == 2
    assert figures.done_on_time == 1
    assert figures.not_done == 1
    assert figures.overdue == 1  # April 1st, not recorded
    assert figures.percent_on_time == 25
    names = completion_by(
        Occurrence.objects.restrict(org.advisor), start, end, F("activity__unit__name"), today
    )
    assert names["Enhet A1"].due == 4
    assert names["Enhet B1"].due == 1 and names["Enhet B1"].done_on_time == 0
    assert b1.occurrences.count() == 1


def test_completion_of_an_empty_period_has_no_share(org):
    figures = completion_figures(
        Occurrence.objects.restrict(org.advisor), date(2020, 1, 1), date(2020, 12, 31)
    )
    assert figures.due == 0 and figures.share_on_time is None


def test_no_activity_is_added_to_a_closed_unit(org, make_activity, api_for, category):
    """The form offered only open units; the service and the API let the leader above add to a
    closed one. One create rule now answers both (qms.permissions.can_create)."""
    from qms import permissions

    org.dept_a1x.is_active = False
    org.dept_a1x.save(update_fields=["is_active"])
    assert org.dept_a1x not in permissions.creatable_units(org.leader_a, Activity)
    with pytest.raises(PermissionDenied):
        make_activity(org.dept_a1x, by=org.leader_a)
    answer = api_for(org.leader_a).post(
        "/api/v1/activities/",
        {
            "title": "Vernerunde",
            "unit": org.dept_a1x.pk,
            "category": category.pk,
            "recurrence": "once",
            "start_date": f"{this_year()}-06-15",
        },
        format="json",
    )
    # A closed unit is no choice at all (the form does not offer it): 400 on the field.
    assert answer.status_code == 400, answer.content
    assert set(answer.json()) == {"unit"}
    assert not Activity.objects.filter(unit=org.dept_a1x).exists()


def test_only_advisors_and_admins_add_municipality_wide_activities(org, make_activity):
    from qms import permissions

    assert permissions.can_create(org.advisor, Activity, None)
    assert not permissions.can_create(org.chief, Activity, None)
    assert permissions.can_create_somewhere(org.chief, Activity)
    assert not permissions.can_create_somewhere(org.employee_a1, Activity)
    with pytest.raises(PermissionDenied):
        make_activity(None, by=org.chief)


def test_responsible_is_one_of_the_people_of_the_units_the_editor_may_add_to(org, make_activity):
    """One rule (annual_wheel.querysets.responsible_candidates) for the form and the service: a
    leader chooses among the members of the units they may add activities to."""
    from annual_wheel.querysets import responsible_candidates

    candidates = set(responsible_candidates(org.leader_a1))
    assert {org.leader_a1, org.employee_a1, org.employee_a1x} <= candidates
    assert not {org.employee_b1, org.leader_b1, org.advisor} & candidates
    with pytest.raises(ValidationError) as refused:
        make_activity(org.unit_a1, by=org.leader_a1, responsible=org.employee_b1)
    assert "responsible" in refused.value.message_dict
    assert not Activity.objects.exists()
    # An advisor may choose anyone placed in a unit; the leader who edits that activity keeps
    # its responsible (keeping is not choosing) but cannot choose another outsider.
    activity = make_activity(org.unit_a1, responsible=org.employee_b1)
    assert org.employee_b1 in responsible_candidates(org.leader_a1, activity)
    services.update_activity(org.leader_a1, activity, title="Ny tittel")
    with pytest.raises(ValidationError):
        services.update_activity(org.leader_a1, activity, responsible=org.leader_b1)
    activity.refresh_from_db()
    assert (activity.title, activity.responsible) == ("Ny tittel", org.employee_b1)
