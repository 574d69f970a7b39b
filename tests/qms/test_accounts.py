import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_login_and_logout(org, client):
    response = client.post("/konto/login/", {"username": "employee_a1", "password": "pw"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/konto/logout/")
    assert client.get("/").status_code == 302


def test_lockout_after_repeated_failed_logins(org, client):
    for _ in range(5):
        client.post("/konto/login/", {"username": "employee_a1", "password": "wrong"})
    response = client.post("/konto/login/", {"username": "employee_a1", "password": "pw"})
    assert response.status_code == 429
    assert "midlertidig sperret" in response.content.decode()


def test_password_reset_by_email(org, client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://kvalitet.example.no"
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        response = client.post("/konto/password_reset/", {"email": "employee_a1@example.no"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https://kvalitet\.example\.no(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Fjordhest-2026!", "new_password2": "Fjordhest-2026!"}
    )
    assert response.status_code == 302
    assert (
        client.post(
            "/konto/login/", {"username": "employee_a1", "password": "Fjordhest-2026!"}
        ).status_code
        == 302
    )


def test_password_change(org, client):
    client.force_login(org.employee_a1)
    response = client.post(
        "/konto/passord/",
        {
            "old_password": "pw",
            "new_password1": "Fjordhest-2026!",
            "new_password2": "Fjordhest-2026!",
        },
    )
    assert response.status_code == 302
    org.employee_a1.refresh_from_db()
    assert org.employee_a1.check_password("Fjordhest-2026!")


def test_argon2_is_the_production_hasher():
    from qms import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
