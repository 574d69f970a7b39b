"""Statistics and the quality report at the reference size (DESIGN.md §11).

The data comes from the other modules' builders (1,000,000 deviations, documents, risk, the
annual wheel). Figures printed: the statistics page and the deviations statistics API for the
whole municipality (budget: under 1 s), per section, and the quality-report PDF for the whole
municipality and one year (budget: under 10 s for 20+ pages with charts), with peak memory.
"""

from __future__ import annotations

import resource
import time

from django.utils import timezone

from bench import data
from bench.harness import measure
from qms.reports import pdf, periods, quality_report, stats
from qms.reports.scope import Scope


def _year():
    return timezone.localdate().year


def extra(ref: data.Reference):
    root = ref.units[0]
    year = _year()
    query = f"unit={root.pk}&period=year&year={year}"
    for label, path in [
        ("GET /statistikk/ whole municipality, year (advisor)", f"/statistikk/?{query}"),
        (
            "GET /api/v1/statistics/deviations/ municipality (advisor)",
            f"/api/v1/statistics/deviations/?{query}",
        ),
        (
            "GET /statistikk/ one sector, tertial (sector leader)",
            f"/statistikk/?unit={ref.units[1].pk}&period=tertial&year={year}&tertial=1",
        ),
    ]:
        user = ref.sector_leader if "sector leader" in label else ref.advisor
        yield measure(label, user, path, requests=10).line()
    scope, period = Scope(root), periods.year(year)
    for key, build in stats.builders():
        start = time.perf_counter()
        build(scope, period, charts=True, report=False)
        yield f"  section {key:<20} {1000 * (time.perf_counter() - start):9.1f} ms"
    start = time.perf_counter()
    context = quality_report.build_context(scope, period)
    collected = time.perf_counter() - start
    html = pdf.render_html(context)
    content, pages = pdf.render_pdf(html)
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    yield (
        f"quality report PDF, whole municipality, {year}: {total:.2f} s "
        f"(figures {collected:.2f} s), {pages} pages, {len(content) // 1024} KiB, "
        f"peak RSS {peak:.0f} MiB"
    )


data.EXTRA.append(extra)
