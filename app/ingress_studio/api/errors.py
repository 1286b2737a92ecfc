"""Every way an API call can fail, turned into one sentence a streamer can act on."""

from __future__ import annotations

import asyncio
import os
import ssl
from urllib.parse import urlsplit

import aiohttp
from livekit.api import TwirpError

from ingress_studio.api.validation import IngressValidationError
from ingress_studio.redaction import redact


class ApiError(Exception):
    """A failed API call. `message` is the sentence to show; `code` the Twirp code, if any."""

    def __init__(self, message: str, code: str = "", status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status

    @property
    def retry_helps(self) -> bool:
        """False when only the user can fix it (credentials, permissions): retrying by itself is pointless."""
        return self.status not in (401, 403) and self.code not in CREDENTIAL_CODES


# Twirp's codes for a refused token, and ours for credentials that were never there.
CREDENTIAL_CODES = ("unauthenticated", "permission_denied", "missing_credentials")


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def describe_server_error(exc: TwirpError, url: str) -> ApiError:
    code, status, msg = exc.code, exc.status, exc.message
    if status == 401 and code in ("unknown", ""):
        text = (
            f"The server at {url} rejected the API key or secret (401 Unauthorized). "
            "Check the project's API key and secret."
        )
    elif code in ("unauthenticated", "permission_denied"):
        text = (
            f"This API key may not manage ingresses ({msg or code}). "
            "Use a key whose tokens carry the ingressAdmin grant."
        )
    elif code == "not_found":
        text = _sentence(f"Not found: {msg or 'the ingress does not exist'}") + (
            " It may have been deleted; refresh the list."
        )
    elif code in ("invalid_argument", "malformed", "failed_precondition", "out_of_range"):
        text = _sentence(f"The server refused the request: {msg or code}")
    elif code == "bad_route" or status == 404:
        text = f"{url} does not answer like a LiveKit server (no Ingress API there). Check the project URL."
    elif code in ("unavailable", "internal", "unknown") or status >= 500:
        detail = f": {msg}" if msg else ""
        text = _sentence(f"The server at {url} had an internal error ({status}){detail}") + " Try again later."
    else:
        text = _sentence(f"The server at {url} answered {status} {code}: {msg}")
    return ApiError(redact(text), code=code, status=status)


def describe_exception(exc: BaseException, url: str, timeout_s: float) -> ApiError:
    """Map any exception from an API call to an ApiError with a human sentence."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, IngressValidationError):
        return ApiError(_sentence(f"Not sent: {exc.message}"), code="invalid_argument")
    if isinstance(exc, TwirpError):
        return describe_server_error(exc, url)
    host = _host(url)
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        text = (
            f"The server at {url} did not answer within {timeout_s:g} s. "
            "Check that it is running and reachable, then try again."
        )
    elif isinstance(exc, aiohttp.ClientConnectorDNSError):
        text = f"Cannot find the host “{host}”: check the project URL and your network."
    elif isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError | ssl.SSLError):
        text = (
            f"The secure connection to {host} failed ({_tls_reason(exc)}). "
            "Check the URL's scheme and the server's certificate."
        )
    elif isinstance(exc, aiohttp.ClientConnectorError):
        reason = _os_reason(exc.os_error)
        text = f"Cannot connect to {url} ({reason}). Is the server running and the URL right?"
    elif isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        text = f"The server at {url} closed the connection unexpectedly. Try again."
    elif isinstance(exc, aiohttp.InvalidURL | ValueError) and "url" in str(exc).lower():
        text = f"“{url}” is not a valid server URL: use http(s)://host[:port] or ws(s)://host[:port]."
    elif isinstance(exc, aiohttp.ClientError | OSError):
        text = _sentence(f"Network error talking to {url}: {exc}")
    else:
        text = _sentence(f"Unexpected error talking to {url}: {type(exc).__name__}: {exc}")
    return ApiError(redact(text))


def _os_reason(error: OSError | None) -> str:
    # asyncio words a refused connection as "Connect call failed"; the errno says what happened.
    if error is None:
        return "no details"
    if error.errno:
        return os.strerror(error.errno).lower()
    return error.strerror or str(error)


def _tls_reason(exc: BaseException) -> str:
    cert_error = getattr(exc, "certificate_error", None)
    if cert_error is not None:
        return str(getattr(cert_error, "verify_message", None) or cert_error)
    return str(exc) or "TLS handshake failed"
