import pytest

from deviations import demo
from deviations.models import CorrectiveAction, Deviation
from qms.demo import seed_organisation


@pytest.mark.django_db
def test_demo_seeds_a_year_of_cases_once():
    org = seed_organisation()
    summary = demo.seed(org)
    count = Deviation.objects.count()
    assert 250 <= count <= 400, summary
    assert set(Deviation.objects.values_list("state", flat=True)) >= {
        "reported",
        "under_treatment",
        "actions_in_progress",
        "closed",
    }
    assert CorrectiveAction.objects.filter(done_at__isnull=True).exists()
    assert demo.seed(org) == "finnes fra før"
    assert Deviation.objects.count() == count
    # Numbers continue after the demo rows.
    from deviations import services

    year = Deviation.objects.order_by("-pk").first().year
    assert services.next_number(year) == Deviation.objects.filter(year=year).count() + 1
