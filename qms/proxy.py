"""The client's address behind the reverse proxy: one rule for the lockout (django-axes) and the
rate limits (django-ratelimit).

Each proxy in front appends the address it received the request from to X-Forwarded-For, so
with ``TRUSTED_PROXY_COUNT`` = n the client is the n-th entry from the right; anything left of
it was written by the client and proves nothing. Caddy, as the Caddyfile configures it, drops a
client's own X-Forwarded-For and sends exactly one entry (n = 1). Without a proxy (n = 0) the
header is ignored and the socket's address is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if len(forwarded) < count:  # did not pass through every proxy: only the socket is known
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
