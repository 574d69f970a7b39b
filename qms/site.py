"""The municipality's settings (``SiteSettings``), read once and kept in the cache.

``site_settings()`` is the one way to read them: the language middleware asks on every request,
the report form for the whistleblowing routine. Saving the row forgets the cached copy (and each
process's cache forgets it after ``TIMEOUT`` seconds at the latest).
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import transaction

from qms.models import SiteSettings

logger = logging.getLogger(__name__)

CACHE_KEY = "qms:site-settings:1"
TIMEOUT = 60
# Each process keeps its own copy this long in front of the shared cache: the settings change a
# few times a year, and a request must not wait on a hung Redis for them (one time-out per
# process per LOCAL_SECONDS at most). Another host sees a change within this time.
LOCAL_SECONDS = 30
_local: dict = {"values": None, "at": 0.0}


def _fields() -> list[str]:
    return [f.attname for f in SiteSettings._meta.concrete_fields]


def cache_values(row: SiteSettings) -> dict:
    """What the cache keeps of the row: its field values (never a pickled model)."""
    return {name: getattr(row, name) for name in _fields()}


def site_settings() -> SiteSettings:
    """The municipality's settings; the defaults (unsaved) when nobody has saved them yet.

    A cache that is away (Redis down) costs one query and at most one time-out, never an error.
    """
    now = time.monotonic()
    if _local["values"] is not None and now - _local["at"] < LOCAL_SECONDS:
        return _row(_local["values"])
    cache_up = True
    try:
        values = cache.get(CACHE_KEY)
    except Exception:  # a cache is a cache: fall back to the database
        logger.warning("site settings: cache unavailable", exc_info=True)
        values, cache_up = None, False
    if not isinstance(values, dict):
        values = cache_values(SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1))
        if cache_up:  # after a failed read, writing would only wait a second time
            try:
                cache.set(CACHE_KEY, values, TIMEOUT)
            except Exception:
                logger.warning("site settings: cache unavailable", exc_info=True)
    _local.update(values=values, at=now)
    return _row(values)


def _row(values: dict) -> SiteSettings:
    return SiteSettings(**{k: v for k, v in values.items() if k in _fields()})


def forget_local_copy() -> None:
    """Forget this process's copy (the shared cache and the row stay as they are)."""
    _local.update(values=None, at=0.0)


def forget_site_settings() -> None:
    """Drop the cached copy now and again after commit (a reader in between re-caches the old)."""

    def forget():
        forget_local_copy()
        try:
            cache.delete(CACHE_KEY)
        except Exception:
            logger.warning("site settings: cache unavailable", exc_info=True)

    forget()
    transaction.on_commit(forget)


def language_of(user=None) -> str:
    """The language to write to ``user`` in (e-mails, reports made in the background): their
    own choice, else the municipality's målform, else bokmål. Pages: qms.middleware."""
    from django.conf import settings

    available = dict(settings.LANGUAGES)
    own = getattr(user, "language", "")
    if own in available:
        return own
    default = site_settings().default_language
    return default if default in available else settings.LANGUAGE_CODE
