"""The risk profile on a small fixed data set."""

import datetime as dt

import pytest

risk_models = pytest.importorskip("risk.models")
if not hasattr(risk_models, "RiskItem"):  # the risk module has not landed yet
    pytest.skip("risk has no models yet", allow_module_level=True)
from deviations.models import CorrectiveAction  # noqa: E402
from qms.reports import periods, stats  # noqa: E402
from qms.reports.scope import Scope  # noqa: E402
from risk.models import RiskAssessment, RiskItem, RiskMeasure  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def risks(org):
    def assessment(unit, status="active", review=None):
        return RiskAssessment.objects.create(
            title=f"ROS {unit.name}",
            unit=unit,
            activity="Medisinhåndtering",
            assessed_on=dt.date(2026, 1, 10),
            next_review=review,
            status=status,
        )

    def item(a, n, p, c, rp=None, rc=None):
        return RiskItem.objects.create(
            assessment=a,
            number=n,
            hazard=f"Hendelse {n}",
            probability=p,
            consequence_people=c,
            consequence=c,
            score=p * c,
            residual_probability=rp,
            residual_consequence=rc,
            residual_score=rp * rc if rp else None,
        )

    a1 = assessment(org.unit_a1, review=dt.date(2020, 1, 1))
    high = item(a1, 1, 5, 5, 3, 5)  # 25, residual 15
    item(a1, 2, 4, 4, 2, 3)  # 16 without measure, residual 6
    item(a1, 3, 1, 2)  # 2
    draft = assessment(org.unit_a2, status="draft")
    item(draft, 1, 5, 5)  # draft: not counted
    b1 = assessment(org.unit_b1)
    item(b1, 1, 5, 4)
    action = CorrectiveAction.objects.create(
        unit=org.unit_a1,
        description="Dobbeltkontroll",
        responsible=org.leader_a1,
        deadline=dt.date(2026, 3, 1),
    )
    RiskMeasure.objects.create(item=high, action=action)
    return org


def test_profile_per_cell_inherent_and_residual(risks):
    build = dict(stats.builders())["risk"]
    s = build(Scope(risks.sector_a), periods.year(2026), report=True)
    inherent = s.table("risk_matrix_inherent")
    assert inherent.rows[0] == ["S5", 0, 0, 0, 0, 1]  # probability 5 row, consequence 1..5
    assert inherent.rows[1] == ["S4", 0, 0, 0, 1, 0]
    assert inherent.rows[4] == ["S1", 0, 1, 0, 0, 0]
    residual = s.table("risk_matrix_residual")
    assert residual.rows[2] == ["S3", 0, 0, 0, 0, 1]
    assert residual.rows[3] == ["S2", 0, 0, 1, 0, 0]
    assert residual.note.endswith(": 1.")
    figures = {f.label: f.value for f in s.figures}
    assert figures["Risikoforhold"] == 3
    assert figures["Over tiltaksgrensen"] == 2
    assert figures["Over tiltaksgrensen uten tiltak"] == 1
    assert figures["Restrisiko over grensen"] == 1
    assert figures["Analyser over dato for gjennomgang"] == 1
    assert s.table("risk_by_unit").rows == [["Enhet A1", 3, 2, 1, 1]]
    assert [r[2] for r in s.table("risk_high").rows] == ["1. Hendelse 1", "2. Hendelse 2"]
    assert s.blocks[0].chart is not None
