"""Every (route, method) × every role: the expected status code, and for lists which objects
appear (see tests/authz.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve

import tests
from tests.authz import EXEMPT, EXEMPT_PREFIXES, IMPLIED_METHODS, ROLES, Row, listed, role_users
from tests.conftest import build_org


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


def _patterns(resolver=None, namespace: str = ""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def _declared_methods(func) -> list[str] | None:
    """The methods a ``require_http_methods`` (``require_POST``, ``require_GET``...) decorator
    somewhere in the wrapper chain lets through, or None when there is none."""
    while func is not None:
        code = getattr(func, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = func.__closure__[code.co_freevars.index("request_method_list")]
            return list(cell.cell_contents)
        func = getattr(func, "__wrapped__", None)
    return None


def accepted_methods(callback) -> set[str]:
    """The HTTP methods (lower case) a URL pattern's view runs a handler for.

    DRF viewsets: the router's method → action map, as far as ``http_method_names`` allows.
    Class-based views (Django's and DRF's APIView): the handlers the class implements. Function
    views: their ``require_http_methods`` decorator; an undecorated function runs for every
    method and tells them apart only where it reads ``request.method`` or ``request.POST``, so it
    accepts GET and POST when it does, and answers anything else as GET when it does not.
    """
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    actions = getattr(callback, "actions", None)
    if view_class is not None and actions:
        methods = {m for m in actions if m in view_class.http_method_names}
    elif view_class is not None:
        methods = {m for m in view_class.http_method_names if hasattr(view_class, m)}
    elif (declared := _declared_methods(callback)) is not None:
        methods = {m.lower() for m in declared}
    else:
        source = inspect.getsource(inspect.unwrap(callback))
        reads = re.search(r"request\.(method|POST|FILES)\b", source)
        methods = {"get", "post"} if reads else {"get"}
    return methods - IMPLIED_METHODS


def route_methods() -> dict[str, set[str]]:
    """URL name → every method its patterns accept (a name may have several patterns)."""
    routes: dict[str, set[str]] = {}
    for name, callback in _patterns():
        if name in EXEMPT or name.startswith(EXEMPT_PREFIXES):
            continue
        routes.setdefault(name, set()).update(accepted_methods(callback))
    return routes


def test_every_route_and_method_has_a_row():
    covered = {(row.name, row.method) for row in ROWS}
    missing = sorted(
        f"{method.upper()} {name}"
        for name, methods in route_methods().items()
        for method in methods
        if (name, method) not in covered
    )
    assert missing == [], "add rows to tests/<app>/authz.py for: " + ", ".join(missing)


def test_method_derivation_reads_the_view():
    """The derivation the coverage test stands on, pinned on views of each kind."""
    routes = route_methods()
    assert routes["deviations:start"] == {"post"}  # require_POST
    assert routes["annual_wheel:index"] == {"get"}  # require_GET
    assert routes["reports:report_list"] == {"get", "post"}  # require_http_methods
    assert routes["deviations:report"] == {"get", "post"}  # reads request.method
    assert routes["deviations:detail"] == {"get"}  # never reads it
    assert routes["logout"] == {"post"}  # LogoutView.http_method_names
    assert routes["riskitem-detail"] == {"get", "patch", "delete"}  # viewset actions
    assert routes["api-me"] == {"get"}  # APIView handlers


def test_no_row_is_for_a_route_that_does_not_exist():
    routes = route_methods()
    unknown = sorted({row.id for row in ROWS if row.name not in routes})
    assert unknown == []


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The organisation and every module's objects, built once for the module's thousands of
    cases in a transaction rolled back at the end; each case runs in its own savepoint (the
    ``db`` fixture), so a POST that changes something is undone before the next case."""
    with django_db_blocker.unblock(), transaction.atomic():
        org = build_org()
        users = role_users(org)
        ctx = {"org": org, "users": users}
        for module in MODULES:
            if hasattr(module, "objects"):
                ctx.update(module.objects(org, users))
        yield ctx
        transaction.set_rollback(True)


def _request(client, row: Row, ctx: dict):
    data = row.data(ctx) if row.data else {}
    url = row.url(ctx)
    assert resolve(urlsplit(url).path).view_name == row.name, f"{url} is not {row.name}"
    if row.api and row.method != "get" and not row.multipart:
        return getattr(client, row.method)(url, data, content_type="application/json")
    if row.method in ("put", "patch", "delete"):
        return getattr(client, row.method)(url, data, content_type="application/json")
    return getattr(client, row.method)(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_status(row: Row, role: str, world, client):
    cache.clear()  # rate limits count per client address across cases
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = _request(client, row, world)
    expected = row.status_for(role)
    assert response.status_code == expected, (
        f"{row.id} as {role}: expected {expected}, got {response.status_code}"
    )
    if row.among and expected == 200:
        visible = row.visible_for(role)
        wrong = {
            key: ("missing" if key in visible else "leaked")
            for key in row.among
            if listed(response, world[key], row) != (key in visible)
        }
        assert wrong == {}, f"{row.id} as {role}: {wrong}"
