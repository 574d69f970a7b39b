"""Authorization rows for the annual_wheel module's pages and endpoints (see tests/authz.py)."""

from tests.authz import Row, everyone


def objects(org):
    from datetime import date

    from annual_wheel import services
    from annual_wheel.models import Category

    category = Category.objects.get(name="HMS")
    activity = services.create_activity(
        org.advisor,
        title="Vernerunde Enhet A1",
        unit=org.unit_a1,
        category=category,
        recurrence="yearly",
        start_date=date(date.today().year, 9, 1),
        responsible=org.employee_a1,
    )
    return {"activity": activity, "occurrence": activity.occurrences.first()}


# Who sees Enhet A1's activity: its members, leaders above, the committee for Sektor A, advisors.
A1_VIEW = everyone(200, sibling_employee=404, sibling_leader=404)

ROWS = [
    Row("annual_wheel:index", lambda c: "/arshjul/", everyone(200)),
    Row(
        "annual_wheel:activity_detail",
        lambda c: f"/arshjul/aktivitet/{c['activity'].pk}/",
        A1_VIEW,
    ),
]
