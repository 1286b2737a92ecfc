"""What one API call's HTTP exchange looked like: where redirects led, and what kind of answer came last.

livekit-api reports only the end of it (a protobuf DecodeError for a web page, a connection error for the
address a redirect pointed to), so a failure would blame the project's URL for what happened elsewhere.
Calls record into an HttpExchange through a context variable, so concurrent calls never mix.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:  # aiohttp loads with the first call: the window shows its first frame without it
    import aiohttp
    from yarl import URL


@dataclass
class HttpExchange:
    redirects: list[str] = field(default_factory=list)  # each place a redirect sent the request, in order
    status: int = 0  # of the last response
    content_type: str = ""  # of the last response

    @property
    def redirected_to(self) -> str | None:
        return self.redirects[-1] if self.redirects else None

    @property
    def is_web_page(self) -> bool:
        return self.content_type == "text/html"


_current: ContextVar[HttpExchange | None] = ContextVar("ingress_studio_http_exchange", default=None)


@contextlib.contextmanager
def recording() -> Iterator[HttpExchange]:
    """Record the HTTP exchange of the requests made inside the block (on this task)."""
    exchange = HttpExchange()
    token = _current.set(exchange)
    try:
        yield exchange
    finally:
        _current.reset(token)


def _shown(url: URL) -> str:
    """Where a redirect went, without its query (it could carry a token)."""
    parts = urlsplit(str(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


async def _on_redirect(
    _session: aiohttp.ClientSession, _context: SimpleNamespace, params: aiohttp.TraceRequestRedirectParams
) -> None:
    from yarl import URL

    exchange = _current.get()
    if exchange is not None:
        location = params.response.headers.get("Location", "")
        exchange.redirects.append(_shown(params.url.join(URL(location)) if location else params.url))


async def _on_end(
    _session: aiohttp.ClientSession, _context: SimpleNamespace, params: aiohttp.TraceRequestEndParams
) -> None:
    exchange = _current.get()
    if exchange is not None:
        exchange.status = params.response.status
        exchange.content_type = params.response.content_type


def exchange_trace() -> aiohttp.TraceConfig:
    """A session's trace config that fills the HttpExchange being recorded."""
    import aiohttp

    config = aiohttp.TraceConfig()
    config.on_request_redirect.append(_on_redirect)
    config.on_request_end.append(_on_end)
    return config
