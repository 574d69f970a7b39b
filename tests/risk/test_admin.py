import pytest

from risk import services
from risk.models import RiskItem, RiskMatrixChange
from tests.risk.conftest import item_values

pytestmark = pytest.mark.django_db


def _management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_changing_the_matrix_in_the_admin_rescores_and_logs(org, client_for, matrix, assessment):
    item = services.add_item(
        actor=org.leader_a1, assessment=assessment, **item_values(probability=5)
    )
    data = {
        "municipality": org.root.pk,
        "size": "4",
        "action_threshold": "9",
        **_management("level_rows"),
        **_management("bands", total=1),
        "bands-0-label": "Rød",
        "bands-0-min_score": "9",
        "bands-0-colour": "#ee0000",
        **_management("cells"),
        **_management("changes"),
    }
    response = client_for(org.admin).post(f"/admin/risk/riskmatrix/{matrix.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    change = RiskMatrixChange.objects.get()
    assert change.changed_by == org.admin
    assert (change.before["size"], change.after["size"]) == (5, 4)
    assert change.after["bands"] == [["Rød", 9, "#ee0000"]]
    item = RiskItem.objects.get(pk=item.pk)
    # 5 of 5 -> 4 of 4; consequence 4 of 5 -> 3 of 4 (1 + round(3 * 3 / 4))
    assert (item.probability, item.consequence, item.score) == (4, 3, 12)


def test_the_admin_refuses_a_threshold_above_the_largest_score(org, client_for, matrix):
    data = {
        "municipality": org.root.pk,
        "size": "3",
        "action_threshold": "13",
        **_management("level_rows"),
        **_management("bands"),
        **_management("cells"),
        **_management("changes"),
    }
    response = client_for(org.admin).post(f"/admin/risk/riskmatrix/{matrix.pk}/change/", data)
    assert response.status_code == 200
    assert "Tiltaksgrensen kan ikke være høyere enn 9" in response.content.decode()
    assert not RiskMatrixChange.objects.exists()
