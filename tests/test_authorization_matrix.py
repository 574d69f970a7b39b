"""Every URL pattern × every role: the expected status code (see tests/authz.py)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.authz import EXEMPT, EXEMPT_PREFIXES, ROLE_USER, ROLES, Row


def _modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            yield importlib.import_module(f"tests.{info.name}.authz")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{info.name}.authz":
                raise


MODULES = list(_modules())
ROWS: list[Row] = [row for module in MODULES for row in module.ROWS]


def _pattern_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _pattern_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_pattern_has_a_row():
    covered = {row.name for row in ROWS}
    missing = sorted(
        name
        for name in _pattern_names()
        if name not in covered and name not in EXEMPT and not name.startswith(EXEMPT_PREFIXES)
    )
    assert missing == [], "add rows to tests/<app>/authz.py for: " + ", ".join(missing)


class _Context(dict):
    """The objects rows address, built module by module only when a row asks for one.

    Building every module's objects for each of the thousands of cases made the matrix the
    slowest part of the suite; most rows need only their own module's objects.
    """

    def __init__(self, org):
        super().__init__(org=org)
        self._pending = [module for module in MODULES if hasattr(module, "objects")]

    def __missing__(self, key):
        while self._pending:
            self.update(self._pending.pop(0).objects(self["org"]))
            if key in self:
                return self[key]
        raise KeyError(key)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_status(row: Row, role: str, org, client):
    ctx = _Context(org)
    if role != "anonymous":
        client.force_login(getattr(org, ROLE_USER[role]))
    data = row.data(ctx) if row.data else {}
    url = row.url(ctx)
    if row.api and row.method != "get":
        response = getattr(client, row.method)(url, data, content_type="application/json")
    else:
        response = getattr(client, row.method)(url, data)
    expected = row.status_for(role)
    assert response.status_code == expected, (
        f"{row.id} as {role}: expected {expected}, got {response.status_code}"
    )
