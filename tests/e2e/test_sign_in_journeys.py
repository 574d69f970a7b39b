"""Signing in on a phone: the admin's first password sign-in goes through setting up the
authenticator app, and the page with the QR code fits 390 px without WCAG violations."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, axe_violations, describe, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp(secret: str) -> str:
    counter = int(time.time()) // 30
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[start : start + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_admin_sets_up_the_authenticator_app_on_a_phone(org, new_page, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    page = new_page(viewport=PHONE)
    login(page, org.admin.username)
    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sett opp tofaktorinnlogging")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Kode fra autentiseringsappen").fill(totp(secret))
    page.get_by_role("button", name="Slå på").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tofaktorinnlogging")
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()


def test_login_page_with_two_identity_providers_fits_a_phone(db, new_page):
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="entra",
        name="Microsoft Entra ID",
        client_id="qms",
        settings={"server_url": "https://login.microsoftonline.com/tenant/v2.0"},
    )
    SocialApp.objects.create(
        provider="saml",
        provider_id="https://adfs.kommune.no/adfs/services/trust",
        name="Pålogging for vikarer og innleide",
        client_id="kommune",
        settings={"idp": {"entity_id": "https://adfs.kommune.no/adfs/services/trust"}},
    )
    page = new_page(viewport=PHONE)
    page.goto("/konto/login/")
    expect(page.get_by_role("link", name="Logg inn med Microsoft Entra ID")).to_be_visible()
    expect(
        page.get_by_role("link", name="Logg inn med Pålogging for vikarer og innleide")
    ).to_be_visible()
    expect(page.get_by_label("Passord")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = axe_violations(page)
    assert violations == [], describe(violations)
