"""The sandbox's stand-in for "what the room sees": per live ingress, the latest picture that arrived
(JPEG), a stream of them (MJPEG), and the audio levels. Sandbox-only routes on the API port, behind
the same token check as the Ingress API.

GET /sandbox/ingress/{id}/preview.jpg    the latest picture (404 while none has arrived)
GET /sandbox/ingress/{id}/preview.mjpeg  multipart/x-mixed-replace pictures, with an X-Levels header
GET /sandbox/ingress/{id}/levels         {"status", "picture", "width", "height", "peak_db", "rms_db",
                                          "latency_ms", "latency_p50_ms", "latency_p95_ms"} (clock stamps)
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from ingress_studio.sandbox.auth import Grants
from ingress_studio.sandbox.live_session import LiveSession
from ingress_studio.sandbox.live_sessions import LiveSessions

PREFIX = "/sandbox/ingress/{ingress_id}"
BOUNDARY = "ingress-studio-frame"
_POLL_S = 0.05
NOT_LIVE = "this ingress has no live session: nothing is arriving"
NO_PICTURE = "no picture has arrived yet"


def _levels_header(session: LiveSession) -> str:
    levels = session.preview.levels
    return json.dumps(levels, separators=(",", ":")) if levels else "{}"


class PreviewRoutes:
    def __init__(self, sessions: LiveSessions) -> None:
        self._sessions = sessions

    def add_to(self, app: web.Application) -> None:
        app.router.add_get(PREFIX + "/preview.jpg", self.picture)
        app.router.add_get(PREFIX + "/preview.mjpeg", self.stream)
        app.router.add_get(PREFIX + "/levels", self.levels)

    def _session(self, request: web.Request) -> LiveSession:
        grants: Grants | None = request["grants"]
        if grants is None:
            raise web.HTTPUnauthorized(text="no authorization token: send the same token as for the Ingress API")
        if not grants.ingress_admin:
            raise web.HTTPForbidden(text="permissions denied: the token needs the ingressAdmin grant")
        session = self._sessions.get(request.match_info["ingress_id"])
        if session is None:
            raise web.HTTPNotFound(text=NOT_LIVE)
        session.preview.watch()
        return session

    async def picture(self, request: web.Request) -> web.Response:
        session = self._session(request)
        picture = session.preview.picture
        if picture is None:
            raise web.HTTPNotFound(text=NO_PICTURE)
        return web.Response(
            body=picture.jpeg,
            content_type="image/jpeg",
            headers={"Cache-Control": "no-store", "X-Levels": _levels_header(session)},
        )

    async def levels(self, request: web.Request) -> web.Response:
        session = self._session(request)
        picture = session.preview.picture
        body: dict[str, Any] = {
            "status": "publishing" if session.publishing else "buffering",
            "picture": picture.number if picture else 0,
            "width": picture.width if picture else 0,
            "height": picture.height if picture else 0,
        }
        body.update(session.preview.levels or {"peak_db": [], "rms_db": []})
        body.update(session.preview.latency.figures().as_fields())
        return web.json_response(body, headers={"Cache-Control": "no-store"})

    async def stream(self, request: web.Request) -> web.StreamResponse:
        session = self._session(request)
        response = web.StreamResponse(
            headers={
                "Content-Type": f"multipart/x-mixed-replace; boundary={BOUNDARY}",
                "Cache-Control": "no-store",
            }
        )
        await response.prepare(request)
        sent = 0
        try:
            while not session.ended:
                if request.transport is None or request.transport.is_closing():
                    return response  # the viewer left: stop watching (and decoding every picture)
                session.preview.watch()
                picture = session.preview.picture
                if picture is not None and picture.number != sent:
                    sent = picture.number
                    head = (
                        f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(picture.jpeg)}\r\n"
                        f"X-Levels: {_levels_header(session)}\r\n\r\n"
                    )
                    await response.write(head.encode() + picture.jpeg + b"\r\n")
                await asyncio.sleep(_POLL_S)
            await response.write_eof()
        except ConnectionError:
            pass  # the viewer left mid-picture
        return response
