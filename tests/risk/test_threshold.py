"""The action threshold, pinned once: RiskItemQuerySet.with_threshold in SQL and
Matrix.requires_measures in Python agree, and every door reads them (no copy of ``>= 13``)."""

import pytest

from risk import services
from risk.api.serializers import RiskAssessmentSerializer
from risk.matrix import matrix_for
from risk.models import RiskAssessment, RiskItem
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def threshold_12(org, matrix, assessment):
    services.update_matrix(actor=org.admin, matrix=matrix, action_threshold=12)
    add = services.add_item
    at = add(actor=org.leader_a1, assessment=assessment, **item_values())  # 3 × 4 = 12
    below = add(
        actor=org.leader_a1, assessment=assessment, **item_values(consequence_people=3)
    )  # 3 × 3 = 9
    residual = add(
        actor=org.leader_a1,
        assessment=assessment,
        **item_values(hazard="Fall", residual_probability=4, residual_consequence=3),
    )
    return at, below, residual


def test_annotation_and_predicate_agree_at_the_threshold(org, assessment, threshold_12):
    at, below, residual = threshold_12
    rows = {i.pk: i for i in RiskItem.objects.with_threshold()}
    matrix = matrix_for(org.unit_a1)
    for item in (at, below, residual):
        row = rows[item.pk]
        assert row.threshold == 12
        assert row.above_threshold == matrix.requires_measures(item.score)
        assert row.residual_above_threshold == matrix.requires_measures(item.residual_score)
    assert rows[at.pk].above_threshold and not rows[below.pk].above_threshold
    assert rows[residual.pk].residual_above_threshold
    assert set(RiskItem.objects.untreated()) == {at, residual}
    assert set(RiskItem.objects.residual_unaccepted()) == {residual}
    counted = RiskAssessment.objects.with_counts().get(pk=assessment.pk)
    assert (counted.threshold, counted.high_count, counted.untreated_count) == (12, 2, 2)


def test_api_threshold_is_the_municipalitys_not_a_constant(org, assessment, matrix):
    services.update_matrix(actor=org.admin, matrix=matrix, action_threshold=10)
    # An assessment serialized without the list's annotation still tells the matrix's threshold.
    fresh = RiskAssessment.objects.get(pk=assessment.pk)
    assert RiskAssessmentSerializer(fresh).data["action_threshold"] == 10


def test_pages_mark_the_score_at_the_threshold(org, client_for, assessment, threshold_12):
    at, below, _residual = threshold_12
    page = client_for(org.leader_a1).get(f"/ros/{assessment.pk}/").content.decode()
    # The item at 12, and "Fall": inherent 12 and residual 4 × 3 = 12; never the 9.
    assert page.count("risk-score--over") == 3
    item_page = (
        client_for(org.leader_a1).get(f"/ros/{assessment.pk}/risiko/{at.pk}/").content.decode()
    )
    assert "på eller over tiltaksgrensen" in item_page
    below_page = client_for(org.leader_a1).get(f"/ros/{assessment.pk}/risiko/{below.pk}/")
    assert "på eller over tiltaksgrensen" not in below_page.content.decode()
