"""External inspections (tilsyn): recording, findings as deviations, replies and the
authority's confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deviations import services
from deviations.models import Deviation, Inspection, InspectionFinding
from qms import permissions
from qms.models import Notification
from tests.deviations.conftest import add_action
from tests.deviations.inspections import finding, inspection

pytestmark = pytest.mark.django_db


def test_leaders_of_the_unit_and_advisors_record_inspections(org):
    assert inspection(org, actor=org.leader_a1).unit == org.unit_a1
    assert inspection(org, actor=org.leader_a).unit == org.unit_a1  # one level up
    assert inspection(org, actor=org.advisor).unit == org.unit_a1
    for outsider in (org.employee_a1, org.leader_b1):
        with pytest.raises(PermissionDenied):
            inspection(org, actor=outsider)


def test_a_report_received_with_the_record_moves_the_status(org):
    recorded = inspection(org, report_received_on=timezone.localdate())
    assert recorded.status == Inspection.Status.REPORT_RECEIVED


def test_a_visit_before_the_opening_is_refused(org):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        inspection(org, opened_on=today, visit_on=today - timedelta(days=3))
    assert "visit_on" in exc.value.error_dict


def test_a_finding_is_a_deviation_handled_by_the_nearest_leader(org):
    found = finding(org, inspection(org), unit=org.dept_a1x)
    case = found.deviation
    assert case.source == Deviation.Source.INSPECTION
    assert case.unit == org.dept_a1x
    assert case.handler == org.leader_a1  # Avdeling A1x has no leader of its own
    assert case.state == Deviation.State.REPORTED
    assert Notification.objects.filter(recipient=org.leader_a1, kind="deviation.reported").exists()


def test_a_finding_is_placed_in_the_inspections_units_only(org):
    checked = inspection(org, units=[org.unit_a2])
    assert finding(org, checked, unit=org.unit_a2).deviation.unit == org.unit_a2
    with pytest.raises(ValidationError) as exc:
        finding(org, checked, unit=org.unit_b1)
    assert "unit" in exc.value.error_dict


def test_an_employee_cannot_add_findings(org):
    checked = inspection(org)
    with pytest.raises(PermissionDenied):
        finding(org, checked, actor=org.employee_a1)


def _handle_and_close_actions(org, case):
    services.start_treatment(actor=org.leader_a1, deviation=case)
    action = add_action(org, case)
    services.complete_action(actor=org.employee_a1, action=action)
    return action


def test_confirmation_needs_the_reply_and_the_cases_closing_rule(org):
    found = finding(org, inspection(org))
    case = found.deviation
    with pytest.raises(services.TransitionError) as exc:
        services.confirm_finding_closed(actor=org.leader_a1, finding=found)
    assert "svar" in exc.value.message
    assert "kan ikke lukkes" in exc.value.message  # the case is only reported
    services.reply_to_finding(actor=org.leader_a1, finding=found, reply="Kartlegging innen mars.")
    action = _handle_and_close_actions(org, case)
    with pytest.raises(services.TransitionError) as exc:
        services.confirm_finding_closed(actor=org.leader_a1, finding=found)
    assert "Effekten" in exc.value.message  # closing_problems, word for word
    services.evaluate_action_effect(actor=org.leader_a1, action=action, effect="effective")
    services.confirm_finding_closed(actor=org.leader_a1, finding=found)
    found.refresh_from_db()
    case.refresh_from_db()
    assert found.confirmed_closed_at is not None
    assert case.state == Deviation.State.CLOSED  # closed through close_deviation
    kinds = list(case.events.values_list("kind", flat=True))
    assert "inspection_reply" in kinds and kinds[-2:] == ["closed", "inspection_closed"]


def test_an_advisor_confirms_only_once_the_case_is_closed_by_its_handler(org):
    found = finding(org, inspection(org))
    services.reply_to_finding(actor=org.advisor, finding=found, reply="Plan sendt.")
    services.start_treatment(actor=org.leader_a1, deviation=found.deviation)
    with pytest.raises(services.TransitionError) as exc:
        services.confirm_finding_closed(actor=org.advisor, finding=found)
    assert found.deviation.number in exc.value.message
    services.close_deviation(actor=org.leader_a1, deviation=found.deviation, note="Rutine laget.")
    services.confirm_finding_closed(actor=org.advisor, finding=found)
    assert InspectionFinding.objects.open().count() == 0


def test_the_inspection_closes_with_its_last_finding(org):
    checked = inspection(org, report_received_on=timezone.localdate())
    first, second = finding(org, checked), finding(org, checked, title="Mangler opplæring")
    with pytest.raises(services.TransitionError):
        services.set_inspection_status(
            actor=org.leader_a1, inspection=checked, status=Inspection.Status.CLOSED
        )
    for found in (first, second):
        services.reply_to_finding(actor=org.leader_a1, finding=found, reply="Svar sendt.")
        services.start_treatment(actor=org.leader_a1, deviation=found.deviation)
        services.close_deviation(actor=org.leader_a1, deviation=found.deviation, note="Ordnet.")
        services.confirm_finding_closed(actor=org.leader_a1, finding=found)
    checked.refresh_from_db()
    assert checked.status == Inspection.Status.CLOSED


def visible(user, model=Inspection):
    return set(permissions.restrict(user, model).values_list("pk", flat=True))


def test_who_sees_an_inspection(org):
    a1 = inspection(org)
    with_b1 = inspection(org, units=[org.unit_b1], theme="Brannvern")
    assert visible(org.employee_a1) == {a1.pk, with_b1.pk}
    assert visible(org.employee_a1x) == {a1.pk, with_b1.pk}  # in the unit's subtree
    assert visible(org.employee_b1) == {with_b1.pk}  # an inspected unit
    assert visible(org.leader_b) == {with_b1.pk}  # a leader above an inspected unit
    assert visible(org.leader_a2) == set()
    assert visible(org.advisor) == visible(org.leader_a) == {a1.pk, with_b1.pk}
    assert visible(org.committee) == {a1.pk, with_b1.pk}


def test_seeing_an_inspection_does_not_open_its_findings_cases(org):
    found = finding(org, inspection(org, units=[org.unit_b1]))
    assert visible(org.employee_b1, InspectionFinding) == {found.pk}
    assert not permissions.can(org.employee_b1, found.deviation, "view")
    assert permissions.can(org.leader_a1, found.deviation, "view")


def test_only_leaders_of_the_unit_and_advisors_follow_up(org):
    found = finding(org, inspection(org))
    for user in (org.leader_a1, org.leader_a, org.advisor):
        assert permissions.can(user, found, "change")
    for user in (org.employee_a1, org.leader_b1, org.committee):
        assert not permissions.can(user, found, "change")
    with pytest.raises(PermissionDenied):
        services.reply_to_finding(actor=org.employee_a1, finding=found, reply="Svar")


def test_min_side_lists_findings_whose_deadline_is_near_for_the_units_leaders(
    org, client_for, django_assert_max_num_queries
):
    from qms import hooks

    checked = inspection(org)
    near = finding(org, checked, days=10, title="Svar om brannøvelser")
    finding(org, checked, days=60, title="Fjern frist")
    replied = finding(org, checked, days=3, title="Allerede besvart")
    services.reply_to_finding(actor=org.leader_a1, finding=replied, reply="Sendt.")
    with django_assert_max_num_queries(2):  # the actor's memberships, then the findings
        from deviations.hooks import my_inspection_findings

        items = my_inspection_findings(org.leader_a1)
    assert [t.title for t in items] == ["Arbeidstilsynet: Svar om brannøvelser"]
    assert items[0].url == f"/avvik/tilsyn/{checked.pk}/#funn-{near.pk}"
    assert not [t for t in hooks.tasks_for(org.employee_a1) if t.module == "Tilsyn"]
    assert not [t for t in hooks.tasks_for(org.leader_b1) if t.module == "Tilsyn"]
    html = client_for(org.leader_a1).get("/").content.decode()
    assert "Arbeidstilsynet: Svar om brannøvelser" in html
