"""Single sign-on through a real OpenID Connect provider (tests/oidc_provider.py): people are
matched on the stable claim (Entra ID's ``oid``), and a spoiled answer is refused with a page
that says why."""

import pytest
from allauth.socialaccount.models import SocialAccount

from qms.models import User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

KARI_OID = "7c1d2f0e-5b7a-4c39-9d11-3f5a1e2b4c6d"


def sign_in(client, oidc_provider, oidc_app, **claims):
    """The whole browser round: qms -> provider -> qms; returns qms's answer to the callback."""
    oidc_provider.sign_in_as(**claims)
    start = client.get(oidc_app.login_url)
    assert start.status_code == 302, start.content.decode()[:500]
    assert start["Location"].startswith(oidc_provider.issuer)
    return client.get(oidc_provider.authorize(start["Location"]))


def kari(**extra):
    claims = {
        "sub": "pairwise-sub-kari",
        "oid": KARI_OID,
        "name": "Kari Nordmann",
        "email": "kari.nordmann@example.no",
    }
    return {**claims, **extra}


def test_login_page_offers_the_provider(client, oidc_app):
    page = client.get("/konto/login/").content.decode()
    assert "Logg inn med Entra ID" in page
    assert oidc_app.login_url in page
    assert 'name="password"' in page  # the password form stays while LOCAL_LOGIN is on


def test_sso_signs_in_the_user_provisioned_with_the_stable_claim(client, oidc_provider, oidc_app):
    user = make_user("kari", external_id=KARI_OID)
    response = sign_in(client, oidc_provider, oidc_app, **kari())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/").context["user"] == user
    assert SocialAccount.objects.get(uid=KARI_OID).user == user
    # A second sign-in goes through the remembered link.
    client.post("/konto/logout/")
    assert sign_in(client, oidc_provider, oidc_app, **kari()).status_code == 302
    assert client.get("/").context["user"] == user


def test_sso_never_matches_on_name_or_email(client, oidc_provider, oidc_app):
    User.objects.create_user(
        "kari", first_name="Kari", last_name="Nordmann", email="kari.nordmann@example.no"
    )
    response = sign_in(client, oidc_provider, oidc_app, **kari())
    assert response.status_code == 403
    page = response.content.decode()
    assert "Kontoen er ikke opprettet" in page
    assert "ingen bruker i Kvalitetssystem" in page
    assert client.get("/").status_code == 302  # not signed in
    assert not SocialAccount.objects.exists()


def test_sso_may_create_unknown_users_when_configured(client, oidc_provider, oidc_app, settings):
    settings.SSO_CREATE_USERS = True
    response = sign_in(client, oidc_provider, oidc_app, **kari(preferred_username="kari"))
    assert response.status_code == 302, response.content.decode()[:2000]
    user = client.get("/").context["user"]
    assert user.external_id == KARI_OID
    assert not user.has_usable_password()


def test_sso_refuses_a_deactivated_user(client, oidc_provider, oidc_app):
    make_user("kari", external_id=KARI_OID, is_active=False)
    response = sign_in(client, oidc_provider, oidc_app, **kari())
    assert response.status_code == 403
    assert "Kontoen er deaktivert" in response.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("foreign-key", "ikke en gyldig signatur"),
        ("wrong-audience", "utstedt til en annen tjeneste"),
        ("expired", "er utløpt"),
    ],
)
def test_sso_refuses_a_spoiled_id_token(client, oidc_provider, oidc_app, mode, reason):
    make_user("kari", external_id=KARI_OID)
    oidc_provider.misbehave(mode)
    response = sign_in(client, oidc_provider, oidc_app, **kari())
    assert response.status_code == 403
    page = response.content.decode()
    assert "Innloggingen ble avvist" in page
    assert reason in page
    assert client.get("/").status_code == 302


def test_sso_refuses_a_replayed_state(client, oidc_provider, oidc_app):
    user = make_user("kari", external_id=KARI_OID)
    oidc_provider.sign_in_as(**kari())
    start = client.get(oidc_app.login_url)
    callback = oidc_provider.authorize(start["Location"])
    assert client.get(callback).status_code == 302
    client.post("/konto/logout/")
    replayed = client.get(callback)
    assert replayed.status_code == 403
    page = replayed.content.decode()
    assert "Innloggingen ble avvist" in page
    assert "utløpt eller allerede brukt" in page
    assert client.get("/").status_code == 302
    assert user.last_login is None or client.session.get("_auth_user_id") is None


def test_sso_cannot_link_an_identity_to_whoever_is_signed_in(client, oidc_provider, oidc_app):
    kari_user = make_user("kari", external_id=KARI_OID)
    ola = make_user("ola")
    client.force_login(ola)
    oidc_provider.sign_in_as(**kari())
    start = client.get(f"{oidc_app.login_url}?process=connect")
    response = client.get(oidc_provider.authorize(start["Location"]))
    assert response.status_code == 302
    assert SocialAccount.objects.get(uid=KARI_OID).user == kari_user
    assert client.get("/").context["user"] == kari_user
