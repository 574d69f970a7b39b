"""The roles the handbooks name (docs/design.md §1, §3): what each sees through the one
permission layer — lists, case pages, the API and the statistics."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from deviations.models import Category, Deviation
from deviations.querysets import hms_q
from qms.models import Membership, User
from qms.reports.scope import choices as statistics_units
from tests.conftest import make_user
from tests.deviations.conftest import report

pytestmark = pytest.mark.django_db


@dataclass
class Cases:
    injury_a1: Deviation
    injury_a1x: Deviation
    hms_category_a1: Deviation
    plain_a1: Deviation
    personal_injury_a1: Deviation
    injury_b1: Deviation
    plain_b1: Deviation


@pytest.fixture
def cases(org) -> Cases:
    hms = Category.objects.create(name="Arbeidsmiljø", is_hms=True)
    other = Category.objects.create(name="Informasjonssikkerhet")
    injury = {"kind": Deviation.Kind.INJURY}
    return Cases(
        injury_a1=report(org, title="Kuttskade på kjøkkenet", **injury),
        injury_a1x=report(org, unit=org.dept_a1x, reporter=org.employee_a1x, **injury),
        hms_category_a1=report(org, title="Dårlig inneklima", category=hms),
        plain_a1=report(org, title="Feil i journal", category=other),
        personal_injury_a1=report(
            org, title="Ansatt slått av beboer", contains_personal_data=True, **injury
        ),
        injury_b1=report(org, unit=org.unit_b1, reporter=org.employee_b1, **injury),
        plain_b1=report(org, unit=org.unit_b1, reporter=org.employee_b1),
    )


def role(username: str, unit, role_name: str) -> User:
    return make_user(username, unit, role_name)


def visible(user) -> set[int]:
    return set(Deviation.objects.restrict(user, "view").values_list("pk", flat=True))


def ids(*cases: Deviation) -> set[int]:
    return {c.pk for c in cases}


def test_hms_means_injuries_near_misses_and_hms_categories(org, cases):
    hms = set(Deviation.objects.filter(hms_q()).values_list("pk", flat=True))
    assert hms == ids(
        cases.injury_a1,
        cases.injury_a1x,
        cases.hms_category_a1,
        cases.personal_injury_a1,
        cases.injury_b1,
    )


def test_a_safety_rep_sees_the_hms_cases_of_their_unit_without_personal_data(org, cases):
    safety = role("verneombud_a1", org.unit_a1, Membership.Role.SAFETY_REP)
    assert visible(safety) == ids(cases.injury_a1, cases.injury_a1x, cases.hms_category_a1)


def test_a_main_safety_rep_sees_the_whole_municipalitys_hms_cases(org, cases):
    main = role("hovedverneombud", org.root, Membership.Role.MAIN_SAFETY_REP)
    assert visible(main) == ids(
        cases.injury_a1, cases.injury_a1x, cases.hms_category_a1, cases.injury_b1
    )


@pytest.mark.parametrize(
    "role_name",
    [
        Membership.Role.UNION_REP,
        Membership.Role.WORK_ENVIRONMENT,
        Membership.Role.CONTROL_COMMITTEE,
        Membership.Role.ELECTED,
    ],
)
def test_statistics_and_read_only_roles_see_no_cases(org, cases, role_name):
    user = role(f"rolle_{role_name}", org.root, role_name)
    assert visible(user) == set()


def test_a_quality_coordinator_has_the_advisors_view_in_their_sector_only(org, cases):
    coordinator = role("koordinator_b", org.sector_b, Membership.Role.COORDINATOR)
    assert visible(coordinator) == ids(cases.injury_b1, cases.plain_b1)


def test_the_safety_rep_reads_the_case_page_and_the_list_but_not_a_personal_data_case(
    org, cases, client_for
):
    safety = role("verneombud_a1", org.unit_a1, Membership.Role.SAFETY_REP)
    client = client_for(safety)
    assert client.get(cases.injury_a1.get_absolute_url()).status_code == 200
    assert client.get(cases.plain_a1.get_absolute_url()).status_code == 404
    assert client.get(cases.personal_injury_a1.get_absolute_url()).status_code == 404
    page = client.get("/avvik/").content.decode()
    assert f'href="{cases.injury_a1.get_absolute_url()}"' in page
    assert f'href="{cases.plain_a1.get_absolute_url()}"' not in page
    assert f'href="{cases.personal_injury_a1.get_absolute_url()}"' not in page


def test_the_safety_rep_may_not_handle_a_case(org, cases, client_for):
    safety = role("verneombud_a1", org.unit_a1, Membership.Role.SAFETY_REP)
    response = client_for(safety).post(f"/avvik/{cases.injury_a1.pk}/behandle/")
    assert response.status_code == 403


def test_the_api_lists_the_same_cases_for_a_safety_rep(org, cases, api_for):
    safety = role("verneombud_a1", org.unit_a1, Membership.Role.SAFETY_REP)
    response = api_for(safety).get("/api/v1/deviations/")
    assert response.status_code == 200
    listed = {item["id"] for item in response.json()["results"]}
    assert listed == ids(cases.injury_a1, cases.injury_a1x, cases.hms_category_a1)
    missing = api_for(safety).get(f"/api/v1/deviations/{cases.personal_injury_a1.pk}/")
    assert missing.status_code == 404


def test_read_only_roles_and_the_coordinator_get_the_statistics_of_their_subtree(org):
    control = role("kontrollutvalg", org.root, Membership.Role.CONTROL_COMMITTEE)
    elected = role("folkevalgt", org.root, Membership.Role.ELECTED)
    coordinator = role("koordinator_b", org.sector_b, Membership.Role.COORDINATOR)
    assert statistics_units(control)[0].pk == org.root.pk
    assert statistics_units(elected)[0].pk == org.root.pk
    assert {u.pk for u in statistics_units(coordinator)} == {org.sector_b.pk, org.unit_b1.pk}


def test_read_only_roles_see_published_documents_only(org):
    from documents.models import Document
    from tests.documents.factories import draft, published

    done = published(org.employee_a1, org.leader_a1, org.unit_a1, title="Brannrutine")
    wip = draft(org.employee_a1, org.unit_a1, title="Ny rutine")
    control = role("kontrollutvalg", org.root, Membership.Role.CONTROL_COMMITTEE)
    seen = set(Document.objects.restrict(control, "view").values_list("pk", flat=True))
    assert done.pk in seen
    assert wip.pk not in seen
    assert not Document.objects.restrict(control, "change").exists()


def test_the_coordinator_keeps_the_documents_of_their_sector_only(org):
    from documents.models import Document
    from tests.documents.factories import draft

    in_a = draft(org.employee_a1, org.unit_a1, title="Utkast A1")
    in_b = draft(org.employee_b1, org.unit_b1, title="Utkast B1")
    coordinator = role("koordinator_a", org.sector_a, Membership.Role.COORDINATOR)
    seen = set(Document.objects.restrict(coordinator, "view").values_list("pk", flat=True))
    changed = set(Document.objects.restrict(coordinator, "change").values_list("pk", flat=True))
    assert in_a.pk in seen and in_a.pk in changed
    assert in_b.pk not in seen and in_b.pk not in changed


def test_the_roles_are_offered_in_the_admin_membership_inline(org, client_for):
    page = client_for(org.admin).get(f"/admin/qms/user/{org.employee_a1.pk}/change/")
    html = page.content.decode()
    for value in ("main_safety_rep", "union_rep", "amu", "control_committee", "coordinator"):
        assert f'value="{value}"' in html


def test_hms_statistics_roles_get_an_hms_only_scope(org):
    from qms.reports.scope import resolve

    for role_name in Membership.HMS_STATISTICS:
        user = role(f"hms_{role_name}", org.root, role_name)
        chosen = resolve(user)
        assert (chosen.unit.pk, chosen.hms_only) == (org.root.pk, True)
    assert resolve(org.leader_a1).hms_only is False
    assert resolve(role("folkevalgt", org.root, Membership.Role.ELECTED)).hms_only is False


def test_the_hms_statistics_count_hms_cases_only_and_no_other_section(org, cases):
    from qms.reports import stats
    from qms.reports.periods import default_period
    from qms.reports.scope import Scope

    period = default_period()
    whole = stats.compute(Scope(org.unit_a1), period, charts=False)
    hms = stats.compute(Scope(org.unit_a1, hms_only=True), period, charts=False)
    assert [s.key for s in hms] == ["deviations"]
    assert len(whole) > 1
    assert hms[0].title == "HMS-avvik"
    # The section's one base query (the small-count suppression stays as it is).
    from deviations.stats import in_scope

    assert in_scope(Scope(org.unit_a1)).count() == 5
    assert set(in_scope(Scope(org.unit_a1, hms_only=True)).values_list("pk", flat=True)) == ids(
        cases.injury_a1, cases.injury_a1x, cases.hms_category_a1, cases.personal_injury_a1
    )


def test_a_union_rep_sees_the_hms_statistics_page_but_orders_no_report(org, cases, client_for):
    union = role("tillitsvalgt", org.root, Membership.Role.UNION_REP)
    client = client_for(union)
    page = client.get("/statistikk/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "HMS-avvik" in html
    assert "Lag kvalitetsrapport" not in html
    response = client.post("/statistikk/rapporter/", {"unit": org.root.pk})
    assert response.status_code in (302, 403)
    from qms.reports.models import GeneratedReport

    assert not GeneratedReport.objects.exists()
