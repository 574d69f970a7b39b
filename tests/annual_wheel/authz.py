"""Authorization rows for the annual_wheel module's pages and endpoints (see tests/authz.py)."""

from tests.authz import API_ANON, Row, everyone


def objects(org, users):
    from datetime import date

    from annual_wheel import services
    from tests.annual_wheel.helpers import categories

    category = categories()["HMS"]
    activity = services.create_activity(
        org.advisor,
        title="Vernerunde Enhet A1",
        unit=org.unit_a1,
        category=category,
        recurrence="yearly",
        start_date=date(date.today().year, 9, 1),
        responsible=org.employee_a1,
    )
    activity_b = services.create_activity(
        org.advisor,
        title="Vernerunde Enhet B1",
        unit=org.unit_b1,
        category=category,
        recurrence="yearly",
        start_date=date(date.today().year, 9, 1),
        responsible=org.employee_b1,
    )
    feed, token = services.create_feed(org.employee_a1, org.unit_a1)
    return {
        "activity": activity,
        "occurrence": activity.occurrences.first(),
        "activity_b": activity_b,
        "occurrence_b": activity_b.occurrences.first(),
        "feed": feed,
        "feed_token": token,
        "category": category,
    }


# Who sees Enhet A1's activity: its members, leaders above, the committee for Sektor A, advisors.
A1_VIEW = everyone(200, sibling_employee=404, sibling_leader=404)
# Who changes it: leaders of Enhet A1 (and above), advisors, administrators; others who see it 403.
A1_CHANGE = {
    "*": 403,
    "anonymous": 302,
    "sibling_employee": 404,
    "sibling_leader": 404,
}


def _activity_form(c):
    from datetime import date

    return {
        "title": "Vernerunde",
        "unit": c["org"].unit_a1.pk,
        "category": c["category"].pk,
        "recurrence": "once",
        "start_date": date(date.today().year, 10, 1).isoformat(),
        "reminder_days": 7,
    }


ACTIVITIES = ("activity", "activity_b")
# Which activities each role finds in the API list: its own units' and their ancestors', the
# subtrees it leads or follows as committee, everything for advisors (docs/design.md §3).
LISTED = {
    "*": ("activity",),
    "sibling_employee": ("activity_b",),
    "sibling_leader": ("activity_b",),
    "grantee": ("activity_b",),
    "handler": (),
    "foreign_responsible": (),
    "advisor": ACTIVITIES,
    "admin": ACTIVITIES,
}
HIDES_A1 = ("sibling_employee", "sibling_leader", "handler", "foreign_responsible", "grantee")

# The wheel and the month list link each occurrence to its activity's page.
OCCURRENCE_LINK = {"marker": lambda a: f'href="{a.get_absolute_url()}#occ-'}
# Without a choice, the wheel is the user's own (deepest) unit's, else the municipality's:
# Enhet A1's people find A1's activity, Enhet B1's people B1's; Sektor A's leader and committee,
# the A2 members and those in no unit (advisor, admin) find neither (a wheel shows its unit's
# and its ancestors' activities, not those of units below).
OWN_WHEEL = {
    "*": (),
    "employee": ("activity",),
    "leader": ("activity",),
    "deputy": ("activity",),
    "sibling_employee": ("activity_b",),
    "sibling_leader": ("activity_b",),
    "grantee": ("activity_b",),
}
# Enhet B1's wheel asked for by anyone: the layer shows B1's activity to B1's people, the
# advisor and the admin only; Enhet A1's activity is never on B1's wheel.
B1_WHEEL = {
    "*": (),
    "sibling_employee": ("activity_b",),
    "sibling_leader": ("activity_b",),
    "grantee": ("activity_b",),
    "advisor": ("activity_b",),
    "admin": ("activity_b",),
}


def _wheel_rows(name: str, path: str) -> list[Row]:
    return [
        Row(
            name,
            lambda c: path,
            everyone(200),
            among=ACTIVITIES,
            shows=OWN_WHEEL,
            **OCCURRENCE_LINK,
        ),
        Row(
            name,
            lambda c: f"{path}?unit={c['org'].unit_b1.pk}",
            everyone(200),
            label="Enhet B1's wheel",
            among=ACTIVITIES,
            shows=B1_WHEEL,
            **OCCURRENCE_LINK,
        ),
    ]


ROWS = [
    *_wheel_rows("annual_wheel:index", "/arshjul/"),
    *_wheel_rows("annual_wheel:month_list", "/arshjul/liste/"),
    Row(
        "annual_wheel:activity_detail",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/",
        A1_VIEW,
    ),
    # The form is offered to those who lead a unit (or advise); the committee leads none.
    Row(
        "annual_wheel:activity_create",
        lambda c: "/arshjul/aktivitet/ny/",
        everyone(403, leader=200, sibling_leader=200, advisor=200, admin=200),
    ),
    # Posting for Enhet A1: redirect when allowed; a sibling leader gets the form back with an error.
    Row(
        "annual_wheel:activity_create",
        lambda c: "/arshjul/aktivitet/ny/",
        everyone(403, leader=302, sibling_leader=200, advisor=302, admin=302),
        method="post",
        data=_activity_form,
        label="for Enhet A1",
    ),
    Row(
        "annual_wheel:activity_edit",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/endre/",
        {**A1_CHANGE, "leader": 200, "advisor": 200, "admin": 200},
    ),
    Row(
        "annual_wheel:activity_edit",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/endre/",
        {**A1_CHANGE, "leader": 302, "advisor": 302, "admin": 302},
        method="post",
        data=_activity_form,
    ),
    Row(
        "annual_wheel:activity_archive",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/fjern/",
        {**A1_CHANGE, "leader": 302, "advisor": 302, "admin": 302},
        method="post",
    ),
    # The responsible (employee_a1) records too; the committee sees but may not record.
    Row(
        "annual_wheel:occurrence_record",
        lambda c: f"/arshjul/forekomst/{c['occurrence'].pk}/registrer/",
        {**A1_CHANGE, "employee": 302, "leader": 302, "advisor": 302, "admin": 302},
        method="post",
        data=lambda c: {
            f"occ{c['occurrence'].pk}-status": "done",
            f"occ{c['occurrence'].pk}-note": "OK",
        },
    ),
    Row("annual_wheel:feeds", lambda c: "/arshjul/kalender/", everyone(200)),
    # A feed for Enhet A1: every signed-in user may subscribe to a unit they see.
    Row(
        "annual_wheel:feeds",
        lambda c: "/arshjul/kalender/",
        everyone(200),
        method="post",
        data=lambda c: {"unit": c["org"].unit_a1.pk},
        label="for Enhet A1",
    ),
    # A feed is its owner's: anyone else gets 404 (the feed does not exist for them).
    Row(
        "annual_wheel:feed_revoke",
        lambda c: f"/arshjul/kalender/{c['feed'].pk}/trekk-tilbake/",
        everyone(404, employee=302),
        method="post",
    ),
    # The token is the credential: calendar apps fetch without a session.
    Row(
        "annual_wheel:ical_feed",
        lambda c: f"/arshjul/ical/{c['feed_token']}.ics",
        everyone(200, anonymous=200),
    ),
    Row(
        "annual_wheel:ical_feed",
        lambda c: "/arshjul/ical/ukjent-token.ics",
        everyone(404, anonymous=404),
        label="wrong token",
    ),
    Row(
        "activity-list",
        lambda c: "/api/v1/activities/",
        everyone(200, anonymous=API_ANON),
        api=True,
        among=ACTIVITIES,
        shows=LISTED,
    ),
    Row(
        "activity-list",
        lambda c: "/api/v1/activities/",
        everyone(403, anonymous=API_ANON, leader=201, advisor=201, admin=201),
        method="post",
        data=lambda c: {**_activity_form(c), "unit": c["org"].unit_a1.pk},
        api=True,
        label="for Enhet A1",
    ),
    Row(
        "activity-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/",
        {**A1_VIEW, "anonymous": API_ANON},
        api=True,
    ),
    Row(
        "activity-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/",
        {**A1_CHANGE, "anonymous": API_ANON, "leader": 200, "advisor": 200, "admin": 200},
        method="patch",
        data=lambda c: {"title": "Vernerunde, endret"},
        api=True,
    ),
    Row(
        "activity-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/",
        {**A1_CHANGE, "anonymous": API_ANON, "leader": 200, "advisor": 200, "admin": 200},
        method="put",
        data=_activity_form,
        api=True,
    ),
    Row(
        "activity-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/",
        {**A1_CHANGE, "anonymous": API_ANON, "leader": 204, "advisor": 204, "admin": 204},
        method="delete",
        api=True,
    ),
    Row(
        "activity-occurrence-list",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/occurrences/",
        {**A1_VIEW, "anonymous": API_ANON},
        api=True,
        label="(invisible activity: 404, the parent is fetched through the layer)",
        among=("occurrence", "occurrence_b"),
        shows={"*": ("occurrence",)},
    ),
    Row(
        "activity-occurrence-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/occurrences/{c['occurrence'].pk}/",
        {**A1_VIEW, "anonymous": API_ANON},
        api=True,
    ),
    Row(
        "activity-occurrence-detail",
        lambda c: f"/api/v1/activities/{c['activity'].pk}/occurrences/{c['occurrence'].pk}/",
        {
            **A1_CHANGE,
            "anonymous": API_ANON,
            "employee": 200,
            "leader": 200,
            "advisor": 200,
            "admin": 200,
        },
        method="patch",
        data=lambda c: {"status": "done", "note": "OK"},
        api=True,
    ),
]
