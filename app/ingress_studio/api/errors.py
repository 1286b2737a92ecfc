"""Every way an API call can fail, turned into one sentence a streamer can act on."""

from __future__ import annotations

import asyncio
import os
import ssl
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ingress_studio.api.http_trace import HttpExchange
from ingress_studio.domain.validation import IngressValidationError
from ingress_studio.redaction import redact
from ingress_studio.user_error import UserError, as_sentence

if TYPE_CHECKING:  # the HTTP and API stack load when a call fails, not with every window that can show one
    from livekit.api import TwirpError


class ApiError(UserError):
    """A failed API call. `message` is the sentence to show; `code` the Twirp code, if any;
    `unreachable` when no answer came at all (refused, unknown host, timed out); `server_words` the
    server's own message for a refused request (a form can say which field it is about)."""

    def __init__(
        self, message: str, code: str = "", status: int = 0, unreachable: bool = False, server_words: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.unreachable = unreachable
        self.server_words = server_words

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


EXAMPLE_SERVER_URL = "https://project.livekit.cloud"


def web_page_error(url: str) -> ApiError:
    return ApiError(
        f"{url} answered with a web page, not the LiveKit API: check the URL "
        f"(it should be the server's address, e.g. {EXAMPLE_SERVER_URL})."
    )


def describe_server_error(exc: TwirpError, url: str, exchange: HttpExchange | None = None) -> ApiError:
    code, status, msg = exc.code, exc.status, exc.message
    if exchange is not None and exchange.is_web_page and code in ("unknown", "") and status not in (401, 403):
        return web_page_error(url)  # Twirp errors are JSON; an HTML error page is some other web server
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
        text = as_sentence(f"Not found: {msg or 'the ingress does not exist'}") + (
            " It may have been deleted; refresh the list."
        )
    elif code in ("invalid_argument", "malformed", "failed_precondition", "out_of_range"):
        text = as_sentence(f"The server refused the request: {msg or code}")
        return ApiError(redact(text), code=code, status=status, server_words=redact(msg))
    elif code == "bad_route" or status == 404:
        text = f"{url} does not answer like a LiveKit server (no Ingress API there). Check the project URL."
    elif code in ("unavailable", "internal", "unknown") or status >= 500:
        detail = f": {msg}" if msg else ""
        text = as_sentence(f"The server at {url} had an internal error ({status}){detail}") + " Try again later."
    else:
        text = as_sentence(f"The server at {url} answered {status} {code}: {msg}")
    return ApiError(redact(text), code=code, status=status)


def describe_exception(
    exc: BaseException, url: str, timeout_s: float, exchange: HttpExchange | None = None
) -> ApiError:
    """Map any exception from an API call to an ApiError with a human sentence."""
    import aiohttp
    from google.protobuf.message import DecodeError
    from livekit.api import TwirpError

    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, IngressValidationError):
        return ApiError(as_sentence(f"Not sent: {exc.message}"), code="invalid_argument", server_words=exc.message)
    if isinstance(exc, TwirpError):
        return describe_server_error(exc, url, exchange)
    if isinstance(exc, DecodeError):  # a 200 whose body is not the protobuf answer
        if exchange is not None and exchange.is_web_page:
            return web_page_error(url)
        kind = f" ({exchange.content_type})" if exchange is not None and exchange.content_type else ""
        return ApiError(f"{url} answered with something{kind} that is not the LiveKit API: check the project URL.")
    unreachable = _unreachable(exc, url, timeout_s, exchange.redirected_to if exchange is not None else None)
    if unreachable is not None:
        return ApiError(redact(unreachable), unreachable=True)
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        text = f"The server at {url} closed the connection unexpectedly. Try again."
    elif isinstance(exc, aiohttp.InvalidURL | ValueError) and "url" in str(exc).lower():
        text = f"“{url}” is not a valid server URL: use http(s)://host[:port] or ws(s)://host[:port]."
    elif isinstance(exc, aiohttp.ClientError | OSError):
        text = as_sentence(f"Network error talking to {url}: {exc}")
    else:
        text = as_sentence(f"Unexpected error talking to {url}: {type(exc).__name__}: {exc}")
    return ApiError(redact(text))


def _unreachable(exc: BaseException, url: str, timeout_s: float, redirected: str | None) -> str | None:
    """The sentence for an answer that never came (refused, unknown host, TLS, timeout), or None."""
    import aiohttp

    # after a redirect the failure is the redirect target's: name it, not the URL the user gave
    where = redirected or url
    host = _host(where)
    how = f", where {url} redirected the request" if redirected else ""
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return (
            f"The server at {where} did not answer within {timeout_s:g} s{how}. "
            "Check that it is running and reachable, then try again."
        )
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"Cannot find the host “{host}”{how}: check the project URL and your network."
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError | ssl.SSLError):
        return (
            f"The secure connection to {host} failed ({_tls_reason(exc)}){how}. "
            "Check the URL's scheme and the server's certificate."
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = _os_reason(exc.os_error)
        if redirected:
            return f"Cannot connect to {where} ({reason}){how}. Check the project URL."
        return f"Cannot connect to {url} ({reason}). Is the server running and the URL right?"
    return None


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
