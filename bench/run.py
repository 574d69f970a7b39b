"""Run the benchmark: build the reference data, then print figures for every main list."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection

from bench import data
from bench.budgets import over_budget
from bench.harness import HEADER, Figure, Result, measure
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


def load_previous(path: str | None) -> dict[str, float]:
    """label -> figure of an earlier run's ``--out`` file (``--compare FILE``)."""
    if not path:
        return {}
    try:
        rows = json.loads(Path(path).read_text())["rows"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SystemExit(f"--compare {path}: not a file written by bench --out ({exc})") from None
    return {row["label"]: row["value"] for row in rows}


class Printer:
    """Prints each row as it is measured, with its budget and the earlier run's figure, and keeps
    the rows for ``--out``. The rows come in a fixed order (organisation, then each module of
    ``data.BENCH_MODULES``), so two runs line up row by row."""

    def __init__(self, write: Callable[[str], None], previous: dict[str, float], only: str = ""):
        self.write = write
        self.previous = previous
        self.only = only.lower()
        self.rows: list[Result | Figure] = []

    def row(self, row: Result | Figure | str) -> None:
        if isinstance(row, str):  # a note (what was built, a section's share), not a figure
            self.write(row)
            return
        self.rows.append(row)
        self.write(row.line(self.previous.get(row.label)))

    def finish(self, out: str | None, meta: dict) -> None:
        over = [r.label for r in self.rows if over_budget(r.label, r.value)]
        self.write(f"\n{len(self.rows)} figures, {len(over)} over budget")
        for label in over:
            self.write(f"  OVER: {label}")
        if self.previous:
            seen = {r.label for r in self.rows}
            for label in self.previous:
                if label not in seen and self.only in label.lower():
                    self.write(f"  only in the earlier run: {label}")
        if out:
            Path(out).write_text(
                json.dumps({**meta, "rows": [r.record() for r in self.rows]}, indent=1)
            )
            self.write(f"figures written to {out} (compare a later run with --compare {out})")


def run(
    scale: float,
    requests: int,
    write: Callable[[str], None],
    *,
    reuse: bool = False,
    only: str = "",
    out: str | None = None,
    compare: str | None = None,
) -> list[Result | Figure]:
    """Build the reference data (or, with ``reuse``, measure the data an earlier run built)
    and print the figures; ``only`` keeps the rows whose label contains that text; ``out``
    writes them as JSON, ``compare`` prints an earlier ``out`` file's figure beside each row."""
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL only (set DATABASE_URL).")
    printer = Printer(write, load_previous(compare), only)
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
    for label, user, path, bare in _targets(ref):
        if only.lower() not in label.lower():
            continue
        printer.row(measure(label, user, path, requests=requests, bare_sql=bare))
    write("")
    for row in data.extra_measurements(ref, only):
        printer.row(row)
    printer.finish(out, {"scale": scale, "requests": requests, "units": len(ref.units)})
    return printer.rows
