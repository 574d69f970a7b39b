"""Single sign-on through a real SAML 2.0 identity provider (tests/saml_idp.py): the signed
answer signs in the user provisioned with the NameID; an answer signed with another key is
refused with a page that says why."""

import pytest

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

KARI_OID = "7c1d2f0e-5b7a-4c39-9d11-3f5a1e2b4c6d"


def sign_in(client, saml_idp, saml_app, name_id):
    client.defaults["HTTP_HOST"] = "testserver"  # python3-saml reads the Host header
    saml_idp.sign_in_as(name_id)
    start = client.get(saml_app.login_url)
    assert start.status_code == 302, start.content.decode()[:500]
    assert start["Location"].startswith(saml_idp.sso_url)
    form = saml_idp.authorize(start["Location"])
    answer = client.post(saml_app.acs_url, form)
    assert answer.status_code == 302  # allauth finishes on its own URL, with the session cookie
    return client.get(answer["Location"])


def test_saml_signs_in_the_user_provisioned_with_the_name_id(client, saml_idp, saml_app):
    user = make_user("kari", external_id=KARI_OID)
    response = sign_in(client, saml_idp, saml_app, KARI_OID)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/").context["user"] == user


def test_saml_refuses_an_unknown_person(client, saml_idp, saml_app):
    make_user("kari", external_id=KARI_OID)
    response = sign_in(client, saml_idp, saml_app, "someone-else")
    assert response.status_code == 403
    assert "Kontoen er ikke opprettet" in response.content.decode()


def test_saml_refuses_an_answer_signed_with_another_key(client, saml_idp, saml_app):
    make_user("kari", external_id=KARI_OID)
    saml_idp.misbehave("foreign-key")
    response = sign_in(client, saml_idp, saml_app, KARI_OID)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Innloggingen ble avvist" in page
    assert "ikke en gyldig signatur" in page
    assert client.get("/").status_code == 302
