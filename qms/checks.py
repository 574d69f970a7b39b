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
