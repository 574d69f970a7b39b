"""The municipality's settings (``SiteSettings``), read once and kept in the cache.

``site_settings()`` is the one way to read them: the language middleware asks on every request,
the report form for the whistleblowing routine. Saving the row forgets the cached copy (and each
process's cache forgets it after ``TIMEOUT`` seconds at the latest).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction

from qms.models import SiteSettings

logger = logging.getLogger(__name__)

CACHE_KEY = "qms:site-settings:1"
TIMEOUT = 60


def _fields() -> list[str]:
    return [f.attname for f in SiteSettings._meta.concrete_fields]


def site_settings() -> SiteSettings:
    """The municipality's settings; the defaults (unsaved) when nobody has saved them yet.

    A cache that is away (Redis down) costs one query, never an error.
    """
    try:
        values = cache.get(CACHE_KEY)
    except Exception:  # a cache is a cache: fall back to the database
        logger.warning("site settings: cache unavailable", exc_info=True)
        values = None
    if isinstance(values, dict):
        return SiteSettings(**{k: v for k, v in values.items() if k in _fields()})
    row = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
    try:
        cache.set(CACHE_KEY, {name: getattr(row, name) for name in _fields()}, TIMEOUT)
    except Exception:
        logger.warning("site settings: cache unavailable", exc_info=True)
    return row


def forget_site_settings() -> None:
    """Drop the cached copy now and again after commit (a reader in between re-caches the old)."""

    def forget():
        try:
            cache.delete(CACHE_KEY)
        except Exception:
            logger.warning("site settings: cache unavailable", exc_info=True)

    forget()
    transaction.on_commit(forget)
