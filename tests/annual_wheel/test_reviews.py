"""Management review (ledelsens gjennomgåelse, docs/design.md §14): the agenda, the services, the
snapshot at sign-off and the decisions that become actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from annual_wheel import services
from annual_wheel.models import Activity, Occurrence, Review
from deviations import services as deviation_services
from deviations.models import CorrectiveAction, Deviation
from qms import hooks
from qms.models import UnitDescription
from qms.reports import agenda
from qms.reports.scope import Scope
from qms.reports.stats import compute

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _headcounts(org):
    """Units large enough that the statistics show counts, not "< 5"."""
    from qms.models import OrgUnit

    OrgUnit.objects.update(headcount=30)


def start(org, unit=None, by=None, year=YEAR):
    return services.start_review(
        by or org.leader_a1,
        unit=unit or org.unit_a1,
        year=year,
        date=timezone.localdate(),
        role="Leder",
    )


def assess_all(user, review, text="Godt nok, men rutinene må følges bedre opp."):
    for section in agenda.agenda:
        services.save_assessment(user, review, section=section.key, text=text)
    services.update_review(user, review, summary="Styringen er i hovedsak god nok.")


def report(org, unit=None, title="Glatt gulv", **extra):
    return deviation_services.report_deviation(
        reporter=org.employee_a1,
        unit=unit or org.unit_a1,
        kind=Deviation.Kind.DEVIATION,
        title=title,
        description="Vann på gulvet i gangen.",
        occurred_at=timezone.now() - timedelta(days=1),
        **extra,
    )


def section_data(headings, key):
    return next(h for h in headings if h["key"] == key)["data"]


def figure_value(data, label):
    return next(f["value"] for f in data["figures"] if f["label"] == label)


# --- The agenda ------------------------------------------------------------------------------------


def test_agenda_has_every_heading_in_order(org):
    keys = agenda.agenda.keys()
    assert keys[:1] == ["description"]
    for key in ("deviations", "documents", "risk", "control", "inspections", "wheel"):
        assert key in keys


def test_agenda_figures_are_the_statistics_figures(org):
    """Each heading built from a statistics section shows that section's figures, for the same
    scope and period: one rule, one place."""
    report(org)
    report(org, unit=org.dept_a1x, title="Fall i trapp")
    scope, period = Scope(org.sector_a), agenda.year_period(YEAR)
    computed = agenda.compute(org.sector_a, period)
    sections = {s.key: s for s in compute(scope, period, charts=False)}
    for heading, stats_key in (
        ("deviations", "deviations"),
        ("documents", "documents"),
        ("risk", "risk"),
        ("wheel", "annual_wheel"),
    ):
        data = section_data(computed["sections"], heading)
        expected = [
            (str(f.label), agenda.figure("", f.value)["value"]) for f in sections[stats_key].figures
        ]
        assert [(f["label"], f["value"]) for f in data["figures"]] == expected, heading
    deviations = section_data(computed["sections"], "deviations")
    assert figure_value(deviations, "Meldinger i perioden") == 2


def test_overdue_actions_heading_lists_the_overdue_actions_of_the_subtree(org):
    case = report(org)
    action = deviation_services.create_action(
        actor=org.leader_a1,
        unit=org.unit_a1,
        description="Skaff matter",
        responsible=org.employee_a1,
        deadline=timezone.localdate(),
        deviation=case,
    )
    CorrectiveAction.objects.filter(pk=action.pk).update(
        deadline=timezone.localdate() - timedelta(days=3)
    )
    data = section_data(
        agenda.compute(org.unit_a1, agenda.year_period(YEAR))["sections"], "deviations"
    )
    overdue = next(t for t in data["tables"] if t["key"] == "deviations_overdue_actions")
    assert [row[0] for row in overdue["rows"]] == [case.number]
    assert figure_value(data, "Tiltak over frist") == 1


def test_unit_description_is_on_the_agenda(org):
    UnitDescription.objects.create(
        unit=org.unit_a1, main_tasks="Hjemmetjenester", goals_year=YEAR, goals="Færre fall"
    )
    data = section_data(
        agenda.compute(org.unit_a1, agenda.year_period(YEAR))["sections"], "description"
    )
    assert {"label": "Hovedoppgaver", "value": "Hjemmetjenester"} in data["text"]
    assert {"label": f"Mål for {YEAR}", "value": "Færre fall"} in data["text"]


def test_required_documents_coverage_is_on_the_agenda(org):
    """The register of required documents (documents.coverage) is read on the review's
    documents heading: a unit's missing requirement shows there."""
    from documents.models import RequiredDocument

    RequiredDocument.objects.create(title="Beredskapsplan", unit=org.unit_a1)
    data = section_data(
        agenda.compute(org.unit_a1, agenda.year_period(YEAR))["sections"], "documents"
    )
    table = next(t for t in data["tables"] if t["key"] == "documents_required_by_unit")
    assert table["rows"], table
    assert figure_value(data, "Påkrevde dokumenter som mangler") == 1


def test_registering_a_heading_twice_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        agenda.agenda.register("deviations", order=999, title="x")(lambda s, p: {})


# --- Starting, preparing, signing ------------------------------------------------------------------


def test_leader_starts_a_review_once_per_year(org):
    review = start(org)
    assert review.participants.get().user == org.leader_a1
    with pytest.raises(ValidationError) as exc:
        start(org)
    assert "allerede" in str(exc.value)


def test_leader_of_another_sector_cannot_start_a_review(org):
    with pytest.raises(PermissionDenied):
        start(org, by=org.leader_b1)


def test_review_cannot_be_signed_before_every_heading_is_assessed(org):
    review = start(org)
    with pytest.raises(services.ReviewStateError) as exc:
        services.sign_review(org.leader_a1, review)
    assert "Skriv en vurdering" in " ".join(exc.value.messages)


def test_only_the_units_own_leader_or_deputy_signs(org):
    from qms.models import Membership
    from tests.conftest import make_user

    review = start(org)
    assess_all(org.leader_a1, review)
    for outsider in (org.leader_a, org.advisor, org.employee_a1):
        with pytest.raises((PermissionDenied, Exception)):
            services.sign_review(outsider, review)
    deputy = make_user("deputy_a1", org.unit_a1, Membership.Role.DEPUTY)
    signed = services.sign_review(deputy, review)
    assert signed.is_signed and signed.signed_by == deputy


def test_signed_review_is_read_only_with_a_clear_message(org):
    review = start(org)
    assess_all(org.leader_a1, review)
    services.sign_review(org.leader_a1, review)
    with pytest.raises(services.ReviewStateError) as exc:
        services.save_assessment(org.leader_a1, review, section="deviations", text="Endret")
    assert exc.value.messages == ["Gjennomgåelsen er signert og kan ikke endres."]
    with pytest.raises(services.ReviewStateError):
        services.update_review(org.leader_a1, review, summary="Endret")
    with pytest.raises(services.ReviewStateError):
        services.add_decision(
            org.leader_a1,
            review,
            text="Nytt vedtak",
            responsible=org.employee_a1,
            deadline=timezone.localdate() + timedelta(days=30),
        )


def test_snapshot_keeps_the_figures_as_they_were_at_sign_off(org):
    report(org)
    review = start(org)
    assess_all(org.leader_a1, review)
    services.sign_review(org.leader_a1, review)
    review.refresh_from_db()
    before = review.snapshot
    assert section_data(before["sections"], "deviations")["figures"][0]["value"] == 1
    report(org, title="Ny hendelse")
    report(org, title="Enda en")
    review.refresh_from_db()
    assert review.snapshot == before
    shown = services.review_agenda(review)
    assert section_data(shown, "deviations")["figures"][0]["value"] == 1
    live = agenda.compute(org.unit_a1, agenda.year_period(YEAR))
    assert section_data(live["sections"], "deviations")["figures"][0]["value"] == 3


def test_decision_becomes_an_action_with_responsible_and_deadline_on_min_side(org):
    review = start(org)
    deadline = timezone.localdate() + timedelta(days=60)
    decision = services.add_decision(
        org.leader_a1,
        review,
        text="Innføre fast gjennomgang av avvik på personalmøtet",
        responsible=org.employee_a1,
        deadline=deadline,
        section="deviations",
    )
    action = decision.action
    assert action.responsible == org.employee_a1 and action.deadline == deadline
    assert action.unit == org.unit_a1 and action.deviation is None
    tasks = hooks.tasks_for(org.employee_a1)
    assert any("personalmøtet" in t.title and t.deadline == deadline for t in tasks)
    # followed by the overdue machinery like every action
    assert (
        CorrectiveAction.objects.overdue(deadline + timedelta(days=1)).filter(pk=action.pk).exists()
    )


def test_decision_needs_a_responsible_the_unit_may_use(org):
    review = start(org)
    with pytest.raises(ValidationError) as exc:
        services.add_decision(
            org.leader_a1,
            review,
            text="Vedtak",
            responsible=org.employee_b1,
            deadline=timezone.localdate() + timedelta(days=5),
        )
    assert "responsible" in exc.value.message_dict


def test_participants_with_roles(org):
    review = start(org)
    services.add_participant(org.leader_a1, review, person=org.employee_a1, role="Verneombud")
    roles = dict(review.participants.values_list("user__username", "role"))
    assert roles == {"leader_a1": "Leder", "employee_a1": "Verneombud"}
    with pytest.raises(ValidationError):
        services.add_participant(org.leader_a1, review, person=org.employee_b1, role="Tillitsvalgt")


def test_review_waiting_for_me_on_min_side(org):
    review = start(org)
    services.add_participant(org.leader_a1, review, person=org.employee_a1, role="Verneombud")
    for user in (org.leader_a1, org.employee_a1):
        assert any(t.url == review.get_absolute_url() for t in hooks.tasks_for(user))
    assess_all(org.leader_a1, review)
    services.sign_review(org.leader_a1, review)
    assert not any(t.url == review.get_absolute_url() for t in hooks.tasks_for(org.leader_a1))


def test_review_from_the_wheel_records_the_occurrence(org, make_activity):
    activity = make_activity(
        org.unit_a1,
        title="Ledelsens gjennomgåelse",
        kind=Activity.Kind.REVIEW,
        start_date=date(YEAR, 2, 1),
    )
    occurrence = activity.occurrences.get()
    review = services.start_review(
        org.leader_a1, year=YEAR - 1, date=timezone.localdate(), occurrence=occurrence
    )
    assert review.unit == org.unit_a1
    assess_all(org.leader_a1, review)
    services.sign_review(org.leader_a1, review)
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.DONE


def test_plain_activity_does_not_start_a_review(org, make_activity):
    occurrence = make_activity(org.unit_a1).occurrences.get()
    with pytest.raises(ValidationError):
        services.start_review(
            org.leader_a1, year=YEAR, date=timezone.localdate(), occurrence=occurrence
        )


def test_sector_sees_the_reviews_of_the_units_below(org):
    unit_review = start(org)
    sector_review = start(org, unit=org.sector_a, by=org.leader_a)
    below = Review.objects.restrict(org.leader_a).below(org.sector_a)
    assert list(below) == [unit_review]
    assert sector_review not in Review.objects.restrict(org.leader_a1)
    assert unit_review in Review.objects.restrict(org.committee)
    assert unit_review not in Review.objects.restrict(org.leader_b)
