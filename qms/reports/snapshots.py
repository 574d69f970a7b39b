"""Statistics snapshots: the computed sections of one scope and period, kept in the cache.

The statistics page, its exports and the API compute live (:func:`live`): every section is
fast cold for any scope and period, so no page depends on a kept snapshot, and a page
never shows figures minutes old. The quality report PDF reads :func:`get`: a computation that
took longer than ``STATISTICS_CACHE_AFTER`` seconds is kept for ``STATISTICS_CACHE_SECONDS``,
and a sweep (``qms.reports.tasks.refresh_statistics``, every ten minutes on the report worker)
recomputes the large scopes — each municipality and its sectors, for the current tertial and
year — so a report of a swept scope only lays out its pages.

The cache is only a cache: with Redis refused or hung, a report computes live after one short
time-out (REDIS_SOCKET_TIMEOUT) and does not try to keep what it computed, so nobody waits on
the broker (docs/design.md §10); the sweep, which exists to keep snapshots, fails loudly instead.

A snapshot holds the report's detail lists. The statistics do not depend on who looks (the
permission layer decides only *which* scopes a user may choose), so one snapshot serves every
report of that scope; the report's cover says when kept figures were computed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from redis.exceptions import RedisError

from qms.models import OrgUnit
from qms.reports import periods, stats
from qms.reports.periods import Period
from qms.reports.scope import Scope
from qms.site import language_of

# Bump when the shape of Section/Table/Chart changes, so old pickles are never read back.
VERSION = 2
SWEEP_DEPTH = 2  # the municipality and its sectors
# What the cache backend raises when Redis is away: redis-py's errors (refused, timed out)
# and the socket's own.
CACHE_UNAVAILABLE = (RedisError, OSError)

logger = logging.getLogger(__name__)


@dataclass
class Snapshot:
    report_sections: list[stats.Section]  # with the quality report's detail lists
    computed_at: datetime
    kept: bool  # served from (or stored in) the cache: the page says when it was computed

    @property
    def sections(self) -> list[stats.Section]:
        """What the page, the exports and the API show: the sections without the report's
        detail lists (copies; the kept snapshot is never changed)."""
        return [replace(s, lists=[]) for s in self.report_sections]

    def only(self, key: str | None) -> list[stats.Section]:
        return [s for s in self.sections if not key or s.key == key]


def _key(scope: Scope, period: Period) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    # The day is part of the key: "overdue" and the control chart's last month depend on it.
    return ":".join(
        str(part)
        for part in (
            "qms:stats",
            VERSION,
            scope.unit.pk,
            scope.path,
            "hms" if scope.hms_only else "all",
            period.kind,
            period.start.isoformat(),
            period.end.isoformat(),
            language,
            timezone.localdate().isoformat(),
        )
    )


def live(
    scope: Scope, period: Period, *, charts: str | bool | None = True, only: str | None = None
) -> Snapshot:
    """The sections of ``scope`` and ``period`` computed now, without the report's detail lists
    and never kept: what the statistics page, the exports and the API show. ``charts``: True
    draws every section's charts, False none, a section key only that section's (the page shows
    one section's charts at a time); ``only``: that section alone."""
    sections = [
        build(scope, period, charts=charts is True or charts == key, report=False)
        for key, build in stats.builders(scope.hms_only)
        if not only or key == only
    ]
    return Snapshot(report_sections=sections, computed_at=timezone.now(), kept=False)


def get(scope: Scope, period: Period, *, refresh: bool = False) -> Snapshot:
    """The sections of ``scope`` and ``period``: kept ones when there are, else computed now
    (and kept when that was slow). ``refresh`` computes and keeps them whatever the cost."""
    seconds = settings.STATISTICS_CACHE_SECONDS
    key = _key(scope, period)
    cache_usable = seconds > 0
    if cache_usable and not refresh:
        try:
            kept = cache.get(key)
        except CACHE_UNAVAILABLE:
            # One time-out is all a page waits: it does not try to keep what it computes.
            logger.warning("Statistics cache unavailable; computing live", exc_info=True)
            cache_usable = False
        else:
            if isinstance(kept, Snapshot):
                return kept
    started = time.perf_counter()
    sections = stats.compute(scope, period, report=True)
    elapsed = time.perf_counter() - started
    keep = cache_usable and (refresh or elapsed >= settings.STATISTICS_CACHE_AFTER)
    snapshot = Snapshot(report_sections=sections, computed_at=timezone.now(), kept=keep)
    if keep:
        try:
            cache.set(key, snapshot, seconds)
        except CACHE_UNAVAILABLE:
            if refresh:  # the sweep: keeping is its whole job
                raise
            logger.warning("Statistics cache unavailable; snapshot not kept", exc_info=True)
            snapshot.kept = False
    return snapshot


def sweep_periods(today=None) -> list[Period]:
    today = today or timezone.localdate()
    return [periods.default_period(today), periods.year(today.year)]


def refresh_large_scopes(today=None) -> int:
    """Recompute and keep the snapshots of the large scopes for the default periods, in the
    municipality's målform (the language most pages are read in); returns how many were computed."""
    if settings.STATISTICS_CACHE_SECONDS <= 0:
        return 0
    units = OrgUnit.objects.filter(is_active=True, depth__lte=SWEEP_DEPTH).order_by("path")
    count = 0
    with translation.override(language_of()):
        for unit in units:
            for period in sweep_periods(today):
                get(Scope(unit), period, refresh=True)
                count += 1
    return count
