"""Measure pages and API lists: SQL query count, p50/p95 over N requests, and the bare SQL."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.budgets import budget_for, over_budget
from bench.load import percentile  # nearest rank; load.py stays free of Django


def _judged(label: str, value: float, previous: float | None) -> str:
    """The budget beside a figure, "over" when it misses it, and the earlier run's figure."""
    budget = budget_for(label)
    text = f"  {budget.text():>14}" if budget else " " * 16
    text += "  OVER" if over_budget(label, value) else "      "
    if previous is not None:
        change = (value - previous) / previous * 100 if previous else 0.0
        text += f"  was {previous:,.1f} ({change:+.0f} %)"
    return text


@dataclass
class Result:
    """A page or API list: status, queries, p50/p95 of N requests and the bare SQL."""

    label: str
    status: int
    queries: int
    p50_ms: float
    p95_ms: float
    bare_sql_ms: float | None

    @property
    def value(self) -> float:
        """The figure judged against the budget: p95."""
        return self.p95_ms

    def line(self, previous: float | None = None) -> str:
        bare = f"{self.bare_sql_ms:8.1f}" if self.bare_sql_ms is not None else "       –"
        return (
            f"{self.label:<58} {self.status:>4} {self.queries:>5} "
            f"{self.p50_ms:8.1f} {self.p95_ms:8.1f} {bare}"
            + _judged(self.label, self.p95_ms, previous)
        )

    def record(self) -> dict:
        return {"kind": "page", "unit": "ms", "value": self.value, **asdict(self)}


@dataclass
class Figure:
    """One measured figure (a sweep, a statistic, a PDF, the load): value in ``unit``."""

    label: str
    value: float
    unit: str = "ms"
    detail: str = ""

    def line(self, previous: float | None = None) -> str:
        figure = f"{self.value:12,.1f} {self.unit:<6}"
        detail = f"  ({self.detail})" if self.detail else ""
        return f"{self.label:<72} {figure}" + _judged(self.label, self.value, previous) + detail

    def record(self) -> dict:
        return {"kind": "figure", **asdict(self)}

    def __str__(self) -> str:
        return self.line()


HEADER = (
    f"{'page / endpoint (user)':<58} {'HTTP':>4} {'SQL':>5} {'p50 ms':>8} {'p95 ms':>8} "
    f"{'bare SQL':>8}  {'budget (p95)':>14}"
)


def measure(
    label: str,
    user,
    path: str,
    *,
    requests: int = 50,
    bare_sql: Callable[[], object] | None = None,
) -> Result:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(path)  # warm caches and connections
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    # captured_queries is read from connection.queries, which the next request resets.
    query_count = len(ctx.captured_queries)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    bare = None
    if bare_sql is not None:
        bare_times = []
        for _ in range(10):
            start = time.perf_counter()
            bare_sql()
            bare_times.append((time.perf_counter() - start) * 1000)
        bare = statistics.median(bare_times)
    return Result(
        label=label,
        status=response.status_code,
        queries=query_count,
        p50_ms=statistics.median(timings),
        p95_ms=percentile(timings, 95),
        bare_sql_ms=bare,
    )


# ``bench --only TEXT``: timed() skips (returns None) the measurements whose label lacks TEXT.
ONLY = ""


def wanted(label: str) -> bool:
    return ONLY.lower() in label.lower()


def timed(
    label: str,
    func: Callable[[], object],
    repeat: int = 3,
    setup: Callable[[], object] | None = None,
) -> Figure | None:
    """Median wall time of ``func`` over ``repeat`` runs; ``setup`` runs once first, untimed."""
    if not wanted(label):
        return None
    if setup is not None:
        setup()
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
    shown = repr(result) if isinstance(result, bytes) else str(result)
    shown = shown if len(shown) <= 60 else f"{shown[:57]}..."
    return Figure(label, statistics.median(times), "ms", f"median of {repeat}; result: {shown}")


def swept(label: str, sweep: Callable[[], int]) -> Figure | None:
    """A sweep's run over the backlog the build left: its wall time, what it sent and the rate,
    in a transaction rolled back afterwards, so every run (``--reuse`` too) measures the same
    backlog. The sweep's own transactions are savepoints inside it."""
    if not wanted(label):
        return None
    with transaction.atomic():
        start = time.perf_counter()
        sent = sweep()
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    rate = sent / seconds if seconds else 0.0
    return Figure(label, seconds * 1000, "ms", f"{sent} sent, {rate:,.0f}/s")


def swept_again(label: str, sweep: Callable[[], object], repeat: int = 3) -> Figure | None:
    """A sweep right after one that sent everything due (untimed): what a tick costs when
    nothing is due. Rolled back like :func:`swept`."""
    if not wanted(label):
        return None
    with transaction.atomic():
        sweep()
        row = timed(label, sweep, repeat)
        transaction.set_rollback(True)
    return row
