"""Trusted certificates for a frozen bundle on any Linux distribution.

The bundle carries the build machine's OpenSSL, which looks for the trusted certificates where that
distribution keeps them (Debian and Ubuntu: /usr/lib/ssl → /etc/ssl/certs). Fedora, openSUSE or Arch keep
them elsewhere, and there every verified connection — the Ingress API over https, the RTMPS check, the
room's signalling — would fail as "certificate verify failed". So, before anything connects, a bundle
whose OpenSSL finds no certificates is pointed (SSL_CERT_FILE, which child programs inherit too) at the
system's own bundle where the usual places have one, else at certifi's copy of Mozilla's.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterable
from pathlib import Path

# Where distributions keep their one-file bundle of trusted certificates.
SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",  # openSUSE
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # RHEL, CentOS
    "/etc/ssl/cert.pem",  # Alpine, macOS
)


def openssl_finds_certificates(paths: ssl.DefaultVerifyPaths) -> bool:
    if paths.cafile is not None:
        return True  # ssl reports the file only when it exists
    return paths.capath is not None and any(Path(paths.capath).glob("*.0"))  # hashed links, as c_rehash makes


def certificate_file_to_use(
    paths: ssl.DefaultVerifyPaths, system_bundles: Iterable[str] = SYSTEM_BUNDLES
) -> str | None:
    """The file SSL_CERT_FILE should name, or None when OpenSSL already finds certificates."""
    if openssl_finds_certificates(paths):
        return None
    for bundle in system_bundles:
        if Path(bundle).is_file():
            return bundle
    import certifi  # only when the system has none anywhere we know

    return str(certifi.where())


def ensure_certificates_found() -> None:
    """For a frozen bundle, at start: a no-op where OpenSSL finds certificates or the user chose them."""
    if os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR"):
        return
    chosen = certificate_file_to_use(ssl.get_default_verify_paths())
    if chosen is not None:
        os.environ["SSL_CERT_FILE"] = chosen
