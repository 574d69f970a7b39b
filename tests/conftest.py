"""Shared fixtures: a small organisation with every role the permission table names.

Kommune (root)            leader: chief
  Sektor A                leader: leader_a
    Enhet A1              leader: leader_a1, employees: employee_a1
      Avdeling A1x        (no leader: the nearest leader is leader_a1), employee_a1x
    Enhet A2              leader: leader_a2
  Sektor B                leader: leader_b
    Enhet B1              leader: leader_b1, employees: employee_b1
advisor (quality_advisor), committee (quality_committee scoped to Sektor A), admin
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from qms.models import Membership, OrgUnit, User


@dataclass
class Org:
    root: OrgUnit
    sector_a: OrgUnit
    unit_a1: OrgUnit
    dept_a1x: OrgUnit
    unit_a2: OrgUnit
    sector_b: OrgUnit
    unit_b1: OrgUnit
    chief: User
    leader_a: User
    leader_a1: User
    leader_a2: User
    leader_b: User
    leader_b1: User
    employee_a1: User
    employee_a1x: User
    employee_b1: User
    advisor: User
    committee: User
    admin: User


def make_user(username: str, unit: OrgUnit | None = None, role: str = "employee", **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw",
        email=f"{username}@example.no",
        first_name=username.replace("_", " ").title(),
        **extra,
    )
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def add_child(parent: OrgUnit, code: str, name: str, kind: str = "unit") -> OrgUnit:
    child = OrgUnit.objects.add_child(parent, {"code": code, "name": name, "kind": kind})
    parent.refresh_from_db()
    return child


def ensure_document_types() -> None:
    """The document types the data migration creates; a transactional test's flush empties
    every table, so the tests after it get them back here (the migration's own function)."""
    from django.apps import apps

    from documents.defaults import migrate_documents

    migrate_documents(apps)


def build_org() -> Org:
    """The organisation above, built in the current transaction (the fixture, or a module's
    shared data such as the authorization matrix's)."""
    ensure_document_types()
    root = OrgUnit.objects.add_root({"code": "kommune", "name": "Kommune", "kind": "municipality"})
    sector_a = add_child(root, "sektor-a", "Sektor A", "sector")
    sector_b = add_child(root, "sektor-b", "Sektor B", "sector")
    unit_a1 = add_child(sector_a, "enhet-a1", "Enhet A1")
    unit_a2 = add_child(sector_a, "enhet-a2", "Enhet A2")
    dept_a1x = add_child(unit_a1, "avd-a1x", "Avdeling A1x", "department")
    unit_b1 = add_child(sector_b, "enhet-b1", "Enhet B1")
    for unit in (root, sector_a, sector_b, unit_a1, unit_a2, dept_a1x, unit_b1):
        unit.refresh_from_db()

    committee = make_user("committee", sector_a, "committee")
    committee.groups.add(Group.objects.get_or_create(name="quality_committee")[0])
    advisor = make_user("advisor")
    advisor.groups.add(Group.objects.get_or_create(name="quality_advisor")[0])
    admin = make_user("admin", is_superuser=True, is_staff=True)
    return Org(
        root=root,
        sector_a=sector_a,
        unit_a1=unit_a1,
        dept_a1x=dept_a1x,
        unit_a2=unit_a2,
        sector_b=sector_b,
        unit_b1=unit_b1,
        chief=make_user("chief", root, "leader"),
        leader_a=make_user("leader_a", sector_a, "leader"),
        leader_a1=make_user("leader_a1", unit_a1, "leader"),
        leader_a2=make_user("leader_a2", unit_a2, "leader"),
        leader_b=make_user("leader_b", sector_b, "leader"),
        leader_b1=make_user("leader_b1", unit_b1, "leader"),
        employee_a1=make_user("employee_a1", unit_a1),
        employee_a1x=make_user("employee_a1x", dept_a1x),
        employee_b1=make_user("employee_b1", unit_b1),
        advisor=advisor,
        committee=committee,
        admin=admin,
    )


@pytest.fixture
def org(db) -> Org:
    return build_org()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` returns the test client signed in as ``user``."""

    def _login(user: User):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_for():
    """``api_for(user)`` returns a DRF APIClient authenticated as ``user`` (None = anonymous)."""
    from rest_framework.test import APIClient

    def _client(user: User | None):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return _client


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in another language leaves it active in the thread (LocaleMiddleware does not
    undo it); put the default back so the next test does not run in English."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from qms.models import SiteSettings
    from qms.site import CACHE_KEY, cache_values, forget_local_copy

    # As in a running site, the municipality's settings are in the cache already: a query count
    # does not depend on whether a test's first request happened to read them.
    cache.set(CACHE_KEY, cache_values(SiteSettings(pk=1)), None)
    forget_local_copy()
    yield
    translation.activate(settings.LANGUAGE_CODE)
    # The municipality's settings are cached (qms.site); a rolled-back row must not outlive its test.
    cache.delete(CACHE_KEY)
    forget_local_copy()


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``make test`` runs ``--dist loadgroup``), the tests that talk to the
    shared Redis broker or serve the app with its production settings (which enqueue on that
    broker) run on one worker, one after another: two Celery workers on one queue would take each
    other's tasks. Everything else is independent (own test database per worker, local cache)."""
    for item in items:
        if item.get_closest_marker("celery_worker") or item.get_closest_marker("production"):
            item.add_marker(pytest.mark.xdist_group("shared-broker"))


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider in its own process (tests/oidc_provider.py)."""
    from tests.oidc_provider import OIDCProvider

    provider = OIDCProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def oidc_app(db, oidc_provider):
    """qms set up to sign in through ``oidc_provider``, matching users on the ``oid`` claim."""
    from allauth.socialaccount.models import SocialApp
    from django.urls import reverse

    from tests.oidc_provider import PROVIDER_ID

    oidc_provider.misbehave("normal")
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name="Entra ID",
        client_id=oidc_provider.client_id,
        secret=oidc_provider.client_secret,
        settings=oidc_provider.app_settings(claim="oid"),
    )
    app.login_url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    return app


@pytest.fixture(scope="session")
def saml_idp():
    """A real SAML 2.0 identity provider in its own process (tests/saml_idp.py)."""
    from tests.saml_idp import SAMLIdentityProvider

    idp = SAMLIdentityProvider().start()
    yield idp
    idp.stop()


@pytest.fixture
def saml_app(db, saml_idp):
    """qms set up to sign in through ``saml_idp``, matching users on the NameID."""
    from allauth.socialaccount.models import SocialApp
    from django.urls import reverse

    from tests.saml_idp import ORGANISATION

    saml_idp.misbehave("normal")
    app = SocialApp.objects.create(
        provider="saml",
        provider_id=saml_idp.entity_id,
        name="Kommunens IdP",
        client_id=ORGANISATION,
        settings=saml_idp.app_settings(),
    )
    app.login_url = reverse("saml_login", kwargs={"organization_slug": ORGANISATION})
    app.acs_url = reverse("saml_acs", kwargs={"organization_slug": ORGANISATION})
    return app
