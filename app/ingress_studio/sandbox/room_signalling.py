"""Room signalling on the API port, like livekit-server: `GET /rtc` (a WebSocket), `/rtc/validate`, `/rtc/v1`.

The sandbox speaks the v0 protocol only, so `/rtc/v1` answers 404: the SDK falls back to v0 on that status
alone. A refused join answers the upgrade with the status livekit-server would give and a plain-text
sentence; the SDK then asks `/rtc/validate`, which gives the same answer, and shows its body.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from livekit.protocol import models as models_pb

from ingress_studio.sandbox.ice_interfaces import NO_ICE, viewer_can_connect
from ingress_studio.sandbox.room_access import JoinRefused, ViewerGrant, viewer_grant
from ingress_studio.sandbox.room_viewer import RoomTimings, RoomViewer
from ingress_studio.sandbox.rooms import RoomFull, Rooms

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024  # an answer with many candidates is a few kB
V1_NOT_HERE = "the sandbox speaks room signalling v0 only (/rtc)"


class RoomSignalling:
    def __init__(self, rooms: Rooms, timings: RoomTimings) -> None:
        self._rooms = rooms
        self._timings = timings
        self._viewers: set[RoomViewer] = set()

    def add_to(self, app: web.Application) -> None:
        app.router.add_get("/rtc", self.join)
        app.router.add_get("/rtc/validate", self.validate)
        app.router.add_get("/rtc/v1", self.v1)
        app.router.add_get("/rtc/v1/validate", self.v1)
        app.on_shutdown.append(self._close_all)

    def _check(self, request: web.Request) -> ViewerGrant:
        grant = viewer_grant(request.get("grants"))
        if not self._rooms.exists(grant.room):
            raise JoinRefused(
                404, f'requested room does not exist: no ingress of this sandbox is in room "{grant.room}"'
            )
        if not viewer_can_connect():
            raise JoinRefused(503, NO_ICE)
        return grant

    async def validate(self, request: web.Request) -> web.Response:
        try:
            self._check(request)
        except JoinRefused as refused:
            return web.Response(status=refused.status, text=refused.text)
        return web.Response(text="success")

    async def v1(self, _request: web.Request) -> web.Response:
        return web.Response(status=404, text=V1_NOT_HERE)

    async def join(self, request: web.Request) -> web.StreamResponse:
        try:
            grant = self._check(request)
        except JoinRefused as refused:
            log.info("room join refused (%d): %s", refused.status, refused.text)
            return web.Response(status=refused.status, text=refused.text)
        ws = web.WebSocketResponse(max_msg_size=MAX_MESSAGE_BYTES, autoping=True, heartbeat=None)
        if not ws.can_prepare(request).ok:
            return web.Response(status=400, text="room signalling needs a WebSocket upgrade")
        viewer = RoomViewer(ws, self._rooms, grant, self._timings)
        try:
            self._rooms.admit(grant.room, viewer)
        except RoomFull as full:
            log.info("room join refused: %s", full)
            return web.Response(status=503, text=str(full))
        try:
            try:
                await ws.prepare(request)
            except ConnectionError:
                log.info("room %s: viewer %s left before its WebSocket opened", grant.room, grant.identity)
                # Not the half-prepared WebSocket: aiohttp would fail closing it. A plain response, whose
                # writing fails quietly on the closed connection.
                return web.Response(status=400, text="the client closed the connection")
            log.info("room %s: viewer %s (%s) joined", grant.room, grant.identity, viewer.sid)
            self._viewers.add(viewer)
            await viewer.run()
        except asyncio.CancelledError:
            raise
        except ConnectionError:
            pass  # the viewer's connection dropped mid-send: a viewer leaving (RoomViewer.run logged it), not a fault
        except Exception:  # one viewer's failure must cost that viewer only
            log.exception("room %s: viewer %s failed", grant.room, viewer.sid)
        finally:
            self._viewers.discard(viewer)
            self._rooms.leave(grant.room, viewer)
        return ws

    async def _close_all(self, _app: web.Application) -> None:
        await asyncio.gather(
            *(viewer.leave(models_pb.DisconnectReason.SERVER_SHUTDOWN) for viewer in list(self._viewers)),
            return_exceptions=True,
        )
