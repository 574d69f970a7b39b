import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from qms.models import Membership, OrgUnit
from qms.organisation import (
    leader_chain,
    nearest_common_ancestor,
    nearest_leader,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_subtree_is_one_query_and_holds_every_descendant(org):
    with CaptureQueriesContext(connection) as ctx:
        names = set(org.sector_a.subtree().values_list("name", flat=True))
    assert len(ctx.captured_queries) == 1
    assert names == {"Sektor A", "Enhet A1", "Enhet A2", "Avdeling A1x"}


def test_ancestors_are_one_query_root_first(org):
    with CaptureQueriesContext(connection) as ctx:
        names = list(
            org.dept_a1x.ancestors_and_self().order_by("depth").values_list("name", flat=True)
        )
    assert len(ctx.captured_queries) == 1
    assert names == ["Kommune", "Sektor A", "Enhet A1", "Avdeling A1x"]


def test_nearest_leader_is_the_units_own_leader(org):
    leader = nearest_leader(org.unit_a1)
    assert leader.user == org.leader_a1
    assert leader.unit == org.unit_a1


def test_nearest_leader_of_unit_without_leader_is_the_closest_ancestors(org):
    leader = nearest_leader(org.dept_a1x)
    assert leader.user == org.leader_a1
    assert leader.unit == org.unit_a1


def test_nearest_leader_skips_inactive_leaders(org):
    org.leader_a1.is_active = False
    org.leader_a1.save()
    assert nearest_leader(org.dept_a1x).user == org.leader_a


def test_nearest_leader_is_none_without_any_leader(db):
    root = OrgUnit.objects.add_root({"code": "x", "name": "X", "kind": "municipality"})
    assert nearest_leader(root) is None


def test_leader_chain_goes_upwards_in_one_query(org):
    with CaptureQueriesContext(connection) as ctx:
        chain = leader_chain(org.dept_a1x)
    assert len(ctx.captured_queries) == 1
    assert [leader.user for leader in chain] == [org.leader_a1, org.leader_a, org.chief]


def test_nearest_common_ancestor(org):
    assert nearest_common_ancestor([org.unit_a1, org.unit_a2]) == org.sector_a
    assert nearest_common_ancestor([org.dept_a1x, org.unit_b1]) == org.root
    assert nearest_common_ancestor([org.unit_a1]) == org.unit_a1


def test_a_unit_has_at_most_one_leader(org):
    other = make_user("other")
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=other, unit=org.unit_a1, role="leader")


def test_subtree_query_uses_the_path_index(org):
    # The pattern-ops index makes LIKE 'prefix%' an index range scan on PostgreSQL.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM qms_orgunit WHERE path LIKE %s", [org.sector_a.path + "%"]
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "orgunit_path_pattern" in plan


def test_demo_units_carry_their_current_paths(db):
    from qms.demo import seed_organisation

    org = seed_organisation()
    for code, unit in org.units.items():
        assert unit.path == OrgUnit.objects.get(code=code).path, code
    assert nearest_leader(org.units["solheim-korttid"]).unit.code == "solheim-sykehjem"
    # Idempotent: a second run creates nothing new.
    count = OrgUnit.objects.count()
    seed_organisation()
    assert OrgUnit.objects.count() == count
