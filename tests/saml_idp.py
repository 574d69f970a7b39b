"""A real SAML 2.0 identity provider for tests: node's ``samlify`` in its own process
(tests/saml_idp.mjs), signing with a certificate qms is told to trust, or on request with one
it does not know.

Fixtures in tests/conftest.py: ``saml_idp`` (the running IdP) and ``saml_app`` (qms set up to
use it, matching users on the NameID)::

    saml_idp.sign_in_as("0f3c...")                         # the NameID the IdP asserts
    start = client.get(saml_app.login_url)                 # qms sends an AuthnRequest
    form = saml_idp.authorize(start["Location"])           # the IdP answers with a signed Response
    response = client.post(saml_app.acs_url, form, follow=True)
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.oidc_provider import free_port

SCRIPT = Path(__file__).with_name("saml_idp.mjs")
ORGANISATION = "kommune"
SP_BASE = f"http://testserver/konto/sso/saml/{ORGANISATION}"


def key_and_certificate(name: str) -> tuple[str, str]:
    """A fresh RSA key and a self-signed certificate for it, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


class SAMLIdentityProvider:
    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.entity_id = f"{self.base}/metadata"
        self.sso_url = f"{self.base}/sso"
        self.key, self.cert = key_and_certificate("Kommunens IdP")
        self.process: subprocess.Popen | None = None
        self.http = requests.Session()
        self.http.trust_env = False
        self._dir = tempfile.TemporaryDirectory()

    def start(self) -> SAMLIdentityProvider:
        rogue_key, rogue_cert = key_and_certificate("Ukjent IdP")
        keys = Path(self._dir.name) / "keys.json"
        keys.write_text(
            json.dumps(
                {
                    "key": self.key,
                    "cert": self.cert,
                    "rogueKey": rogue_key,
                    "rogueCert": rogue_cert,
                    "spEntityId": f"{SP_BASE}/metadata/",
                    "acsUrl": f"{SP_BASE}/acs/",
                }
            )
        )
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is needed for the SAML identity provider (scripts/setup.sh)")
        self.process = subprocess.Popen(
            [node, str(SCRIPT), str(self.port), str(keys)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"SAML IdP exited: {self.process.stdout.read()}")
            try:
                self.http.get(f"{self.base}/ping", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("SAML IdP did not start within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self._dir.cleanup()

    def _post(self, path: str, data: dict) -> None:
        self.http.post(f"{self.base}{path}", data=json.dumps(data), timeout=5).raise_for_status()

    def sign_in_as(self, name_id: str) -> None:
        self._post("/__test__/account", {"nameId": name_id})

    def misbehave(self, mode: str) -> None:
        """ "foreign-key": sign the next Response with a key qms does not trust."""
        self._post("/__test__/mode", {"mode": mode})

    def authorize(self, url: str) -> dict:
        """The form the IdP's page would post to qms's ACS: SAMLResponse and RelayState."""
        response = self.http.get(url, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def app_settings(self) -> dict:
        return {
            "attribute_mapping": {},  # the NameID is the stable id
            "idp": {"entity_id": self.entity_id, "sso_url": self.sso_url, "x509cert": self.cert},
            "advanced": {
                "want_assertion_signed": True,
                "want_attribute_statement": False,
                "allow_single_label_domains": True,  # the test client's host, "testserver"
            },
        }
