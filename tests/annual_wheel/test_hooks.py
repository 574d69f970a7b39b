"""The annual wheel's contributions to other pages: Min side and the document page."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from annual_wheel import hooks as wheel_hooks
from qms import hooks

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_my_tasks_lists_due_soon_and_overdue_for_the_responsible_only(org, make_activity):
    today = timezone.localdate()
    make_activity(
        org.unit_a1,
        title="Snart",
        responsible=org.employee_a1,
        start_date=today + timedelta(days=3),
    )
    make_activity(
        org.unit_a1,
        title="Langt fram",
        responsible=org.employee_a1,
        start_date=today + timedelta(days=200),
    )
    make_activity(
        org.unit_a1, title="Annens", responsible=org.leader_a1, start_date=today + timedelta(days=3)
    )
    rows = wheel_hooks.my_tasks(org.employee_a1)
    assert [r.title for r in rows] == ["Snart"]
    assert rows[0].deadline == today + timedelta(days=3) and not rows[0].overdue
    assert rows[0].url.endswith(f"#occ-{rows[0].url.rsplit('-', 1)[1]}")


def test_tasks_and_panel_run_a_bounded_number_of_queries(
    org, make_activity, django_assert_max_num_queries
):
    today = timezone.localdate()
    for i in range(15):
        make_activity(
            org.unit_a1,
            title=f"A{i}",
            responsible=org.employee_a1,
            start_date=today + timedelta(days=1 + i),
        )
    user = type(org.employee_a1).objects.get(pk=org.employee_a1.pk)
    with django_assert_max_num_queries(4):
        assert len(wheel_hooks.my_tasks(user)) == 15
        panel = wheel_hooks.upcoming_panel(request_for(user))
    assert len(panel.context["occurrences"]) == 10


def test_document_page_panel_lists_visible_linked_activities(org, make_activity):
    from annual_wheel import services
    from tests.documents.factories import published

    document = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Vernerunde-rutine")
    activity = make_activity(org.unit_a1, title="Vernerunde")
    services.update_activity(org.leader_a1, activity, documents=[document])
    panels = hooks.detail_panels_for(request_for(org.employee_a1), document)
    wheel_panels = [p for p in panels if p.template == "annual_wheel/_document_panel.html"]
    assert [a.title for a in wheel_panels[0].context["activities"]] == ["Vernerunde"]
    # Enhet B1's employee reads the document but not Enhet A1's activity: no panel.
    panels = hooks.detail_panels_for(request_for(org.employee_b1), document)
    assert not [p for p in panels if p.template == "annual_wheel/_document_panel.html"]


def test_document_page_shows_the_activities_that_build_on_it(org, make_activity, client):
    from annual_wheel import services
    from tests.documents.factories import published

    document = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Vernerunde-rutine")
    activity = make_activity(org.unit_a1, title="Vernerunde på avdelingen")
    services.update_activity(org.leader_a1, activity, documents=[document])
    client.force_login(org.employee_a1)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Vernerunde på avdelingen" in page
    assert activity.get_absolute_url() in page


def test_upcoming_panel_shows_own_ancestors_and_municipality_wheels_not_a_siblings(
    org, make_activity
):
    soon = timezone.localdate() + timedelta(days=3)
    for unit, title in [
        (org.unit_a1, "Egen enhet"),
        (org.sector_a, "Egen sektor"),
        (None, "Hele kommunen"),
        (org.unit_b1, "Søsterenhet"),
    ]:
        make_activity(unit, title=title, start_date=soon)
    panel = wheel_hooks.upcoming_panel(request_for(org.employee_a1))
    titles = sorted(o.activity.title for o in panel.context["occurrences"])
    assert titles == ["Egen enhet", "Egen sektor", "Hele kommunen"]
