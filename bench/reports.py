"""Statistics and the quality report at the reference size (docs/design.md §11).

The data comes from the other modules' builders. When no deviations exist by the time this
module's builder runs (the deviations module's own benchmark builder not being there), it
fills the reference volume itself with COPY: 1,000,000 deviations over three years, 2,000,000
corrective actions and a first-response event for most cases.

Figures printed (each beside its budget in bench/budgets.py): the statistics page and the
deviations statistics API for the whole municipality, each section's time, each section
computed live as the page shows it (charts, no snapshot; "statistics live: ..."), and the
quality-report PDF for the whole municipality and one year with its peak memory, rendered in a
fresh process so that the peak is the render's own, not what earlier rows left behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time

from django.db import connection, transaction
from django.utils import timezone

from bench import data
from bench.harness import Figure, measure, timed, wanted
from qms.reports import pdf, periods, quality_report, snapshots, stats
from qms.reports.scope import Scope

SEVERITY_WEIGHTS = [(1, 30), (2, 35), (3, 20), (4, 10), (5, 5)]


def _copy(model, fields: list[str], rows) -> int:
    """COPY rows (tuples in ``fields`` order) into ``model``'s table; other columns get their
    field defaults. Returns the number of rows."""
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = {name: i for i, name in enumerate(fields)}
    columns = [f.column for f in concrete]
    defaults = [None if f.null else f.get_default() for f in concrete]
    defaults = [json.dumps(d) if isinstance(d, dict | list) else d for d in defaults]
    index = [given.get(f.attname, given.get(f.name)) for f in concrete]
    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(
                    [row[i] if i is not None else defaults[j] for j, i in enumerate(index)]
                )
                count += 1
    return count


def build_deviations(ref: data.Reference, scale: float) -> str:
    from deviations import tallies
    from deviations.models import Category, CorrectiveAction, Deviation, Event

    if Deviation.objects.exists():
        return f"{Deviation.objects.count()} deviations already built by the deviations module"
    rng = ref.rng
    categories = list(Category.objects.values_list("pk", flat=True)) or [
        Category.objects.create(name=name).pk
        for name in ("HMS", "Informasjonssikkerhet", "Pasient- og brukersikkerhet", "Miljø")
    ]
    count = max(1000, int(1_000_000 * scale))
    tz = timezone.get_current_timezone()
    now = timezone.now()
    first_day = dt.datetime(now.year - 2, 1, 1, tzinfo=tz)
    span = (now - first_day).total_seconds()
    severities = [s for s, w in SEVERITY_WEIGHTS for _ in range(w)]
    kinds = ["deviation"] * 5 + ["adverse_event"] * 3 + ["injury"] + ["improvement"]
    causes = ["system", "procedure", "human", "external"]
    units = ref.leaf_units
    leaders = ref.leaders
    sequence: dict[int, int] = {}
    plan = []  # (created, closed_at or None, unit id) per deviation, in insertion order

    def deviations():
        for i in range(count):
            occurred = first_day + dt.timedelta(seconds=rng.random() * span)
            created = occurred + dt.timedelta(hours=rng.random() * 48)
            if created > now:
                created = now
            unit = units[i % len(units)]
            age = (now - created).days
            closed = age > 20 and rng.random() < min(0.95, age / 120)
            closed_at = created + dt.timedelta(days=rng.expovariate(1 / 25)) if closed else None
            if closed_at and closed_at > now:
                closed_at, closed = None, False
            year = created.year
            sequence[year] = sequence.get(year, 0) + 1
            plan.append((created, closed_at, unit.pk))
            yield (
                f"AV-{year}-{sequence[year]:06d}",
                year,
                sequence[year],
                kinds[i % len(kinds)],
                categories[i % len(categories)],
                f"Hendelse {i}",
                "Beskrivelse av hendelsen.",
                occurred,
                unit.pk,
                severities[i % len(severities)],
                leaders[unit.pk].pk,
                "closed" if closed else ("reported" if age < 3 else "actions_in_progress"),
                causes[i % 4] if closed or i % 3 == 0 else "",
                created,
                closed_at or created,
                closed_at,
            )

    fields = [
        "number",
        "year",
        "sequence",
        "kind",
        "category_id",
        "title",
        "description",
        "occurred_at",
        "unit_id",
        "severity",
        "handler_id",
        "state",
        "cause_class",
        "created_at",
        "updated_at",
        "closed_at",
    ]
    with transaction.atomic():
        n = _copy(Deviation, fields, deviations())
    first_pk = Deviation.objects.order_by("pk").values_list("pk", flat=True).first()

    def actions():
        for offset, (created, closed_at, unit_id) in enumerate(plan):
            for k in range(2):
                deadline = (created + dt.timedelta(days=14 + 14 * k)).date()
                done = closed_at or (
                    created + dt.timedelta(days=10) if rng.random() < 0.5 else None
                )
                if done and done > now:
                    done = None
                yield (
                    first_pk + offset,
                    unit_id,
                    "Tiltak",
                    leaders[unit_id].pk,
                    deadline,
                    done,
                    "effective" if closed_at else "",
                    closed_at,
                    3 if done is None and deadline < now.date() - dt.timedelta(days=14) else 0,
                    created,
                )

    with transaction.atomic():
        a = _copy(
            CorrectiveAction,
            [
                "deviation_id",
                "unit_id",
                "description",
                "responsible_id",
                "deadline",
                "done_at",
                "effect",
                "effect_evaluated_at",
                "escalation_step",
                "created_at",
            ],
            actions(),
        )

    def events():
        for offset, (created, _closed, _unit) in enumerate(plan):
            if offset % 5:
                yield (first_pk + offset, "started", created + dt.timedelta(hours=2 + offset % 100))

    with transaction.atomic():
        e = _copy(Event, ["deviation_id", "kind", "at"], events())
    tallies.rebuild()  # COPY bypasses the services that keep the monthly tallies
    return f"{n} deviations, {a} corrective actions, {e} events (built by bench/reports.py)"


def live_deviation_rows(ref: data.Reference):
    """The deviations section computed cold (no kept snapshot) for the municipality, a sector
    and a unit, for this year and last month: what a page of any scope costs (budget: 300 ms
    at the reference size; docs/design.md §11)."""
    from deviations import stats as deviation_stats

    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    scopes = [
        ("municipality", ref.units[0]),
        ("sector", ref.units[1]),
        ("unit", ref.leaf_units[0]),
    ]
    chosen = [
        ("year", periods.year(today.year)),
        ("month", periods.month(*last_month.timetuple()[:2])),
    ]
    for scope_name, unit in scopes:
        for period_name, period in chosen:

            def build(unit=unit, period=period):
                section = deviation_stats.section(Scope(unit), period, charts=True)
                return section.figures[0].value  # the period's number of cases

            yield timed(
                f"statistics live: deviations, {scope_name}, {period_name}", build, repeat=5
            )


def extra(ref: data.Reference):
    from django.core.cache import cache

    yield from live_deviation_rows(ref)
    root = ref.units[0]
    year = timezone.localdate().year
    query = f"unit={root.pk}&period=year&year={year}"
    # Cold: what one computation of every section costs (the sweep's work, or the first view of
    # a scope nobody has looked at); then the pages, served from the kept snapshot.
    cache.clear()
    yield timed(
        "statistics snapshot sweep (municipality + 8 sectors, 2 periods)",
        snapshots.refresh_large_scopes,
        repeat=1,
    )
    for label, user, path in [
        (
            "GET /statistikk/ whole municipality, year (advisor)",
            ref.advisor,
            f"/statistikk/?{query}",
        ),
        (
            "GET /api/v1/statistics/deviations/ municipality (advisor)",
            ref.advisor,
            f"/api/v1/statistics/deviations/?{query}",
        ),
        (
            "GET /statistikk/ one sector, tertial (sector leader)",
            ref.sector_leader,
            f"/statistikk/?unit={ref.units[1].pk}&period=tertial&year={year}&tertial=1",
        ),
    ]:
        if wanted(label):
            yield measure(label, user, path, requests=10)
    scope, period = Scope(root), periods.year(year)
    # Each section cold as the statistics page computes it for one section's tab: live, with
    # its charts, no snapshot (the budget: all sections together well under 300 ms).
    for key, build in stats.builders():
        if key == "deviations":
            continue  # bench/deviations.py measures its own live section
        yield timed(
            f"statistics live: {key}, municipality, year",
            lambda build=build: build(scope, period, charts=True, report=False).key,
        )
    if not wanted("quality report PDF, statistics sections"):
        return
    cache.clear()  # the report below computes its figures cold, the worst case
    for key, build in stats.builders():
        start = time.perf_counter()
        build(scope, period, charts=True, report=False)
        yield Figure(
            f"statistics cold: section {key}, municipality, year",
            1000 * (time.perf_counter() - start),
        )
    for how in ("figures computed now", "figures kept by the sweep"):
        if how == "figures kept by the sweep":
            snapshots.get(scope, period, refresh=True)  # what the sweep keeps (untimed)
        else:
            cache.clear()
        figures = _pdf_in_fresh_process(root.pk, year)
        label = f"quality report PDF, whole municipality, year, {how}"
        yield Figure(
            f"{label}: time",
            figures["total"] * 1000,
            detail=(
                f"{year}, figures {figures['figures']:.2f} s, {figures['pages']} pages, "
                f"{figures['kib']} KiB"
            ),
        )
        yield Figure(
            f"{label}: peak memory", figures["peak"], "MiB", detail="peak RSS of a fresh process"
        )


def render_report(unit_id: int, year: int) -> dict:
    """One quality report, as the PDF worker makes it: figures (kept, or computed now), then
    the PDF; wall times and this process's peak memory. Run in a fresh process."""
    import weasyprint  # noqa: F401 - loaded once when a worker starts, not per report

    from qms.models import OrgUnit

    scope, period = Scope(OrgUnit.objects.get(pk=unit_id)), periods.year(year)
    start = time.perf_counter()
    context = quality_report.build_context(scope, period)
    collected = time.perf_counter() - start
    content, pages = pdf.render_pdf(pdf.render_html(context))
    return {
        "total": time.perf_counter() - start,
        "figures": collected,
        "pages": pages,
        "kib": len(content) // 1024,
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _pdf_in_fresh_process(unit_id: int, year: int) -> dict:
    """``render_report`` in a new Python process (same settings and database), so the peak
    memory printed is the render's own, not what the benchmark's earlier rows left behind."""
    code = (
        "import django, json, sys; django.setup(); "
        "from django.conf import settings; from django.utils import translation; "
        "translation.activate(settings.LANGUAGE_CODE); "
        "from bench.reports import render_report; "
        f"print(json.dumps(render_report({unit_id}, {year})))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "qms.settings"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


data.MODULE_BUILDERS.append(("reports (deviations if missing)", build_deviations))
data.EXTRA.append(extra)
