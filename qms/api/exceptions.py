"""The API's one exception handler: the domain's refusals become HTTP answers.

Services raise Django's errors and the domain's :class:`~qms.exceptions.StateError`; every
viewset lets them through and this handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) answers
400 (data), 403 (permission) or 409 (state) with the Norwegian message.

Authentication: a request without credentials is 403 (session authentication comes first, so
DRF sends no challenge); credentials presented and refused -- an unknown, expired or revoked key,
a deactivated user -- are 401 with ``WWW-Authenticate: Token``, so a client knows to get a new
key rather than conclude it may not.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from qms.api.authentication import ExpiringTokenAuthentication
from qms.exceptions import StateError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Konflikt med gjeldende tilstand."
    default_code = "conflict"


def _as_api_exception(exc: Exception) -> Exception:
    # A state error may also be a ValidationError (risk's is, for the forms): state wins.
    if isinstance(exc, StateError):
        messages = exc.messages
        return Conflict(messages[0] if len(messages) == 1 else {"detail": messages})
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"detail": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def exception_handler(exc: Exception, context: dict):
    if isinstance(exc, exceptions.AuthenticationFailed):
        # DRF answers with the first authenticator's challenge, and session authentication has
        # none (403); a refused key is answered with the token scheme's challenge.
        exc.status_code = status.HTTP_401_UNAUTHORIZED
        exc.auth_header = ExpiringTokenAuthentication().authenticate_header(context["request"])
    return drf_exception_handler(_as_api_exception(exc), context)
