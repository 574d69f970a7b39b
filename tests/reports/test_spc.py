import math

from qms.reports.spc import u_chart


def test_u_chart_limits_by_hand():
    # 200 employees: exposure 2 (hundreds) a month. Counts 4, 6, 2, 20, 8, 8.
    chart = u_chart([4, 6, 2, 20, 8, 8], [2.0] * 6)
    # ū = 48 / 12 = 4 per 100 employees; limits 4 ± 3·√(4/2) = 4 ± 4.2426
    assert chart.centre == 4.0
    assert chart.upper == [8.2426] * 6
    assert chart.lower == [0.0] * 6  # 4 - 4.24 < 0: floored at zero
    assert chart.rates == [2.0, 3.0, 1.0, 10.0, 4.0, 4.0]
    assert chart.outside == [False, False, False, True, False, False]
    assert chart.signals == 1


def test_c_chart_when_exposure_is_one_has_a_lower_limit():
    counts = [30, 25, 35, 30, 5]
    chart = u_chart(counts, [1.0] * 5)
    centre = 25.0
    assert chart.centre == centre
    assert chart.upper[0] == round(centre + 3 * math.sqrt(centre), 4) == 40.0
    assert chart.lower[0] == 10.0
    assert chart.outside == [False, False, False, False, True]  # 5 is below 10


def test_no_chart_without_exposure():
    assert u_chart([], []) is None
    assert u_chart([1], [0]) is None
