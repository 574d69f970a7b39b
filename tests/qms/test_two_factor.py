"""Two-factor (TOTP) for accounts that sign in with a password, required for staff; and the
LOCAL_LOGIN switch that leaves the password form to break-glass superusers."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp(secret: str, offset: int = 0) -> str:
    """RFC 6238: the six digits an authenticator app shows now (offset: steps of 30 s)."""
    counter = int(time.time()) // 30 + offset
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def password_login(client, username="admin"):
    return client.post("/konto/login/", {"username": username, "password": "pw"})


def test_staff_without_totp_are_sent_to_set_it_up_first(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    admin = make_user("admin", is_staff=True, is_superuser=True)
    assert password_login(client).status_code == 302
    for path in ["/admin/", "/", "/avvik/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/konto/2fa/totp/activate/"
    assert client.get("/api/").status_code == 403

    page = client.get("/konto/2fa/totp/activate/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sett opp tofaktorinnlogging" in html
    assert "Administratorer som logger inn med passord" in html
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', html).group(1)

    wrong = client.post("/konto/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Feil kode" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=admin).exists()

    done = client.post("/konto/2fa/totp/activate/", {"code": totp(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=admin, type="totp").exists()
    assert client.get("/admin/").status_code == 200


def test_an_account_with_totp_is_asked_for_the_code(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    admin = make_user("admin", is_staff=True, is_superuser=True)
    TOTP.activate(admin, SECRET)
    response = password_login(client)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in yet

    page = client.get("/konto/2fa/authenticate/").content.decode()
    assert "Kode fra autentiseringsappen" in page
    wrong = client.post("/konto/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200
    assert "Feil kode" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    right = client.post("/konto/2fa/authenticate/", {"code": totp(SECRET)})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_employees_need_no_second_factor_and_may_set_one_up(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    make_user("employee")
    assert password_login(client, "employee").status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/konto/2fa/totp/activate/").status_code == 200
    assert "/konto/2fa/" in client.get("/konto/innstillinger/").content.decode()


def test_the_embedded_default_does_not_require_totp_for_the_demo_admin(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    make_user("admin", is_staff=True, is_superuser=True)
    assert password_login(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_sends_people_to_ours(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/admin/"


def test_local_login_off_hides_the_form_and_refuses_all_but_superusers(client, settings):
    settings.LOCAL_LOGIN = False
    settings.MFA_REQUIRED_FOR_STAFF = False
    make_user("employee")
    make_user("breakglass", is_staff=True, is_superuser=True)
    page = client.get("/konto/login/").content.decode()
    assert 'name="password"' not in page
    assert 'name="password"' in client.get("/konto/login/?lokal=1").content.decode()

    refused = password_login(client, "employee")
    assert refused.status_code == 200
    assert "Innlogging med passord er slått av" in refused.content.decode()
    assert client.get("/").status_code == 302

    assert password_login(client, "breakglass").status_code == 302
    assert client.get("/admin/").status_code == 200
