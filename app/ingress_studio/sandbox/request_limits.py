"""What one HTTP request may cost the sandbox: the size of its body and the time it takes to arrive.

As livekit-server does, a body over the limit is refused with 413 "request body too large", from its
Content-Length before any of it is read. As the ingress service's WHIP server does (Go, ReadTimeout
10 s), a request head must arrive within 10 s (of the connection opening, or of its own first byte),
and its body within 10 s more. An idle keep-alive connection is closed after 20 s: longer than the
window's refresh intervals up to 10 s, shorter than its 30 s (the client reconnects then), so that a
refresh never races the close.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Middleware

from ingress_studio.sandbox.bounded_listener import message_arrived, message_done

REQUEST_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 20.0
# After a refusal the unread rest of a body is read and dropped this long, so the client gets to read the answer.
LINGER_S = 2.0
BODY_TOO_LARGE = "request body too large"
BODY_TOO_SLOW = f"the request body did not arrive within {REQUEST_TIMEOUT_S:g} s"
BODY_UNREADABLE = "the request body could not be read"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _ClientFaultsInOneLine(logging.Filter):
    """aiohttp logs a malformed request (a line too long, a bad header) with a traceback at ERROR; it is
    the client's fault, not the server's: one line at INFO, without the offending bytes (a token may be in them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fault = record.exc_info[1] if record.exc_info else None
        if isinstance(fault, HttpProcessingError) and record.levelno > logging.INFO:
            peer = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.msg, record.args = "refused a malformed HTTP request from %s (%s)", (peer, type(fault).__name__)
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


_http_log = logging.getLogger("ingress_studio.sandbox.http")
_http_log.addFilter(_ClientFaultsInOneLine())


def app_runner(app: web.Application) -> web.AppRunner:
    """A runner whose connections keep the time limits above."""
    return web.AppRunner(
        app,
        access_log=None,
        logger=_http_log,
        keepalive_timeout=IDLE_TIMEOUT_S,
        lingering_time=LINGER_S,
        auto_decompress=False,  # like Go's servers: a compressed body is not inflated (nor is a zip bomb)
    )


def _refusal(status: int, text: str) -> web.Response:
    response = web.Response(status=status, text=text)
    response.force_close()  # the rest of the body may still be on its way: this connection is done
    return response


def bounded_requests(max_bytes: int) -> Middleware:
    """Tell the listener a head has arrived; refuse a body over max_bytes (413) and one that arrives too
    slowly (408); read it before any handler.

    The application's client_max_size must be max_bytes too: it catches a chunked body (no Content-Length).
    """

    @web.middleware
    async def bounded(request: web.Request, handler: Handler) -> web.StreamResponse:
        message_arrived(request.transport)
        try:
            return await _checked(request, handler)
        finally:
            message_done(request.transport)

    async def _checked(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.content_length is not None and request.content_length > max_bytes:
            return _refusal(413, BODY_TOO_LARGE)
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT_S):
                await request.read()  # kept by aiohttp: the handler's own read() returns it
        except web.HTTPRequestEntityTooLarge:
            return _refusal(413, BODY_TOO_LARGE)
        except TimeoutError:
            return _refusal(408, BODY_TOO_SLOW)
        except (web.RequestPayloadError, ConnectionError):  # broken chunked framing; a client gone mid-body
            return _refusal(400, BODY_UNREADABLE)
        return await handler(request)

    return bounded
