"""Internal audits: planning, the permission rule, findings as deviations, the report."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import Audit, AuditFinding, AuditProgramme, Occurrence
from deviations.models import Deviation
from qms import permissions
from tests.annual_wheel.audit_helpers import plan
from tests.documents.factories import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(org):
    return published(org.employee_a1, org.leader_a1, org.unit_a1, title="Legemiddelrutine")


@pytest.fixture
def audit(org, procedure):
    return plan(org, criteria=[procedure])


@pytest.fixture
def started(org, audit):
    return services.start_audit(org.employee_b1, audit, opening_date=timezone.localdate())


def test_planning_puts_the_audit_in_the_years_programme(org, audit, procedure):
    assert audit.status == Audit.Status.PLANNED
    assert audit.programme == AuditProgramme.objects.get(year=date.today().year, unit=None)
    assert list(audit.criteria.all()) == [procedure]
    assert set(audit.auditors.all()) == {org.employee_a1x}
    second = plan(org, title="Informasjonssikkerhet")
    assert second.programme == audit.programme


def test_leaders_plan_for_their_subtree_only(org):
    audit = plan(org, by=org.leader_a, programme_unit=org.sector_a, unit=org.unit_a2)
    assert audit.programme.unit == org.sector_a
    with pytest.raises(PermissionDenied):
        plan(org, by=org.leader_a, programme_unit=org.sector_a, unit=org.unit_b1)
    with pytest.raises(PermissionDenied):  # the municipality's programme is the advisors'
        plan(org, by=org.leader_a, unit=org.unit_a2)
    with pytest.raises(PermissionDenied):
        plan(org, by=org.employee_a1)


def test_audited_unit_lies_in_the_programmes_unit(org):
    with pytest.raises(ValidationError):
        plan(org, programme_unit=org.sector_b, unit=org.unit_a1)


def test_audit_is_seen_by_its_subtree_and_auditors_and_changed_by_auditors(org, audit):
    seen = {
        u.username
        for u in (
            org.employee_a1,
            org.employee_a1x,
            org.employee_b1,
            org.leader_a,
            org.leader_a1,
            org.leader_a2,
            org.leader_b1,
            org.committee,
            org.advisor,
        )
        if permissions.can(u, audit, "view")
    }
    assert seen == {
        "employee_a1",
        "employee_a1x",
        "employee_b1",
        "leader_a",
        "leader_a1",
        "committee",
        "advisor",
    }
    change = {
        u.username
        for u in (org.employee_a1, org.employee_a1x, org.employee_b1, org.leader_a1, org.advisor)
        if permissions.can(u, audit, "change")
    }
    assert change == {"employee_a1x", "employee_b1", "advisor"}


def test_findings_are_recorded_only_while_the_audit_is_in_progress(org, audit):
    with pytest.raises(services.AuditStateError):
        services.add_finding(org.employee_b1, audit, kind="observation", text="Tidlig")


def test_an_avvik_finding_becomes_one_deviation_of_the_audited_unit(org, started, procedure):
    finding = services.add_finding(
        org.employee_b1,
        started,
        kind=AuditFinding.Kind.NONCONFORMITY,
        text="Dosett kontrolleres ikke mot kurve",
        evidence="Intervju med to sykepleiere",
        criterion=procedure,
    )
    deviation = Deviation.objects.get()
    assert finding.deviation == deviation
    assert deviation.source == Deviation.Source.INTERNAL_AUDIT
    assert deviation.unit == org.unit_a1
    assert deviation.title == "Dosett kontrolleres ikke mot kurve"
    assert "Intervju med to sykepleiere" in deviation.description
    assert deviation.handler == org.leader_a1  # routed like every report


def test_observations_and_strengths_stay_in_the_audit(org, started):
    services.add_finding(org.employee_b1, started, kind="observation", text="Rutinen er gammel")
    services.add_finding(org.employee_a1x, started, kind="strength", text="God opplæring")
    assert started.findings.count() == 2
    assert not Deviation.objects.exists()
    assert not started.findings.exclude(deviation=None).exists()


def test_a_criterion_must_be_one_of_the_audits(org, started):
    other = published(org.employee_b1, org.leader_b1, org.unit_b1, title="Annen rutine")
    with pytest.raises(ValidationError):
        services.add_finding(
            org.employee_b1, started, kind="observation", text="x", criterion=other
        )


def test_a_member_of_the_audited_unit_adds_no_findings(org, started):
    with pytest.raises(PermissionDenied):
        services.add_finding(org.employee_a1, started, kind="strength", text="Vi er flinke")


def test_reporting_requires_the_conclusion(org, started):
    with pytest.raises(ValidationError) as exc:
        services.report_audit(
            org.employee_b1, started, closing_date=timezone.localdate(), conclusion="  "
        )
    assert "conclusion" in exc.value.message_dict
    started.refresh_from_db()
    assert started.status == Audit.Status.IN_PROGRESS


def test_a_reported_audit_is_read_only(org, started):
    services.report_audit(
        org.employee_b1, started, closing_date=timezone.localdate(), conclusion="Etterleves delvis"
    )
    started.refresh_from_db()
    assert started.is_reported and started.reported_by == org.employee_b1
    with pytest.raises(services.AuditStateError):
        services.add_finding(org.employee_b1, started, kind="strength", text="Sent")
    with pytest.raises(services.AuditStateError):
        services.report_audit(
            org.employee_b1, started, closing_date=timezone.localdate(), conclusion="Igjen"
        )


def test_a_planned_audit_cannot_be_reported(org, audit):
    with pytest.raises(services.AuditStateError):
        services.report_audit(
            org.employee_b1, audit, closing_date=timezone.localdate(), conclusion="Ok"
        )


def test_reporting_records_the_linked_occurrence_done(org, make_activity):
    activity = make_activity(title="Interne revisjoner", unit=None)
    occurrence = activity.occurrences.get()
    audit = plan(org, occurrence=occurrence)
    # The lead auditor records the occurrence as the audit's auditor, not as a leader.
    audit = services.start_audit(org.employee_b1, audit, opening_date=timezone.localdate())
    services.report_audit(
        org.employee_b1, audit, closing_date=timezone.localdate(), conclusion="Etterleves"
    )
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE
    assert occurrence.completed_by == org.employee_b1
    assert "intern revisjon" in occurrence.note


def test_only_someone_who_records_the_occurrence_links_it(org, make_activity):
    activity = make_activity(title="Revisjon B1", unit=org.unit_b1)
    occurrence = activity.occurrences.get()
    with pytest.raises(ValidationError):
        plan(org, by=org.leader_a1, programme_unit=org.unit_a1, occurrence=occurrence)
