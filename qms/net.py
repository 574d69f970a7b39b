"""Who is asking: the client's address behind the proxy, and the rate limits keyed by it."""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The client's address, for lockouts (django-axes) and rate limits (django-ratelimit).

    Without a proxy it is REMOTE_ADDR. Behind ``TRUSTED_PROXY_COUNT`` proxies, each of which
    appends the address it received the request from to X-Forwarded-For, the client is the
    entry that many places from the right; anything left of it was written by the client and
    is ignored (a spoofed header cannot pick someone else's lockout or rate limit).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def rate_limited(request, *, group: str, rate: str) -> bool:
    """Count this request against ``rate`` per client address in the shared (Redis) cache.

    Fails open: with the cache unreachable the request goes through (logged) rather than
    waiting on Redis or answering 500 -- nothing a user does may wait on the broker.
    """
    from django_ratelimit.core import is_ratelimited

    try:
        return is_ratelimited(
            request, group=group, key=client_ip_key, rate=rate, method="POST", increment=True
        )
    except Exception:  # redis ConnectionError / TimeoutError from the cache
        logger.warning("Rate-limit cache unavailable; %s not limited", group, exc_info=True)
        return False


def client_ip_key(group, request) -> str:
    return client_ip(request)
