"""An async facade over livekit-api's IngressService: validated requests, paged lists, human errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TypeVar
from urllib.parse import urlsplit

import aiohttp
from livekit import api as lkapi
from livekit.api.ingress_service import IngressService
from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.api.errors import ApiError, describe_exception, web_page_error
from ingress_studio.api.http_trace import exchange_trace, recording
from ingress_studio.config.project import Project
from ingress_studio.domain.validation import validate_create_request, validate_update_request
from ingress_studio.redaction import register_secret

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
MAX_LIST_PAGES = 10_000  # a server that keeps returning the same token must not hang us
T = TypeVar("T")


def check_server_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.hostname:
        raise ApiError(f"“{url}” is not a valid server URL: use http(s)://host[:port] or ws(s)://host[:port].")


class IngressClient:
    """One project's Ingress API. Use as `async with IngressClient(project) as client:`."""

    def __init__(self, project: Project, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.project = project
        self.timeout_s = timeout_s
        self._api: lkapi.LiveKitAPI | None = None
        self._session: aiohttp.ClientSession | None = None
        register_secret(project.api_secret)

    def _service(self) -> IngressService:
        if self._api is None:
            check_server_url(self.project.url)
            if not self.project.api_secret:
                raise ApiError(
                    f"Project “{self.project.name}” has no API secret (it is remembered only where an encrypting "
                    "keyring runs): enter it with Projects → Edit project in the window, or pass --api-secret.",
                    code="missing_credentials",
                )
            if not self.project.api_key:
                raise ApiError(
                    f"Project “{self.project.name}” has no API key. Enter it in the project settings.",
                    code="missing_credentials",
                )
            # our own session, traced: a failure can then say where redirects led and what answered
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout_s), trace_configs=[exchange_trace()]
            )
            # failover only matters for LiveKit Cloud and would hide a dead server behind retries
            self._api = lkapi.LiveKitAPI(
                self.project.url,
                self.project.api_key,
                self.project.api_secret,
                session=self._session,
                failover=False,
            )
        return self._api.ingress

    async def aclose(self) -> None:
        if self._api is not None:
            await self._api.aclose()
            self._api = None
        if self._session is not None:  # LiveKitAPI leaves a session it was given open
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> IngressClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _call(self, what: str, call: Callable[[IngressService], Awaitable[T]]) -> T:
        with recording() as exchange:
            try:
                # livekit-api passes timeout=None per request, which switches aiohttp's session timeout
                # off: without this bound a silent server would hang the call forever.
                async with asyncio.timeout(self.timeout_s):
                    result = await call(self._service())
                if exchange.is_web_page:  # some bodies happen to parse as protobuf: never take a page as an answer
                    raise web_page_error(self.project.url)
                return result
            except Exception as exc:
                error = describe_exception(exc, self.project.url, self.timeout_s, exchange)
                log.info("%s on %s failed: %s (%s)", what, self.project.name, error.message, type(exc).__name__)
                raise error from exc

    async def create(self, request: ingress_pb.CreateIngressRequest) -> ingress_pb.IngressInfo:
        try:
            validate_create_request(request)
        except Exception as exc:
            raise describe_exception(exc, self.project.url, self.timeout_s) from exc
        info = await self._call("CreateIngress", lambda s: s.create_ingress(request))
        register_secret(info.stream_key)
        return info

    async def update(self, request: ingress_pb.UpdateIngressRequest) -> ingress_pb.IngressInfo:
        if not request.ingress_id:
            raise ApiError("Not sent: the update names no ingress (ingress_id is empty).", code="invalid_argument")
        try:
            validate_update_request(request)
        except Exception as exc:
            raise describe_exception(exc, self.project.url, self.timeout_s) from exc
        return await self._call("UpdateIngress", lambda s: s.update_ingress(request))

    async def list(self, room: str = "", ingress_id: str = "") -> list[ingress_pb.IngressInfo]:
        """All ingresses (of a room, or one by id), following next_page_token when the server pages."""
        items: list[ingress_pb.IngressInfo] = []
        token = ""
        seen_tokens: set[str] = set()
        for _ in range(MAX_LIST_PAGES):
            request = ingress_pb.ListIngressRequest(room_name=room, ingress_id=ingress_id)
            if token:
                request.page_token.CopyFrom(models_pb.TokenPagination(token=token))
            response = await self._list_page(request)
            items.extend(response.items)
            token = response.next_page_token.token if response.HasField("next_page_token") else ""
            if not token or token in seen_tokens:
                break
            seen_tokens.add(token)
        for info in items:
            register_secret(info.stream_key)
        return items

    async def _list_page(self, request: ingress_pb.ListIngressRequest) -> ingress_pb.ListIngressResponse:
        return await self._call("ListIngress", lambda s: s.list_ingress(request))

    async def delete(self, ingress_id: str) -> ingress_pb.IngressInfo:
        if not ingress_id:
            raise ApiError("Not sent: no ingress id given.", code="invalid_argument")
        request = ingress_pb.DeleteIngressRequest(ingress_id=ingress_id)
        return await self._call("DeleteIngress", lambda s: s.delete_ingress(request))
