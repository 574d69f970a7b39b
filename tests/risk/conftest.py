from datetime import date

import pytest

from risk import services
from risk.models import RiskMatrix


@pytest.fixture
def assessment(org):
    """A draft assessment of Enhet A1 by its leader, with employee_a1x as a participant."""
    return services.create_assessment(
        actor=org.leader_a1,
        unit=org.unit_a1,
        title="Legemiddelhåndtering",
        activity="Utdeling av legemidler",
        assessed_on=date(2026, 11, 1),
        participants=[org.employee_a1x],
    )


@pytest.fixture
def matrix(org):
    return RiskMatrix.objects.create(municipality=org.root)


def item_values(**overrides):
    values = {
        "hazard": "Feil medisin gitt",
        "cause": "Forveksling",
        "existing_controls": "Dobbeltkontroll",
        "probability": 3,
        "consequence_people": 4,
        "consequence_economy": 2,
    }
    values.update(overrides)
    return values
