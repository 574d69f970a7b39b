"""Who may sign in, and how: the rules of single sign-on, the password form and two-factor.

Every page, view and adapter asks these functions; nothing else decides them.

- Single sign-on matches a person on the identity provider's stable claim (Entra ID's object id,
  the employee number, OpenID Connect's ``sub``), kept in ``User.external_id`` -- never on a name
  or an e-mail address (:func:`user_for_claim`).
- The password form can be switched off (``LOCAL_LOGIN``); break-glass superusers keep it
  (:func:`local_login_allowed`).
- Staff who signed in with a password must use an authenticator app (TOTP) before they can do
  anything else (:func:`needs_totp_setup`); those who came through single sign-on had their
  second factor at the identity provider.
"""

from __future__ import annotations

import jwt
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _


def user_for_claim(uid: str | None):
    """The user whose stable id is ``uid``, or None when nobody has been provisioned with it."""
    if not uid:
        return None
    return get_user_model().objects.filter(external_id=uid).first()


def may_create_users() -> bool:
    """Whether single sign-on creates a user it does not know (``SSO_CREATE_USERS``)."""
    return settings.SSO_CREATE_USERS


def local_login_allowed(user) -> bool:
    """Whether ``user`` may sign in with the password form: always, unless it is switched off;
    then only superusers (the break-glass accounts)."""
    return settings.LOCAL_LOGIN or user.is_superuser


def local_login_shown(request) -> bool:
    """Whether the login page shows the password form (``?lokal=1`` shows it for break-glass)."""
    return settings.LOCAL_LOGIN or request.GET.get("lokal") == "1"


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def signed_in_with_password(request) -> bool:
    """Whether this session's user signed in through the password form (and not through single
    sign-on)."""
    methods = {record.get("method") for record in get_authentication_records(request, request.user)}
    return "password" in methods and "socialaccount" not in methods


def needs_totp_setup(request) -> bool:
    """Staff who signed in with a password and have no authenticator app must set one up first
    (``MFA_REQUIRED_FOR_STAFF``)."""
    user = request.user
    if not (settings.MFA_REQUIRED_FOR_STAFF and user.is_authenticated and user.is_staff):
        return False
    return signed_in_with_password(request) and not has_totp(user)


def sso_refusal(
    error: str | None, exception: BaseException | None, state_lost: bool, detail: str = ""
) -> str:
    """What the person is told when the identity provider's answer is refused (``detail``: the
    SAML toolkit's reason, when it was a SAML answer)."""
    cause = exception.__cause__ if exception is not None else None
    detail = f"{detail} {exception or ''}".lower()
    if state_lost:
        return _(
            "Innloggingsforsøket er utløpt eller allerede brukt. Start innloggingen på nytt fra "
            "innloggingssiden."
        )
    if error == "cancelled":
        return _("Innloggingen ble avbrutt.")
    if isinstance(cause, jwt.ExpiredSignatureError):
        return _("Identitetsbeviset fra innloggingstjenesten er utløpt. Logg inn på nytt.")
    if isinstance(cause, jwt.InvalidAudienceError):
        return _("Identitetsbeviset var utstedt til en annen tjeneste enn Kvalitetssystem.")
    if isinstance(cause, jwt.InvalidIssuerError):
        return _("Identitetsbeviset var utstedt av en annen innloggingstjeneste.")
    if isinstance(cause, jwt.InvalidSignatureError) or "kid" in detail or "signature" in detail:
        return _("Identitetsbeviset har ikke en gyldig signatur fra innloggingstjenesten.")
    return _("Innloggingstjenesten ga et svar som ikke kunne godtas.")
