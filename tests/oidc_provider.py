"""A real OpenID Connect provider for tests: node's ``oidc-provider`` in its own process
(tests/oidc_provider.mjs), on a free port, with one confidential client for qms.

Fixtures in tests/conftest.py: ``oidc_provider`` (the running provider, one per test session)
and ``oidc_app`` (qms configured to use it, as the admin's "Sosiale applikasjoner" would). A
test says who signs in and walks the browser's part of the flow::

    oidc_provider.sign_in_as(sub="s-1", oid="0f3c...", name="Kari Nordmann")
    start = client.get(oidc_app.login_url)                 # qms sends the browser to the provider
    callback = oidc_provider.authorize(start["Location"])  # the provider signs Kari in
    response = client.get(callback)                        # qms checks the answer and signs in

``oidc_provider.misbehave("foreign-key" | "wrong-audience" | "expired")`` spoils the next ID
token the token endpoint hands out.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "kvalitetssystem"
CLIENT_SECRET = "oidc-test-client-secret"  # noqa: S105
PROVIDER_ID = "entra"
CALLBACK_PATH = f"/konto/sso/oidc/{PROVIDER_ID}/login/callback/"
REDIRECT_URIS = [f"http://testserver{CALLBACK_PATH}"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OIDCProvider:
    def __init__(self, redirect_uris: list[str] | None = None):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.redirect_uris = redirect_uris or REDIRECT_URIS
        self.process: subprocess.Popen | None = None
        self.http = requests.Session()
        self.http.trust_env = False

    def start(self) -> OIDCProvider:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is needed for the OpenID Connect provider (scripts/setup.sh)")
        self.process = subprocess.Popen(
            [node, str(SCRIPT), str(self.port), CLIENT_ID, CLIENT_SECRET, *self.redirect_uris],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oidc provider exited: {self.process.stdout.read()}")
            try:
                self.http.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("oidc provider did not start within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _post(self, path: str, data: dict) -> None:
        response = self.http.post(f"{self.issuer}{path}", data=json.dumps(data), timeout=5)
        response.raise_for_status()

    def sign_in_as(self, **claims) -> None:
        """The person the provider signs in at the next authorization request. The browser's
        session at the provider is forgotten, as a new browser would be: the provider would
        otherwise sign in whoever an earlier test left signed in there."""
        self.http.cookies.clear()
        self._post("/__test__/account", claims)

    def misbehave(self, mode: str) -> None:
        """Spoil the next ID token: "foreign-key", "wrong-audience" or "expired"."""
        self._post("/__test__/mode", {"mode": mode})

    def authorize(self, url: str) -> str:
        """Follow the provider's redirects as a browser would, up to the redirect back to qms;
        returns that path with its query (code, state) for the Django test client."""
        for _ in range(10):
            response = self.http.get(url, allow_redirects=False, timeout=10)
            location = response.headers.get("Location")
            if response.status_code not in (302, 303) or not location:
                raise AssertionError(f"provider answered {response.status_code}: {response.text}")
            if location.startswith("/"):
                location = f"{self.issuer}{location}"
            if not location.startswith(self.issuer):
                parts = urlsplit(location)
                return f"{parts.path}?{parts.query}"
            url = location
        raise AssertionError("too many redirects at the provider")

    def app_settings(self, claim: str = "oid") -> dict:
        """The SocialApp settings that point qms at this provider."""
        return {
            "server_url": self.issuer,
            "uid_field": claim,
            "fetch_userinfo": False,
            "oauth_pkce_enabled": True,
        }
