"""What one HTTP request may cost the sandbox: the size of its body.

As livekit-server does, a body over the limit is refused with 413 "request body too large", from its
Content-Length before any of it is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware

BODY_TOO_LARGE = "request body too large"
BODY_UNREADABLE = "the request body could not be read"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _refusal(status: int, text: str) -> web.Response:
    response = web.Response(status=status, text=text)
    response.force_close()  # the rest of the body may still be on its way: this connection is done
    return response


def body_limit(max_bytes: int) -> Middleware:
    """Refuse a body over max_bytes (413); read it before any handler.

    The application's client_max_size must be max_bytes too: it catches a chunked body (no Content-Length).
    """

    @web.middleware
    async def check_body(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.content_length is not None and request.content_length > max_bytes:
            return _refusal(413, BODY_TOO_LARGE)
        try:
            await request.read()  # kept by aiohttp: the handler's own read() returns it
        except web.HTTPRequestEntityTooLarge:
            return _refusal(413, BODY_TOO_LARGE)
        except (web.RequestPayloadError, ConnectionError):  # broken chunked framing; a client gone mid-body
            return _refusal(400, BODY_UNREADABLE)
        return await handler(request)

    return check_body
