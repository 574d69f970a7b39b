"""The settings switch: embedded default vs. production environment (run in subprocesses)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL,"
    "'debug': settings.DEBUG, 'email': settings.EMAIL_BACKEND, 'tz': settings.TIME_ZONE,"
    "'lang': settings.LANGUAGE_CODE, 'hsts': getattr(settings, 'SECURE_HSTS_SECONDS', 0),"
    "'secure_cookie': settings.SESSION_COOKIE_SECURE}))"
)

CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_HOST",
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
}


def run(env: dict, code: str = PROBE, args: list[str] | None = None):
    full = {
        **CLEAN,
        "DJANGO_SETTINGS_MODULE": "qms.settings",
        "QMS_VAR_DIR": str(ROOT / "var" / "probe"),
        **env,
    }
    cmd = [sys.executable, *(args or ["-c", code])]
    return subprocess.run(cmd, cwd=ROOT, env=full, capture_output=True, text=True, timeout=120)


def test_embedded_default_without_any_environment():
    result = run({})
    assert result.returncode == 0, result.stderr
    cfg = json.loads(result.stdout)
    assert cfg["engine"] == "django.db.backends.sqlite3"
    assert cfg["eager"] is True
    assert cfg["debug"] is True
    assert cfg["email"].endswith("console.EmailBackend")
    assert cfg["tz"] == "Europe/Oslo"
    assert cfg["lang"] == "nb"


def test_production_environment_uses_postgres_and_redis():
    result = run(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qms",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "kvalitet.example.no",
        }
    )
    assert result.returncode == 0, result.stderr
    cfg = json.loads(result.stdout)
    assert cfg["engine"] == "django.db.backends.postgresql"
    assert cfg["eager"] is False
    assert cfg["broker"] == "redis://127.0.0.1:6379/0"
    assert cfg["debug"] is False
    assert cfg["hsts"] >= 31536000
    assert cfg["secure_cookie"] is True


def test_production_refuses_to_start_without_secret_key():
    result = run({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qms"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_invalid_boolean_is_an_error():
    result = run({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = run(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qms",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "SECRET_KEY": "k3y-" + "z" * 60,
            "ALLOWED_HOSTS": "kvalitet.example.no",
            "SITE_URL": "https://kvalitet.example.no",
        },
        args=["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_uploads_go_to_an_s3_bucket_when_the_environment_says_so():
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = run(
        {
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": "qms-vedlegg",
            "S3_ENDPOINT_URL": "https://s3.kommune.example",
            "S3_ADDRESSING_STYLE": "path",
        },
        code=code,
    )
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "qms-vedlegg"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.kommune.example"
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["file_overwrite"] is False


def test_s3_storage_without_a_bucket_refuses_to_start():
    result = run({"MEDIA_STORAGE": "s3"})
    assert result.returncode != 0
    assert "S3_BUCKET" in result.stderr


ENV_READ = re.compile(r"""env_(?:str|bool|int|float|list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def test_readme_and_env_example_name_every_setting_the_code_reads():
    """A setting added to the code without a line in the README's Production table and in
    .env.example fails here."""
    read = {
        name
        for path in ROOT.glob("**/*.py")
        if not {"node_modules", ".venv", "tests"} & set(path.relative_to(ROOT).parts)
        for name in ENV_READ.findall(path.read_text(encoding="utf-8"))
    }
    assert {"SECRET_KEY", "DATABASE_URL", "MEDIA_STORAGE"} <= read
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    production = readme[readme.index("## Production") : readme.index("## Layout")]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", production))
    example = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert read - documented == set()
    assert read - example == set()
    # ... and every variable compose and Caddy read from .env (escaped $${...} is the shell's).
    compose, caddyfile = (
        "\n".join(
            line
            for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
            if not line.strip().startswith("#")
        )
        for name in ("docker-compose.yml", "Caddyfile")
    )
    deployment = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", compose)) | set(
        re.findall(r"\{\$([A-Z][A-Z0-9_]*)", caddyfile)
    )
    assert {"POSTGRES_PASSWORD", "QMS_DOMAIN", "QMS_UPSTREAMS"} <= deployment
    assert deployment - documented == set()
    assert deployment - example == set()


@pytest.mark.parametrize(
    ("site_url", "error"),
    [
        (None, "qms.E001"),  # the development default http://127.0.0.1:8000
        ("https://annen.example.no", "qms.E002"),
    ],
)
def test_production_refuses_to_start_without_its_own_site_url(site_url, error):
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qms",
        "SECRET_KEY": "k3y-" + "z" * 60,
        "ALLOWED_HOSTS": "kvalitet.example.no",
    }
    if site_url:
        env["SITE_URL"] = site_url
    result = run(env, args=["manage.py", "check"])
    assert result.returncode != 0
    assert error in result.stderr


SSO_PROBE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'providers': settings.SOCIALACCOUNT_PROVIDERS, "
    "'mfa': settings.MFA_REQUIRED_FOR_STAFF, 'local': settings.LOCAL_LOGIN}))"
)


def test_single_sign_on_comes_from_the_environment():
    embedded = json.loads(run({}, code=SSO_PROBE).stdout)
    assert embedded == {"providers": {}, "mfa": False, "local": True}
    result = run(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qms",
            "SECRET_KEY": "x" * 60,
            "OIDC_ISSUER": "https://login.microsoftonline.com/tenant/v2.0",
            "OIDC_CLIENT_ID": "client",
            "OIDC_CLIENT_SECRET": "secret",
            "OIDC_CLAIM": "oid",
            "SAML_METADATA_URL": "https://adfs.kommune.no/metadata.xml",
            "SAML_ENTITY_ID": "https://adfs.kommune.no/adfs/services/trust",
            "LOCAL_LOGIN": "false",
        },
        code=SSO_PROBE,
    )
    assert result.returncode == 0, result.stderr
    cfg = json.loads(result.stdout)
    assert cfg["mfa"] is True
    assert cfg["local"] is False
    (oidc,) = cfg["providers"]["openid_connect"]["APPS"]
    assert oidc["provider_id"] == "entra"
    assert oidc["client_id"] == "client"
    assert oidc["settings"]["server_url"] == "https://login.microsoftonline.com/tenant/v2.0"
    assert oidc["settings"]["uid_field"] == "oid"
    (saml,) = cfg["providers"]["saml"]["APPS"]
    assert saml["settings"]["idp"]["metadata_url"] == "https://adfs.kommune.no/metadata.xml"
    assert saml["settings"]["advanced"]["want_assertion_signed"] is True


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """JIT compiled the permission layer's plans for 2.2 s each at the reference size (the plans'
    estimated cost is high, their run is milliseconds): every connection of the app turns it off."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
