"""Administrators list and revoke every user's API keys in the admin, and never see a key."""

import pytest

from qms import tokens
from qms.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_admin_lists_every_users_keys_without_the_key_or_its_hash(org, client):
    token, key = tokens.issue_token(org.employee_a1, "Rapportverktøy")
    client.force_login(org.admin)
    listing = client.get("/admin/qms/apitoken/").content.decode()
    assert "Rapportverktøy" in listing
    assert token.prefix in listing
    assert "employee_a1" in listing or "Employee A1" in listing
    detail = client.get(f"/admin/qms/apitoken/{token.pk}/change/")
    assert detail.status_code == 200
    for page in (listing, detail.content.decode()):
        assert key not in page
        assert token.key_hash not in page
    assert client.get("/admin/qms/apitoken/add/").status_code == 403  # owners make keys


def test_an_admin_revokes_a_key_and_it_stops_working(org, client):
    token, key = tokens.issue_token(org.employee_a1, "Lekket nøkkel")
    kept, kept_key = tokens.issue_token(org.employee_a1, "Beholdes")
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.force_login(org.admin)
    response = client.post(
        "/admin/qms/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 API-nøkler er trukket tilbake" in response.content.decode()
    assert list(ApiToken.objects.all()) == [kept]
    client.logout()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {kept_key}").status_code == 200


def test_the_admin_index_offers_api_keys_and_not_the_legacy_tokens(org, client):
    client.force_login(org.admin)
    index = client.get("/admin/").content.decode()
    assert "/admin/qms/apitoken/" in index
    assert "/admin/authtoken/" not in index
