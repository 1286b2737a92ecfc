"""A P-256 DTLS certificate for FFmpeg's WHIP muxer.

The muxer's own certificate is on curve P-224, which OpenSSL-based peers (aiortc, browsers' stacks)
refuse with a fatal alert (47); we make a P-256 one per process and hand it over as files.
"""

from __future__ import annotations

import atexit
import datetime
import shutil
import tempfile
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_lock = threading.Lock()
_files: tuple[str, str] | None = None


def self_signed_p256(common_name: str, days: int = 30) -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) of a new self-signed P-256 certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def whip_certificate_files() -> tuple[str, str]:
    """(cert_file, key_file) paths, created once per process and removed at exit."""
    global _files
    with _lock:
        if _files is None:
            folder = Path(tempfile.mkdtemp(prefix="ingress-studio-dtls-"))
            atexit.register(shutil.rmtree, folder, True)
            cert_pem, key_pem = self_signed_p256("ingress-studio")
            cert_path, key_path = folder / "cert.pem", folder / "key.pem"
            cert_path.write_bytes(cert_pem)
            key_path.write_bytes(key_pem)
            key_path.chmod(0o600)
            _files = (str(cert_path), str(key_path))
        return _files
