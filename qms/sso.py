"""django-allauth wired to the rules in qms.identity: the adapters, the OpenID Connect views
that always check the ID token's signature, and the pages a refused sign-in shows.

Providers come from the environment (settings ``OIDC_*``, ``SAML_*``) or from the admin
("Sosiale applikasjoner"); see README.md, "Single sign-on (Entra ID)".
"""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.decorators import login_not_required
from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm as BaseAuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as BaseActivateTOTPForm
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import identity

log = logging.getLogger("qms.identity")
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def refused(request, title: str, reason: str, status: int = 403):
    """The page a refused sign-in shows: what happened and the way back to the login page."""
    return render(
        request,
        "registration/sso_refused.html",
        {"title": title, "reason": reason},
        status=status,
    )


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False  # users come from provisioning or the admin, never from a signup form

    def login(self, request, user) -> None:
        if not hasattr(user, "backend"):
            user.backend = MODEL_BACKEND
        super().login(request, user)

    def respond_user_inactive(self, request, user):
        return refused(
            request,
            _("Kontoen er deaktivert"),
            _("Brukeren din er deaktivert i Kvalitetssystem. Ta kontakt med kvalitetsansvarlig."),
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return identity.may_create_users()

    def pre_social_login(self, request, sociallogin) -> None:
        """Sign in the user provisioned with the provider's stable claim, or refuse."""
        # Always a sign-in: allauth's "connect this account to me" would link an identity to
        # whoever is signed in, not to the user provisioned with it.
        sociallogin.state["process"] = "login"
        uid = sociallogin.account.uid
        user = identity.user_for_claim(uid)
        if sociallogin.is_existing and (user is None or user.pk != sociallogin.user.pk):
            log.warning("SSO link for %s no longer matches a user's external id", uid)
            raise ImmediateHttpResponse(self._not_provisioned(request))
        if sociallogin.is_existing:
            return
        if user is not None:
            sociallogin.user = user
            sociallogin.save(request, connect=True)  # remember the link; no e-mail about it
        elif not identity.may_create_users():
            log.info("SSO sign-in refused: no user with external id %s", uid)
            raise ImmediateHttpResponse(self._not_provisioned(request))

    def save_user(self, request, sociallogin, form=None):
        sociallogin.user.external_id = sociallogin.account.uid
        return super().save_user(request, sociallogin, form)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        extra_context = extra_context or {}
        state_lost = "state_id" in extra_context and extra_context.get("state") is None
        log.warning(
            "SSO sign-in refused (%s): %s %r", getattr(provider, "id", "?"), error, exception
        )
        raise ImmediateHttpResponse(
            refused(
                request,
                _("Innloggingen ble avvist"),
                identity.sso_refusal(
                    error,
                    exception,
                    state_lost,
                    detail=str(extra_context.get("saml_last_error_reason") or ""),
                ),
            )
        )

    @staticmethod
    def _not_provisioned(request):
        return refused(
            request,
            _("Kontoen er ikke opprettet"),
            _(
                "Du er kjent av kommunens innloggingstjeneste, men har ingen bruker i "
                "Kvalitetssystem ennå. Ta kontakt med kvalitetsansvarlig eller IT for å få "
                "tilgang."
            ),
        )


class OpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's adapter, but the ID token's signature is always checked against the provider's
    published keys (allauth skips it when the token came straight from the token endpoint)."""

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


@login_not_required
def oidc_login(request, provider_id):
    try:
        return OAuth2LoginView.adapter_view(OpenIDConnectAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


@login_not_required
def oidc_callback(request, provider_id):
    try:
        return OAuth2CallbackView.adapter_view(OpenIDConnectAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


def sign_in_options(request) -> list[dict]:
    """The identity providers the login page offers, each with its button's link."""
    next_url = request.GET.get("next", "")
    options = []
    for app in get_social_adapter().list_apps(request):
        provider = app.get_provider(request)
        url = provider.get_login_url(request, **({"next": next_url} if next_url else {}))
        options.append({"name": app.name, "url": url})
    return options


class LoginView(auth_views.LoginView):
    """Our login page: a button per identity provider, and the password form unless it is
    switched off (qms.identity). A password login goes on through allauth's login stages, so an
    account with an authenticator app is asked for its code."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_options"] = sign_in_options(self.request)
        context["show_local"] = identity.local_login_shown(self.request) or self.request.POST
        return context

    def form_valid(self, form):
        user = form.get_user()
        if not identity.local_login_allowed(user):
            form.add_error(
                None,
                _("Innlogging med passord er slått av. Bruk kommunens innloggingstjeneste."),
            )
            return self.form_invalid(form)
        # A password typed just now also counts as allauth's "confirm your password", so setting
        # up the authenticator app right after signing in does not ask for it again.
        record_authentication(
            self.request, user, method="password", username=user.username, reauthenticated=True
        )
        return perform_login(self.request, Login(user=user, redirect_url=self.get_success_url()))


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": gettext_lazy(
            "Feil kode. Skriv inn de seks sifrene autentiseringsappen viser nå."
        ),
    }


class AuthenticateForm(BaseAuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Kode fra autentiseringsappen")
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )


class ActivateTOTPForm(BaseActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Kode fra autentiseringsappen")
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric"}
        )
