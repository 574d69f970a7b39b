"""The report on internal control to the council at the reference size (docs/design.md §14).

Figures printed: assembling last year's report for the whole municipality (nine chapters: the
municipality and its eight sectors, each with the management reviews, the control activities,
the inspections and the statistics' headline figures), cold, as the chief executive's "make the
report" does; approving it (assembled once more and kept); and its tagged PDF and DOCX.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from bench import data
from bench.harness import Figure, wanted
from qms.reports import periods
from qms.reports.control import render, services

LABEL = "report on internal control"


def extra(ref: data.Reference):
    if not wanted(LABEL):
        return
    root = ref.units[0]
    chief = ref.leaders[root.pk]
    year = timezone.localdate().year - 1
    with transaction.atomic():
        cache.clear()  # every chapter's statistics computed now: the worst case
        start = time.perf_counter()
        report = services.create_report(chief, root, periods.year(year))
        built = time.perf_counter() - start
        chapters = report.chapters.count()
        yield Figure(
            f"{LABEL}: assemble last year, whole municipality, cold",
            built * 1000,
            detail=f"{year}, {chapters} chapters",
        )
        overall = report.chapters.get(unit=root)
        services.save_chapter(chief, overall, good="Godt.", weak="Svakt.", planned="Tiltak.")
        start = time.perf_counter()
        services.approve_report(chief, report)
        yield Figure(
            f"{LABEL}: approve (assembled again and kept)", (time.perf_counter() - start) * 1000
        )
        report.refresh_from_db()
        start = time.perf_counter()
        content = render.pdf_bytes(report)
        yield Figure(
            f"{LABEL}: tagged PDF",
            (time.perf_counter() - start) * 1000,
            detail=f"{len(content) // 1024} KiB",
        )
        start = time.perf_counter()
        document = render.docx_bytes(report)
        yield Figure(
            f"{LABEL}: DOCX",
            (time.perf_counter() - start) * 1000,
            detail=f"{len(document) // 1024} KiB",
        )
        transaction.set_rollback(True)  # leave the data as it was for the next run


data.EXTRA.append(extra)
