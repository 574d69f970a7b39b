import pytest
from django.http import Http404

from qms.reports import scope


def names(user):
    return [u.name for u in scope.choices(user)]


def test_committee_sees_only_its_sector(org):
    assert names(org.committee) == ["Sektor A", "Enhet A1", "Avdeling A1x", "Enhet A2"]
    with pytest.raises(Http404):
        scope.resolve(org.committee, org.sector_b.pk)
    with pytest.raises(Http404):
        scope.resolve(org.committee, org.root.pk)
    assert scope.resolve(org.committee, None).unit == org.sector_a


def test_leaders_see_their_subtree_and_employees_nothing(org):
    assert names(org.leader_a1) == ["Enhet A1", "Avdeling A1x"]
    assert names(org.leader_b1) == ["Enhet B1"]
    assert names(org.employee_a1) == []
    assert scope.resolve(org.employee_a1, None) is None


def test_advisors_and_the_chief_see_the_whole_municipality(org):
    assert names(org.advisor)[0] == "Kommune"
    assert len(names(org.advisor)) == 7
    assert len(names(org.chief)) == 7


@pytest.mark.parametrize("bad", ["x", "1.5", "-1", "999999999999"])
def test_unknown_or_malformed_units_are_not_found(org, bad):
    with pytest.raises(Http404):
        scope.resolve(org.advisor, bad)
