"""A real WebRTC peer acting as a WHIP endpoint (aiortc), on loopback, in a thread of its own.

It answers `POST /whip` (bearer token checked), receives and decodes what arrives, and records the
DELETE that ends a session. Only loopback host candidates are offered: nothing leaves this machine.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import aioice.ice
from aiohttp import web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

# aiortc gathers candidates on every interface; a test peer must only use loopback.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"] if use_ipv4 else []


@dataclass
class Received:
    video_frames: int = 0
    audio_frames: int = 0
    video_size: tuple[int, int] | None = None
    video_codec: str = ""
    audio_rate: int = 0
    audio_channels: int = 0
    deletes: int = 0
    unauthorized: int = 0
    sessions: int = 0
    errors: list[str] = field(default_factory=list)


class WhipPeer:
    def __init__(self, token: str = "whip-token-123") -> None:
        self.token = token
        self.received = Received()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._pcs: dict[str, RTCPeerConnection] = {}
        self._consumers: list[asyncio.Future[None]] = []
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/whip"

    def start(self) -> WhipPeer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("WHIP peer did not start")
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            for pc in list(self._pcs.values()):
                await pc.close()
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        self._loop.run_forever()

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_post("/whip", self._offer)
        app.router.add_delete("/whip/{session}", self._delete)
        app.router.add_patch("/whip/{session}", self._patch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()

    async def _offer(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            self.received.unauthorized += 1
            return web.Response(status=401, text="invalid token")
        offer = RTCSessionDescription(sdp=await request.text(), type="offer")
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        session = uuid.uuid4().hex
        self._pcs[session] = pc
        self.received.sessions += 1

        @pc.on("track")
        def on_track(track: Any) -> None:
            self._consumers.append(asyncio.ensure_future(self._consume(track)))

        await pc.setRemoteDescription(offer)
        await pc.setLocalDescription(await pc.createAnswer())
        return web.Response(
            status=201,
            text=pc.localDescription.sdp,
            headers={"Content-Type": "application/sdp", "Location": f"/whip/{session}"},
        )

    async def _consume(self, track: Any) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            except Exception as exc:  # a decode problem is a finding, not a crash of the peer
                self.received.errors.append(repr(exc))
                return
            if track.kind == "video":
                self.received.video_frames += 1
                self.received.video_size = (frame.width, frame.height)
            else:
                self.received.audio_frames += 1
                self.received.audio_rate = frame.sample_rate
                self.received.audio_channels = frame.layout.nb_channels

    async def _patch(self, _request: web.Request) -> web.Response:
        return web.Response(status=204)  # trickle ICE: all our candidates are in the answer already

    async def _delete(self, request: web.Request) -> web.Response:
        self.received.deletes += 1
        pc = self._pcs.pop(request.match_info["session"], None)
        if pc is not None:
            await pc.close()
        return web.Response(status=200)
