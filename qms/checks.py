"""System checks run at start-up (``migrate``, ``runserver``, ``check``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.http.request import validate_host


@register(Tags.security)
def check_site_url(app_configs=None, **kwargs) -> list[Error]:
    """In production every link in an e-mail is built from SITE_URL (qms.notifications), so it
    must be this site's https address, not the development default."""
    if settings.DEBUG:
        return []
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or not parts.hostname:
        return [
            Error(
                f"SITE_URL={settings.SITE_URL!r} must be the site's https:// address.",
                hint="Set SITE_URL, e.g. https://kvalitet.kommune.no; e-mail links use it.",
                id="qms.E001",
            )
        ]
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        return [
            Error(
                f"The host of SITE_URL ({parts.hostname}) is not in ALLOWED_HOSTS.",
                id="qms.E002",
            )
        ]
    return []


LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches)
def check_shared_cache(app_configs=None, **kwargs) -> list[Error]:
    """Rate limits (the guest form) count in the default cache; in one process's memory each
    worker would allow the full rate again."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHES:
        return []
    return [
        Error(
            "The default cache is local to one process; rate limits would not be shared.",
            hint="Set REDIS_URL (or CACHE_REDIS_URL) in production.",
            id="qms.E003",
        )
    ]
