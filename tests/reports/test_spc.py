import math

import pytest

from qms.reports.spc import u_chart, u_prime_chart


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
    assert u_prime_chart([], []) is None


def test_laney_u_prime_limits_by_hand():
    """A worked example with a headcount that changes: 400, 500, 500 and 600 employees
    (exposure 4, 5, 5, 6 hundreds) and 12, 20, 15, 30 cases.

    ū = 77 / 20 = 3.85; rates 3, 4, 3, 5
    σᵢ = √(3.85 / nᵢ) = 0.981071, 0.877496, 0.877496, 0.801041
    zᵢ = (uᵢ − ū) / σᵢ = −0.866400, 0.170941, −0.968661, 1.435641
    moving ranges 1.037341, 1.139602, 2.404302; MR̄ = 1.527082; σ_z = MR̄ / 1.128 = 1.353796
    limits ū ± 3·σᵢ·σ_z: upper 7.8345, 7.4139, 7.4139, 7.1033; lower 0 (floored), 0.2861,
    0.2861, 0.5967."""
    chart = u_prime_chart([12, 20, 15, 30], [4.0, 5.0, 5.0, 6.0])
    assert chart.centre == 3.85
    assert chart.rates == [3.0, 4.0, 3.0, 5.0]
    assert chart.sigma_z == 1.3538
    assert chart.upper == [7.8345, 7.4139, 7.4139, 7.1033]
    assert chart.lower == [0.0, 0.2861, 0.2861, 0.5967]
    assert chart.signals == 0


def test_u_prime_with_a_steady_headcount_is_the_xmr_chart_of_the_rates():
    # NHS "Making Data Count": mean ± 2.66 × the average moving range of the rates.
    counts, exposure = [60, 95, 130, 110, 75, 50, 45, 85, 125, 140, 100, 70], 37.41
    rates = [c / exposure for c in counts]
    mean = sum(rates) / len(rates)
    mr = sum(abs(b - a) for a, b in zip(rates, rates[1:], strict=False)) / (len(rates) - 1)
    chart = u_prime_chart(counts, [exposure] * len(counts))
    assert chart.upper[0] == pytest.approx(mean + 3 / 1.128 * mr, abs=1e-4)
    assert chart.lower[0] == pytest.approx(mean - 3 / 1.128 * mr, abs=1e-4)


def test_a_large_municipality_is_not_flagged_for_ordinary_variation():
    """3,741 employees: the plain u-chart's limits are so narrow that half the months of an
    ordinary year fall outside; u′ flags none of them, and still flags a real spike."""
    counts, exposure = [60, 95, 130, 110, 75, 50, 45, 85, 125, 140, 100, 70], [37.41] * 12
    assert u_chart(counts, exposure).signals == 6
    assert u_prime_chart(counts, exposure).signals == 0
    spike = [*counts[:10], 320, counts[11]]
    chart = u_prime_chart(spike, exposure)
    assert chart.outside == [False] * 10 + [True, False]


def test_u_prime_is_never_narrower_than_the_u_chart():
    # Mostly empty months: the z-scores' moving ranges are small, σ_z would be below 1.
    counts, exposure = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3], [0.5] * 12  # σ_z would be 0.70
    assert u_prime_chart(counts, exposure).upper == u_chart(counts, exposure).upper
    assert u_prime_chart(counts, exposure).sigma_z == 1.0


def test_signals_are_counted_within_the_months_shown():
    chart = u_chart([4, 6, 2, 20, 8, 8, 20], [2.0] * 7)
    assert chart.outside[3] and chart.outside[6]
    assert chart.signals_in([False] * 4 + [True] * 3) == 1
