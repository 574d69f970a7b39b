"""Statistical process control for monthly deviation counts: the u-chart.

A u-chart plots a rate per unit of exposure — here deviations per 100 employees per month —
with the centre line ū = Σc / Σn and limits ū ± 3·√(ū / nᵢ). A month outside the limits is a
real change in the process (special cause), not the month-to-month noise a committee should
not react to. Without a known headcount the exposure is 1 per month: a c-chart (c̄ ± 3·√c̄).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ControlChart:
    rates: list[float]
    centre: float
    upper: list[float]
    lower: list[float]
    outside: list[bool]
    exposure: list[float]

    @property
    def signals(self) -> int:
        return sum(self.outside)


def u_chart(counts: list[int], exposure: list[float]) -> ControlChart | None:
    """``counts`` per month and the exposure (e.g. employees / 100) of each month."""
    if not counts or any(n <= 0 for n in exposure):
        return None
    total_n = sum(exposure)
    centre = sum(counts) / total_n
    rates = [c / n for c, n in zip(counts, exposure, strict=True)]
    upper = [centre + 3 * math.sqrt(centre / n) for n in exposure]
    lower = [max(0.0, centre - 3 * math.sqrt(centre / n)) for n in exposure]
    outside = [r > u or r < lo for r, u, lo in zip(rates, upper, lower, strict=True)]
    return ControlChart(
        rates=[round(r, 4) for r in rates],
        centre=round(centre, 4),
        upper=[round(u, 4) for u in upper],
        lower=[round(lo, 4) for lo in lower],
        outside=outside,
        exposure=exposure,
    )
