"""API keys expire, and their owner lists and revokes them (page and API)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.authtoken.models import Token

from qms import tokens
from qms.models import ApiToken

pytestmark = pytest.mark.django_db


def me(client, key):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_an_expired_key_is_refused(org, client):
    token, key = tokens.issue_token(org.leader_a1, "Rapport")
    assert me(client, key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = me(client, key)
    # A key was presented and refused: 401 with the challenge, so a client knows to get a new
    # key (a request without credentials is 403, tests/qms/test_api.py).
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "utløpt" in response.json()["detail"]


def test_a_new_key_expires_within_the_configured_days(org, settings):
    settings.API_TOKEN_DAYS, settings.API_TOKEN_MAX_DAYS = 90, 365
    default, _ = tokens.issue_token(org.leader_a1, "a")
    capped, _ = tokens.issue_token(org.leader_a1, "b", days=10_000)
    assert (default.expires_at - default.created_at).days in (89, 90)
    assert (capped.expires_at - capped.created_at).days in (364, 365)
    assert not ApiToken.objects.filter(key_hash__in=[default.prefix]).exists()  # only hashes


def test_the_password_endpoint_issues_an_expiring_key(org, client):
    response = client.post(
        "/api/v1/token/",
        {"username": "leader_a1", "password": "pw"},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200 and body["expires_at"]
    assert me(client, body["token"]).json()["username"] == "leader_a1"


def test_owner_lists_and_revokes_keys_through_the_api(org, client):
    _mine, key = tokens.issue_token(org.leader_a1, "Rapport")
    other, _ = tokens.issue_token(org.leader_b1, "Annen")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    listed = client.get("/api/v1/tokens/", **auth).json()["results"]
    assert [t["name"] for t in listed] == ["Rapport"]
    made = client.post(
        "/api/v1/tokens/", {"name": "Ny", "days": 30}, content_type="application/json", **auth
    ).json()
    assert me(client, made["token"]).status_code == 200
    assert client.delete(f"/api/v1/tokens/{other.pk}/", **auth).status_code == 404
    assert client.delete(f"/api/v1/tokens/{made['id']}/", **auth).status_code == 204
    assert me(client, made["token"]).status_code == 401
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_owner_makes_sees_and_revokes_keys_on_the_page(org, client_for):
    client = client_for(org.employee_a1)
    page = client.post("/konto/api-nokler/", {"name": "Excel-uttrekk", "days": "30"})
    html = page.content.decode()
    token = ApiToken.objects.get(user=org.employee_a1)
    assert "Excel-uttrekk" in html and "vises ikke igjen" in html
    key = html.split("<code>")[1].split("</code>")[0]
    assert tokens.valid_token(key) == token
    client.post(f"/konto/api-nokler/{token.pk}/slett/")
    assert not ApiToken.objects.exists()
    assert "ingen API-nøkler" in client.get("/konto/api-nokler/").content.decode()


def test_old_never_expiring_keys_are_taken_over_with_an_expiry(org, client):
    old = Token.objects.create(user=org.leader_b1)
    migration = importlib.import_module("qms.migrations.0005_api_tokens_take_over_authtoken_keys")
    migration.take_over(apps, None)
    assert not Token.objects.exists()
    token = tokens.valid_token(old.key)
    assert token.user == org.leader_b1 and token.expires_at > timezone.now()
