"""API keys with an expiry, which their owner can list and revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from qms.models import ApiToken, User

# How often the "last used" time is written: not on every request of a busy client.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime(days: int | None) -> timedelta:
    """The validity asked for, within API_TOKEN_MAX_DAYS (API_TOKEN_DAYS when not given)."""
    days = settings.API_TOKEN_DAYS if days is None else days
    return timedelta(days=max(1, min(days, settings.API_TOKEN_MAX_DAYS)))


def issue_token(user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Make a key for ``user``; returns the row and the key, which is never shown again."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100] or "API",
        key_hash=hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + lifetime(days),
    )
    return token, key


def valid_token(key: str) -> ApiToken | None:
    """The unexpired token with this key, its user loaded; None for an unknown or expired key.

    The one rule for "this key may be used": the API's authentication calls it."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), expires_at__gt=now)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def tokens_of(user: User):
    return ApiToken.objects.filter(user=user)


def revoke(user: User, token_id: int) -> bool:
    """Delete one of ``user``'s own keys; another user's key is not found (False)."""
    deleted, _ = tokens_of(user).filter(pk=token_id).delete()
    return bool(deleted)


def revoke_tokens(queryset) -> int:
    """An administrator's revocation (the admin): the keys stop working at once."""
    deleted, _ = queryset.delete()
    return deleted


# --- Provisioning keys (SCIM) ----------------------------------------------------------------

PROVISIONING_TOKEN_DAYS = 730


def issue_provisioning_token(name: str, days: int = PROVISIONING_TOKEN_DAYS):
    """A key for the identity provider's SCIM client; returns the row and the key (shown once)."""
    from qms.models import ProvisioningToken

    key = secrets.token_urlsafe(32)
    token = ProvisioningToken.objects.create(
        name=name[:100] or "SCIM",
        key_hash=hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=max(1, days)),
    )
    return token, key


def valid_provisioning_token(key: str):
    """The unexpired provisioning key with this value, or None: the one rule for SCIM access."""
    from qms.models import ProvisioningToken

    now = timezone.now()
    token = ProvisioningToken.objects.filter(key_hash=hash_key(key), expires_at__gt=now).first()
    if token is not None and (
        token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION
    ):
        ProvisioningToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
