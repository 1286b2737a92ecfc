"""Where a frozen bundle's OpenSSL finds trusted certificates (ca_certificates.py): its own default places,
else the system's bundle where distributions keep it, else certifi's; nothing changes where OpenSSL already
finds them or the user chose them."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from pathlib import Path

import certifi

from ingress_studio.ca_certificates import certificate_file_to_use, openssl_finds_certificates


def verify_paths(cafile: str | None, capath: str | None) -> ssl.DefaultVerifyPaths:
    defaults = ssl.get_default_verify_paths()
    return ssl.DefaultVerifyPaths(
        cafile,
        capath,
        defaults.openssl_cafile_env,
        defaults.openssl_cafile,
        defaults.openssl_capath_env,
        defaults.openssl_capath,
    )


def test_a_default_file_or_a_hashed_folder_counts_as_found_and_an_empty_folder_does_not(tmp_path: Path) -> None:
    assert openssl_finds_certificates(verify_paths(certifi.where(), None))
    assert not openssl_finds_certificates(verify_paths(None, str(tmp_path)))
    (tmp_path / "5ad8a5d6.0").symlink_to(certifi.where())
    assert openssl_finds_certificates(verify_paths(None, str(tmp_path)))
    assert not openssl_finds_certificates(verify_paths(None, None))


def test_the_systems_bundle_is_preferred_and_certifis_is_the_last_resort(tmp_path: Path) -> None:
    missing = verify_paths(None, str(tmp_path))
    system_bundle = tmp_path / "ca-bundle.crt"
    system_bundle.write_text(Path(certifi.where()).read_text())
    assert certificate_file_to_use(missing, [str(tmp_path / "absent.crt"), str(system_bundle)]) == str(system_bundle)
    fallback = certificate_file_to_use(missing, [str(tmp_path / "absent.crt")])
    assert fallback == certifi.where()
    context = ssl.create_default_context(cafile=fallback)  # a bundle OpenSSL really loads
    assert context.cert_store_stats()["x509_ca"] > 50
    assert certificate_file_to_use(verify_paths(certifi.where(), None), [str(system_bundle)]) is None


def test_a_users_choice_is_left_alone(tmp_path: Path) -> None:
    chosen = tmp_path / "mine.pem"
    chosen.write_text(Path(certifi.where()).read_text())
    code = "import os, ingress_studio.ca_certificates as c; c.ensure_certificates_found()"
    code += "; print(os.environ['SSL_CERT_FILE'])"
    env = {**os.environ, "SSL_CERT_FILE": str(chosen), "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == str(chosen)
