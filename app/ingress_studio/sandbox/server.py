"""The sandbox's HTTP API: /twirp/livekit.Ingress/* and room signalling (/rtc) behind livekit-server's token check."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from google.protobuf.message import Message
from livekit.protocol import ingress as ingress_pb

from ingress_studio.sandbox.auth import AuthRejected, Grants, authenticate
from ingress_studio.sandbox.ingress_service import IngressService
from ingress_studio.sandbox.live_sessions import LiveSessions
from ingress_studio.sandbox.preview_routes import PreviewRoutes
from ingress_studio.sandbox.request_limits import bounded_requests
from ingress_studio.sandbox.room_signalling import RoomSignalling
from ingress_studio.sandbox.twirp import TwirpError, read_message, write_message

log = logging.getLogger(__name__)

TWIRP_PREFIX = "/twirp/"
INGRESS_PREFIX = "/twirp/livekit.Ingress/"
GRANTS_KEY = web.AppKey("grants_by_request", dict)
# livekit-server's default is 10 MiB; an ingress request is a few kB, and 256 connections x 4 MiB bound the memory.
MAX_BODY_BYTES = 4 * 1024 * 1024

Handler = Callable[[Any, Grants | None], Message]


def _routes(service: IngressService) -> dict[str, tuple[type[Message], Handler]]:
    return {
        "CreateIngress": (ingress_pb.CreateIngressRequest, service.create),
        "UpdateIngress": (ingress_pb.UpdateIngressRequest, service.update),
        "ListIngress": (ingress_pb.ListIngressRequest, service.list),
        "DeleteIngress": (ingress_pb.DeleteIngressRequest, service.delete),
    }


def build_api_app(
    service: IngressService,
    keys: dict[str, str],
    sessions: LiveSessions | None = None,
    signalling: RoomSignalling | None = None,
) -> web.Application:
    routes = _routes(service)

    @web.middleware
    async def token_check(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        try:
            request["grants"] = authenticate(request.headers.get("Authorization"), keys)
        except AuthRejected as exc:
            log.info("401 for %s %s: %s", request.method, request.path, exc.text)
            return web.Response(status=401, text=exc.text)
        return await handler(request)

    async def twirp(request: web.Request) -> web.StreamResponse:
        try:
            if request.method != "POST":
                raise TwirpError(
                    "bad_route",
                    f'unsupported method "{request.method}" (only POST is allowed)',
                    {"twirp_invalid_route": f"{request.method} {request.path}"},
                )
            method = request.path[len(INGRESS_PREFIX) :] if request.path.startswith(INGRESS_PREFIX) else ""
            if method not in routes:
                raise TwirpError(
                    "bad_route",
                    f'no handler for path "{request.path}"',
                    {"twirp_invalid_route": f"{request.method} {request.path}"},
                )
            message_type, handler = routes[method]
            message, encoding = await read_message(request, message_type)
            return write_message(handler(message, request["grants"]), encoding)
        except TwirpError as exc:
            return exc.to_response()
        except Exception:
            log.exception("internal error in %s", request.path)
            return TwirpError("internal", "internal error in the sandbox; see its log").to_response()

    async def root(_request: web.Request) -> web.Response:
        return web.Response(text="OK")

    # The size check comes before the token check, as in livekit-server.
    app = web.Application(middlewares=[bounded_requests(MAX_BODY_BYTES), token_check], client_max_size=MAX_BODY_BYTES)
    app.router.add_get("/", root)
    app.router.add_route("*", TWIRP_PREFIX + "{tail:.*}", twirp)
    if sessions is not None:
        PreviewRoutes(sessions).add_to(app)
    if signalling is not None:
        signalling.add_to(app)
    return app
