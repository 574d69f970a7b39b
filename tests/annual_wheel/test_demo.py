import pytest

from annual_wheel import demo
from annual_wheel.models import Activity, Occurrence
from qms.demo import seed_organisation

pytestmark = pytest.mark.django_db


def test_demo_wheel_is_idempotent_and_spans_levels():
    org = seed_organisation()
    demo.seed(org)
    count = Activity.objects.count()
    occurrences = Occurrence.objects.count()
    demo.seed(org)
    assert Activity.objects.count() == count == len(demo.WHEEL)
    assert Occurrence.objects.count() == occurrences
    kinds = set(Activity.objects.exclude(unit=None).values_list("unit__kind", flat=True))
    assert {"municipality", "sector", "unit", "department"} <= kinds
    assert Activity.objects.filter(unit=None).exists()
