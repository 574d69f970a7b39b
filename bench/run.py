"""Run the benchmark: build the reference data, then print figures for every main list."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from django.db import connection

from bench import data
from bench.harness import HEADER, Result, measure
from qms import permissions
from qms.models import OrgUnit


def _targets(ref: data.Reference) -> Iterator[tuple[str, object, str, Callable | None]]:
    """(label, user, path, bare SQL) for each page and API list measured."""
    yield (
        "GET /api/v1/units/ (sector leader)",
        ref.sector_leader,
        "/api/v1/units/",
        lambda: list(OrgUnit.objects.order_by("path")[:50].values_list("pk", flat=True)),
    )
    yield ("GET / Min side (employee)", ref.employee, "/", None)
    yield (
        "GET /enheter/ (advisor)",
        ref.advisor,
        "/enheter/",
        lambda: list(permissions.restrict(ref.advisor, OrgUnit).values_list("pk", flat=True)),
    )
    for module in data.MODULE_TARGETS:
        yield from module(ref)


def run(
    scale: float,
    requests: int,
    write: Callable[[str], None],
    *,
    reuse: bool = False,
    only: str = "",
) -> list[Result]:
    """Build the reference data (or, with ``reuse``, measure the data an earlier run built)
    and print the figures; ``only`` keeps the rows whose label contains that text."""
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL only (set DATABASE_URL).")
    data.load_modules()
    ref = data.load_org() if reuse else None
    if ref is None:
        if data.load_org() is not None:
            raise SystemExit(
                "The database holds an earlier build: pass --reuse or use an empty one."
            )
        start = time.perf_counter()
        ref = data.build_org(users=max(400, int(5000 * scale)))
        write(f"organisation: {len(ref.units)} units, {len(ref.users)} users")
        for name, builder in data.MODULE_BUILDERS:
            t = time.perf_counter()
            summary = builder(ref, scale)
            write(f"{name}: {summary} ({time.perf_counter() - t:.1f} s)")
        data.analyze()
        write(f"reference data built in {time.perf_counter() - start:.1f} s\n")
    else:
        write(f"reusing the reference data: {len(ref.units)} units, {len(ref.users)} users\n")
    write(HEADER)
    results = []
    for label, user, path, bare in _targets(ref):
        if only.lower() not in label.lower():
            continue
        result = measure(label, user, path, requests=requests, bare_sql=bare)
        results.append(result)
        write(result.line())
    for line in data.extra_measurements(ref, only):
        write(line)
    return results
