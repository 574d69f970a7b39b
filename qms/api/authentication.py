"""API authentication: expiring keys (qms.tokens) in the ``Authorization: Token <key>`` header."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from qms import tokens


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's header format; the key must be one of qms.tokens' unexpired keys. The old
    never-expiring authtoken keys were moved into ApiToken with an expiry (migration 0004)."""

    def authenticate_credentials(self, key):
        token = tokens.valid_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ugyldig eller utløpt nøkkel."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Brukeren er deaktivert."))
        return (token.user, token)
