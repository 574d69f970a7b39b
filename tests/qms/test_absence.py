"""A leader's absence routes new work to the deputy or the next leader up (docs/design.md
§12), and the leader sees what went elsewhere when back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deviations import services
from qms import absence
from qms.models import Absence, Membership, Notification, RoutedWork
from qms.organisation import acting_chain, acting_leader
from tests.conftest import make_user
from tests.deviations.conftest import add_action, report

pytestmark = pytest.mark.django_db


def away(leader, days=7, deputy=None, starts=None):
    today = timezone.localdate()
    starts = starts or today
    return Absence.objects.create(
        user=leader, starts=starts, ends=starts + timedelta(days=days), deputy=deputy
    )


def test_the_leader_acts_when_not_away(org):
    leader = acting_leader(org.unit_a1)
    assert leader.user == org.leader_a1
    assert leader.instead_of is None


def test_an_absent_leader_without_deputy_hands_over_to_the_next_leader_up(org):
    absence_row = away(org.leader_a1)
    leader = acting_leader(org.unit_a1)
    assert leader.user == org.leader_a
    assert leader.instead_of == absence_row


def test_the_units_deputy_acts_for_the_absent_leader(org):
    deputy = make_user("deputy_a1", org.unit_a1, Membership.Role.DEPUTY)
    away(org.leader_a1)
    leader = acting_leader(org.unit_a1)
    assert (leader.user, leader.unit) == (deputy, org.unit_a1)


def test_the_deputy_named_on_the_absence_comes_before_the_units_deputy(org):
    make_user("deputy_a1", org.unit_a1, Membership.Role.DEPUTY)
    away(org.leader_a1, deputy=org.leader_a2)
    assert acting_leader(org.unit_a1).user == org.leader_a2


def test_a_deputy_who_is_away_too_is_passed_over(org):
    deputy = make_user("deputy_a1", org.unit_a1, Membership.Role.DEPUTY)
    away(org.leader_a1)
    away(deputy)
    assert acting_leader(org.unit_a1).user == org.leader_a


def test_an_absence_is_over_the_day_after_it_ends(org):
    away(org.leader_a1, days=2)
    later = timezone.localdate() + timedelta(days=3)
    assert acting_leader(org.unit_a1, later).user == org.leader_a1
    assert acting_leader(org.unit_a1, later).instead_of is None


def test_the_chain_replaces_each_absent_leader_in_three_queries(org, django_assert_num_queries):
    away(org.leader_a)
    with django_assert_num_queries(3):
        chain = acting_chain(org.dept_a1x)
    assert [leader.user for leader in chain] == [org.leader_a1, org.chief]


def test_a_new_case_goes_to_the_deputy_and_onto_the_leaders_list(org):
    deputy = make_user("deputy_a1", org.unit_a1, Membership.Role.DEPUTY)
    away(org.leader_a1)
    case = report(org, title="Glatt gulv i gangen")
    assert case.handler == deputy
    assert Notification.objects.filter(recipient=deputy, url=case.get_absolute_url()).exists()
    assert not Notification.objects.filter(recipient=org.leader_a1).exists()
    routed = absence.routed_while_away(org.leader_a1).get()
    assert (routed.recipient, routed.url) == (deputy, case.get_absolute_url())
    assert "Glatt gulv i gangen" in routed.subject


def test_a_personal_data_case_is_listed_by_number_only(org):
    away(org.leader_a1)
    case = report(org, title="Navngitt beboer falt", contains_personal_data=True)
    routed = absence.routed_while_away(org.leader_a1).get()
    assert routed.subject == case.number


def test_an_approval_request_goes_to_who_acts_for_the_approver(org):
    from documents import services as documents
    from tests.documents.factories import draft

    version = draft(org.employee_a1, org.unit_a1, title="Brannrutine").versions.get()
    away(org.leader_a1)
    documents.submit(org.employee_a1, version)
    assert Notification.objects.filter(
        recipient=org.leader_a, kind="documents.approval_requested"
    ).exists()
    assert not Notification.objects.filter(recipient=org.leader_a1).exists()
    assert absence.routed_while_away(org.leader_a1).get().recipient == org.leader_a


def test_an_escalation_skips_the_absent_leader(org):
    case = report(org)
    action = add_action(org, case)
    away(org.leader_a1, days=60)
    services.escalate_overdue_actions(action.deadline + timedelta(days=8))
    escalated = Notification.objects.filter(kind="action.escalated")
    assert list(escalated.values_list("recipient__username", flat=True)) == ["leader_a"]
    routed = absence.routed_while_away(org.leader_a1).get()
    assert routed.recipient == org.leader_a


def test_a_leader_registers_their_own_absence_with_a_deputy_who_has_their_rights(org):
    today = timezone.localdate()
    found = absence.register_absence(
        actor=org.leader_a1,
        leader=org.leader_a1,
        starts=today,
        ends=today + timedelta(days=14),
        deputy=org.leader_a,
        note="Ferie",
    )
    assert found.created_by == org.leader_a1
    with pytest.raises(ValidationError) as exc:
        absence.register_absence(
            actor=org.leader_a1,
            leader=org.leader_a1,
            starts=today + timedelta(days=20),
            ends=today + timedelta(days=21),
            deputy=org.employee_a1,  # no leader's rights
        )
    assert "deputy" in exc.value.error_dict


def test_overlapping_and_backwards_periods_are_refused(org):
    today = timezone.localdate()
    absence.register_absence(
        actor=org.leader_a1, leader=org.leader_a1, starts=today, ends=today + timedelta(days=5)
    )
    with pytest.raises(ValidationError) as exc:
        absence.register_absence(
            actor=org.leader_a1,
            leader=org.leader_a1,
            starts=today + timedelta(days=5),
            ends=today + timedelta(days=9),
        )
    assert "starts" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        absence.register_absence(
            actor=org.leader_a1,
            leader=org.leader_a1,
            starts=today + timedelta(days=9),
            ends=today + timedelta(days=8),
        )
    assert "ends" in exc.value.error_dict


def test_only_the_leader_or_an_advisor_registers_an_absence(org):
    today = timezone.localdate()
    for actor in (org.employee_a1, org.leader_b1):
        with pytest.raises(PermissionDenied):
            absence.register_absence(actor=actor, leader=org.leader_a1, starts=today, ends=today)
    absence.register_absence(actor=org.advisor, leader=org.leader_a1, starts=today, ends=today)


def test_cancelling_a_running_absence_ends_it_yesterday_and_keeps_the_list(org):
    running = away(org.leader_a1, starts=timezone.localdate() - timedelta(days=2))
    report(org)
    absence.cancel_absence(actor=org.leader_a1, absence=running)
    running.refresh_from_db()
    assert running.ends == timezone.localdate() - timedelta(days=1)
    assert acting_leader(org.unit_a1).user == org.leader_a1
    assert RoutedWork.objects.filter(absence=running).count() == 1


def test_min_side_shows_what_went_to_whom_while_away(org, client_for):
    deputy = make_user("deputy_a1", org.unit_a1, Membership.Role.DEPUTY, last_name="Vik")
    earlier = away(org.leader_a1, days=3)
    case = report(org, title="Vannlekkasje på lageret")
    # Back again: the absence ended yesterday.
    today = timezone.localdate()
    Absence.objects.filter(pk=earlier.pk).update(
        starts=today - timedelta(days=4), ends=today - timedelta(days=1)
    )
    page = client_for(org.leader_a1).get("/").content.decode()
    assert "Mens du var borte" in page
    assert "Vannlekkasje på lageret" in page
    assert deputy.get_full_name() in page
    assert f'href="{case.get_absolute_url()}"' in page


def test_the_absence_page_registers_and_shows_errors_beside_the_fields(org, client_for):
    client = client_for(org.leader_a1)
    today = timezone.localdate()
    page = client.get("/konto/fravaer/")
    assert page.status_code == 200
    assert "Registrer fravær" in page.content.decode()
    bad = client.post(
        "/konto/fravaer/",
        {"leader": org.leader_a1.pk, "starts": today.isoformat(), "ends": "2000-01-01"},
    )
    assert bad.status_code == 200
    assert "Siste dag kan ikke være før første dag." in bad.content.decode()
    assert not Absence.objects.exists()
    ok = client.post(
        "/konto/fravaer/",
        {
            "leader": org.leader_a1.pk,
            "starts": today.isoformat(),
            "ends": (today + timedelta(days=3)).isoformat(),
            "deputy": org.leader_a.pk,
        },
    )
    assert ok.status_code == 302
    assert Absence.objects.get().deputy == org.leader_a
    unit_page = client.get(f"/enheter/{org.unit_a1.pk}/").content.decode()
    assert "er borte til og med" in unit_page


def test_an_employee_has_no_absence_page(org, client_for):
    assert client_for(org.employee_a1).get("/konto/fravaer/").status_code == 403


def test_the_demo_has_the_handbook_roles_and_a_leader_on_holiday(db):
    from qms.demo import seed_organisation

    org = seed_organisation()
    usernames = {username for username, _description in org.logins}
    assert {"hovedverneombud", "tillitsvalgt", "amu", "kontrollutvalg", "folkevalgt"} <= usernames
    assert "koordinator.helse" in usernames
    roles = set(Membership.objects.values_list("role", flat=True))
    assert set(Membership.Role.values) <= roles
    home_care = org.units["hjemmetjenesten"]
    acting = acting_leader(home_care)
    assert acting.instead_of is not None
    assert acting.user != org.leaders["hjemmetjenesten"]
    assert Membership.objects.filter(
        unit=home_care, user=acting.user, role=Membership.Role.DEPUTY
    ).exists()
