"""The create-in-unit registry of the permission layer (qms.permissions.register_create)."""

import pytest

from annual_wheel.models import Activity
from deviations.models import CorrectiveAction, ReportLink
from documents.models import Document
from qms import permissions
from qms.models import OrgUnit
from risk.models import RiskAssessment

pytestmark = pytest.mark.django_db


def test_a_model_without_a_create_rule_is_an_error(org):
    with pytest.raises(LookupError, match="create rule"):
        permissions.can_create(org.admin, OrgUnit, org.unit_a1)


@pytest.mark.parametrize(
    "model, who, expected",
    [
        (Document, "employee_a1", {"unit_a1"}),
        (Document, "leader_a", {"sector_a", "unit_a1", "unit_a2", "dept_a1x"}),
        (RiskAssessment, "employee_a1", set()),
        (RiskAssessment, "leader_a1", {"unit_a1", "dept_a1x"}),
        (Activity, "leader_b", {"sector_b", "unit_b1"}),
        (CorrectiveAction, "leader_a1", {"unit_a1", "dept_a1x"}),
        (ReportLink, "leader_b1", {"unit_b1"}),
    ],
)
def test_creatable_units_per_model(org, model, who, expected):
    units = permissions.creatable_units(getattr(org, who), model)
    assert {u.pk for u in units} == {getattr(org, name).pk for name in expected}
    for name in expected:
        assert permissions.can_create(getattr(org, who), model, getattr(org, name))


def test_anonymous_creates_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.creatable_units(AnonymousUser(), Document).exists()
    assert not permissions.can_create(AnonymousUser(), Activity, None)
