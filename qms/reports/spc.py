"""Statistical process control for monthly deviation counts: Laney's u′ chart.

A u-chart plots a rate per unit of exposure — here deviations per 100 employees per month —
with the centre line ū = Σc / Σn and limits ū ± 3·σᵢ, σᵢ = √(ū / nᵢ). Its limits assume Poisson
variation only; with a large exposure (a municipality of 3,741 employees) σᵢ is tiny, the
month-to-month variation between real months is far larger, and almost every month falls
outside (over-dispersion). Laney's u′ chart (D. B. Laney, "Improved control charts for
attributes", Quality Engineering 14(4), 2002) measures that extra variation: each month as a
z-score zᵢ = (uᵢ − ū) / σᵢ, the spread of the z-scores from their average moving range,
σ_z = MR̄(z) / 1.128, and limits ū ± 3·σᵢ·σ_z. With a constant exposure this is exactly the XmR
(individuals) chart of the rates that the NHS "Making Data Count" guidance uses; with σ_z = 1 it
is the u-chart again, and it is never narrower than that (σ_z below 1 is taken as 1). A month outside the limits is a real change in the process (special
cause), not the noise a committee should not react to. Without a known headcount the exposure
is 1 per month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

D2 = 1.128  # the bias constant d₂ for moving ranges of two: σ ≈ MR̄ / d₂


@dataclass(frozen=True)
class ControlChart:
    rates: list[float]
    centre: float
    upper: list[float]
    lower: list[float]
    outside: list[bool]
    exposure: list[float]
    sigma_z: float = 1.0  # Laney's ratio of the observed to the Poisson variation

    @property
    def signals(self) -> int:
        return sum(self.outside)

    def signals_in(self, shown: list[bool]) -> int:
        """The months outside the limits among those ``shown`` (the period the reader chose;
        the other months only steady the limits)."""
        return sum(o and s for o, s in zip(self.outside, shown, strict=True))


def _chart(counts: list[int], exposure: list[float], *, laney: bool) -> ControlChart | None:
    if not counts or any(n <= 0 for n in exposure):
        return None
    centre = sum(counts) / sum(exposure)
    rates = [c / n for c, n in zip(counts, exposure, strict=True)]
    sigmas = [math.sqrt(centre / n) for n in exposure]
    sigma_z = 1.0
    if laney and len(counts) > 1 and centre > 0:
        z = [(u - centre) / s for u, s in zip(rates, sigmas, strict=True)]
        moving_ranges = [abs(b - a) for a, b in zip(z, z[1:], strict=False)]
        # Never narrower than the Poisson limits: a σ_z below 1 comes from months of few or no
        # cases (a small unit), where the z-scores are far from normal, not from a process
        # steadier than chance (Laney's chart is for over-dispersion).
        sigma_z = max(1.0, sum(moving_ranges) / len(moving_ranges) / D2)
    upper = [centre + 3 * s * sigma_z for s in sigmas]
    lower = [max(0.0, centre - 3 * s * sigma_z) for s in sigmas]
    # Compare before rounding: a rate on its limit is not a signal.
    outside = [r > u or r < lo for r, u, lo in zip(rates, upper, lower, strict=True)]
    return ControlChart(
        rates=[round(r, 4) for r in rates],
        centre=round(centre, 4),
        upper=[round(u, 4) for u in upper],
        lower=[round(lo, 4) for lo in lower],
        outside=outside,
        exposure=exposure,
        sigma_z=round(sigma_z, 4),
    )


def u_chart(counts: list[int], exposure: list[float]) -> ControlChart | None:
    """The plain u-chart (Poisson limits): ``counts`` per month and the exposure (e.g.
    employees / 100) of each month."""
    return _chart(counts, exposure, laney=False)


def u_prime_chart(counts: list[int], exposure: list[float]) -> ControlChart | None:
    """Laney's u′ chart: the u-chart's limits widened (or narrowed) by the observed spread of the
    months' z-scores, so a large exposure does not flag ordinary variation."""
    return _chart(counts, exposure, laney=True)
