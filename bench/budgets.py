"""The performance budgets of docs/design.md §11, in one place, matched to the bench's rows.

Each row the benchmark prints is looked up here by its label (the first pattern that matches
wins); the printed line carries the budget and an "over" marker when the figure misses it. A row
without a budget prints its figure only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    pattern: str
    limit: float
    unit: str  # "ms", "MiB", "req/s", "steps/s", ...
    at_least: bool = False  # a floor (throughput) instead of a ceiling (time, memory)

    def over(self, value: float) -> bool:
        return value < self.limit if self.at_least else value > self.limit

    def text(self) -> str:
        sign = "≥" if self.at_least else "<"
        return f"{sign} {_number(self.limit)} {self.unit}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:g}"


# Order matters: the specific patterns first.
BUDGETS: list[Budget] = [
    # Live statistics: any scope and period of whole months, cold (no kept snapshot).
    Budget(r"^statistics live: ", 300, "ms"),
    Budget(r"^statistics snapshot sweep", 60_000, "ms"),
    Budget(r"^GET /statistikk/", 300, "ms"),
    Budget(r"^GET /api/v1/statistics/", 300, "ms"),
    # Every list page and API list: p95 at the reference size.
    Budget(r"^(GET|POST) ", 150, "ms"),
    # Sweeps: a backlog clears in seconds (80,000 escalation steps in under a minute).
    Budget(r"^deviation escalation sweep, what is due", 60_000, "ms"),
    Budget(r"^deviation escalation sweep, nothing due", 1_000, "ms"),
    Budget(r"^documents: read sweep, first run", 10_000, "ms"),
    Budget(r"^documents: revision sweep, first run", 10_000, "ms"),
    Budget(r"^risk review reminder sweep", 10_000, "ms"),
    Budget(r"sweep, run again", 1_000, "ms"),
    # The PDF quality report of the municipality's year, figures computed.
    Budget(r"^quality report PDF, .*figures computed now: time", 5_000, "ms"),
    Budget(r"^quality report PDF, .*: peak memory", 300, "MiB"),
    Budget(r"^quality report PDF, .*: time", 5_000, "ms"),
    # The report on internal control: assembled in a request.
    Budget(r"^report on internal control: assemble", 10_000, "ms"),
    # Mixed load on 2 cores (bench/load.py).
    Budget(r"^load: .*total.*requests/s", 100, "req/s", at_least=True),
    Budget(r"^load: .*p95", 300, "ms"),
]


def budget_for(label: str) -> Budget | None:
    for budget in BUDGETS:
        if re.search(budget.pattern, label):
            return budget
    return None


def over_budget(label: str, value: float) -> bool:
    """Whether the row ``label``'s figure misses its budget (False for a row without one)."""
    budget = budget_for(label)
    return bool(budget and budget.over(value))
