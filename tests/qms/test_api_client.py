"""The API schema as a real client reads it: a client generated from /api/schema/ with
openapi-python-client imports, and every list and detail response of the demo data parses in
that client and conforms to the schema (schemathesis' response check: types, enums, nulls).

The client is generated once per session; the walk runs against pytest-django's live server.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
import pytest
import schemathesis
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from drf_spectacular.views import SpectacularAPIView
from rest_framework.test import APIRequestFactory, force_authenticate

from deviations.models import Deviation
from qms.demo import DEMO_PASSWORD
from qms.models import User

PACKAGE = "qms_generated_client"
PARAM = re.compile(r"\{([^}]+)\}")


@pytest.fixture(scope="session")
def schema(django_db_setup, django_db_blocker) -> dict:
    """What GET /api/schema/?format=json gives a signed-in user (one rolled back afterwards:
    the viewsets build their querysets for that user to type the path parameters)."""
    with django_db_blocker.unblock(), transaction.atomic():
        request = APIRequestFactory().get("/api/schema/", {"format": "json"})
        force_authenticate(request, user=User.objects.create_user("schema-reader"))
        response = SpectacularAPIView.as_view()(request)
        response.render()
        transaction.set_rollback(True)
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture(scope="session")
def client_package(schema, tmp_path_factory):
    """The generated package, importable as ``PACKAGE`` (generation warnings fail the test)."""
    root = tmp_path_factory.mktemp("api_client")
    (root / "openapi.json").write_text(json.dumps(schema))
    # A PDF download is binary to the client, as application/octet-stream would be.
    (root / "config.yaml").write_text(
        f"package_name_override: {PACKAGE}\npost_hooks: []\n"
        "content_type_overrides:\n  application/pdf: application/octet-stream\n"
    )
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(root / "openapi.json"),
            "--config",
            str(root / "config.yaml"),
            "--output-path",
            str(root / PACKAGE),
            "--meta",
            "none",
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    yield importlib.import_module(PACKAGE)
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def test_every_generated_module_imports(client_package):
    failures = []
    names = [m.name for m in pkgutil.walk_packages(client_package.__path__, f"{PACKAGE}.")]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # each failure is reported below
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    assert f"{PACKAGE}.api.v1.v1_deviations_create" in names
    assert failures == []


def test_every_enum_has_an_english_name_and_filters_refer_to_it(schema):
    """Inline filter enums get a class named after the operation and the Norwegian label
    (``V1UnitsListNivå``), and unnamed choice sets a hash on collision."""
    named = set(settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])
    enums = {
        name
        for name, component in schema["components"]["schemas"].items()
        if "enum" in component and name not in ("BlankEnum", "NullEnum")
    }
    assert enums - named == set()
    inline = [
        f"{operation['operationId']}?{parameter['name']}"
        for item in schema["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if "enum" in parameter["schema"].get("items", parameter["schema"])
    ]
    assert inline == []


class Walk:
    """Every GET operation of the schema through the generated client: lists page by page, each
    listed row's detail, then the lists nested under a detail (the actions of a deviation).

    A detail that shows its rows as the list does (same component) is fetched once; the list
    already carried every row through that serializer."""

    def __init__(self, schema: dict, package, base_url: str, token: str):
        self.schema = schema
        self.package = package
        self.checked = schemathesis.openapi.from_dict(schema)
        self.responses: list[httpx.Response] = []
        self.client = package.AuthenticatedClient(
            base_url=base_url,
            token=token,
            prefix="Token",
            raise_on_unexpected_status=True,
            httpx_args={"event_hooks": {"response": [self._keep]}},
        )
        self.operations = {
            PARAM.sub("{}", path): (path, item["get"])
            for path, item in schema["paths"].items()
            if "get" in item
        }
        self.calls = dict.fromkeys(self.operations, 0)
        self.rows: dict[str, list[tuple]] = {}

    def _keep(self, response: httpx.Response) -> None:
        response.read()
        self.responses.append(response)

    def get(self, pattern: str, values: tuple, **query):
        path, operation = self.operations[pattern]
        module = importlib.import_module(
            f"{self.package.__name__}.api.{operation['tags'][0]}.{operation['operationId']}"
        )
        kwargs = dict(zip(PARAM.findall(path), values, strict=True))
        result = module.sync_detailed(client=self.client, **kwargs, **query)
        raw = self.responses[-1]
        assert result.status_code == 200, (raw.url, result.content[:300])
        self.checked[path]["GET"].validate_response(raw)
        if self._binary(pattern):  # a file (a version's PDF): its bytes, not JSON
            assert raw.content.startswith(b"%PDF-"), raw.url
            self.calls[pattern] += 1
            return None
        assert_no_undeclared_keys(result.parsed, str(raw.url))
        self.calls[pattern] += 1
        return raw.json()

    def run(self) -> None:
        for pattern in sorted((p for p in self.operations if not p.endswith("{}/")), key=_depth):
            parent = pattern.rsplit("/", 2)[0] + "/"
            found = self.rows.get(parent, []) if "{}" in pattern else [()]
            # A file is rendered for one row (a PDF per version of every document is slow).
            for values in found[:1] if self._binary(pattern) else found:
                self.read_list(pattern, values)

    def _binary(self, pattern: str) -> bool:
        return "application/json" not in self.operations[pattern][1]["responses"]["200"]["content"]

    def read_list(self, pattern: str, values: tuple) -> None:
        detail = pattern + "{}/"
        key = PARAM.findall(self.operations[detail][0])[-1] if detail in self.operations else None
        every_row = key and self._component(pattern, row=True) != self._component(detail)
        query: dict = {}
        while True:
            body = self.get(pattern, values, **query)
            if body is None:
                return  # a file
            if isinstance(body, dict) and "results" not in body:
                return  # one object (me, statistics)
            for row in body["results"] if isinstance(body, dict) else body:
                if key:
                    self.rows.setdefault(detail, []).append((*values, row[key]))
                    if every_row or not self.calls[detail]:
                        self.get(detail, (*values, row[key]))
            if not isinstance(body, dict) or not body.get("next"):
                return
            query = {k: int(v[0]) if k == "page" else v[0] for k, v in _query(body["next"])}

    def _component(self, pattern: str, row: bool = False) -> str:
        """The component a 200 response shows (``row``: a list's rows)."""
        operation = self.operations[pattern][1]
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        if row and "items" in body:
            body = body["items"]
        elif row:
            body = self._resolve(body)["properties"]["results"]["items"]
        return body["$ref"]

    def _resolve(self, schema: dict) -> dict:
        return self.schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]


def _depth(pattern: str) -> int:
    return pattern.count("{}")


def _query(url: str):
    return parse_qs(urlsplit(url).query).items()


def assert_no_undeclared_keys(parsed, where: str) -> None:
    """A generated model keeps keys its schema does not name in ``additional_properties``:
    any there is a field the schema keeps quiet about."""
    if isinstance(parsed, list):
        for item in parsed:
            assert_no_undeclared_keys(item, where)
        return
    extra = getattr(parsed, "additional_properties", None)
    if extra is None:
        return
    assert extra == {}, (where, type(parsed).__name__, sorted(extra))
    for field in attrs.fields(type(parsed)):
        assert_no_undeclared_keys(getattr(parsed, field.name), where)


# The demo creates what it needs (groups, categories) itself, so an earlier transactional test's
# flush of the migrations' rows does not matter (serialized_rollback collides with post_migrate's
# content types after such a flush).
@pytest.mark.django_db(transaction=True)
def test_demo_data_reads_back_through_the_generated_client(schema, client_package, live_server):
    call_command("seed_demo", stdout=StringIO())
    login = importlib.import_module(f"{PACKAGE}.api.v1.v1_token_create")
    request = importlib.import_module(f"{PACKAGE}.models").BoundedAuthTokenRequest
    anonymous = client_package.Client(base_url=live_server.url)
    # A unit leader: the demo's 55 cases of a nursing home, personal-data cases included.
    token = login.sync(client=anonymous, body=request(username="leder", password=DEMO_PASSWORD))
    walk = Walk(schema, client_package, live_server.url, token.token)
    walk.run()
    assert [pattern for pattern, count in walk.calls.items() if not count] == []
    visible = Deviation.objects.restrict(User.objects.get(username="leder"), "view")
    assert len(walk.rows["/api/v1/deviations/{}/"]) == visible.count() > 50
