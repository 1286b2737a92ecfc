"""Certificate verification for RTMPS, which PyAV's output path cannot ask FFmpeg for.

PyAV opens output URLs without protocol options, so FFmpeg's `tls_verify` stays off and any
certificate would be accepted (PyAV 18.1, FFmpeg 8.1). Before each RTMPS connection we therefore make a verified
TLS handshake with the same host ourselves, against the system's certificate store, and refuse to
stream when it fails.
"""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

from ingress_studio.media.errors import TargetUnauthorized

RTMPS_DEFAULT_PORT = 443
CHECK_TIMEOUT_S = 10.0


class CertificateRejected(TargetUnauthorized):
    """The server's certificate is not trusted; retrying cannot help."""


def verify_rtmps_certificate(url: str, context: ssl.SSLContext | None = None) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or RTMPS_DEFAULT_PORT
    context = context or ssl.create_default_context()
    try:
        with (
            socket.create_connection((host, port), timeout=CHECK_TIMEOUT_S) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return
    except ssl.SSLCertVerificationError as exc:
        raise CertificateRejected(
            f"The certificate of {host}:{port} is not trusted ({exc.verify_message}): refusing to send the stream key."
        ) from exc
    except ssl.SSLError as exc:
        raise CertificateRejected(f"The TLS handshake with {host}:{port} failed ({exc.reason}).") from exc
    # connection errors (refused, unreachable) are left to the real connection attempt to report
    except OSError:
        return
