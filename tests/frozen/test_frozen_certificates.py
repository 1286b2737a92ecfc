"""The frozen app verifies TLS on a distribution that keeps its certificates elsewhere than the build machine's.

The bundle's OpenSSL (Debian's here) looks in /usr/lib/ssl → /etc/ssl/certs. In a private mount namespace
/etc/ssl is replaced by an empty tmpfs, so that place is gone, as on Fedora, openSUSE or Arch; the app must
then find the system's bundle where such a distribution keeps it (openSUSE's /etc/ssl/ca-bundle.pem, holding
this test's own CA). An HTTPS server with a certificate from that CA answers 401: reaching the 401 shows the
bundle was found and verification passed. (certifi's fallback cannot be told apart from no certificates at
all without a public server; tests/unit/test_ca_certificates.py covers the choice.)
Opt-in, like test_frozen_app.py (INGRESS_STUDIO_FROZEN); needs root for the mount namespace."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import os
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

FROZEN = os.environ.get("INGRESS_STUDIO_FROZEN", "")
pytestmark = [
    pytest.mark.skipif(not FROZEN, reason="set INGRESS_STUDIO_FROZEN to a frozen ingress-studio to test it"),
    pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs root and unshare"),
]


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca_and_server_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """(the CA's certificate, the server's certificate, its key): a CA of this test's own, and a certificate
    it signs for 127.0.0.1."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Ingress Studio test CA"))
        .issuer_name(_name("Ingress Studio test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server-key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return paths


class Unauthorized(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(its URL, the CA certificate that its certificate chains to)."""
    ca, certificate, key = make_ca_and_server_certificate(tmp_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unauthorized)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", ca
    server.shutdown()
    server.server_close()


def list_without_debians_certificate_folder(url: str, system_bundle: Path, home: Path) -> str:
    """`ingress list` against `url`, with /etc/ssl emptied and `system_bundle` at openSUSE's place."""
    place = f"cp {system_bundle} /etc/ssl/ca-bundle.pem && "
    frozen = Path(FROZEN).absolute()
    script = (
        f"mount -t tmpfs none /etc/ssl && {place}"
        f"exec env -i HOME={home} PATH=/usr/bin:/bin {frozen} ingress list --url {url} --api-key k --api-secret s"
    )
    result = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stderr


def test_the_systems_bundle_in_another_distributions_place_is_trusted(
    https_server: tuple[str, Path], tmp_path: Path
) -> None:
    url, ca = https_server
    stderr = list_without_debians_certificate_folder(url, ca, tmp_path)
    assert "rejected the API key or secret (401 Unauthorized)" in stderr, stderr  # TLS was verified and passed
