"""The sandbox's WHIP endpoint: a WebRTC answerer (aiortc) in front of a WHIP ingress's session.

Routes and answers follow the ingress service: `POST /w` with `Authorization: Bearer KEY` ("Bearer "
optional) or `POST /w/KEY`, body `application/sdp` (the Content-Type itself is not checked, as by the
service); 201 with the answer, `Location: /w/KEY/RESOURCE` and an ETag; DELETE on the Location ends the
session; errors are plain text with the real codes. A publisher that vanishes without a DELETE is
noticed by its media stopping (PUBLISHER_GONE_AFTER_S). FFmpeg has no WebRTC receiver, which is why
this one part uses aiortc.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import SessionDescription
from livekit.protocol import ingress as ingress_pb

from ingress_studio.domain.ingress_kinds import Status
from ingress_studio.sandbox.input_meter import mime_type_for
from ingress_studio.sandbox.live_session import LiveSession
from ingress_studio.sandbox.live_sessions import LiveSessions, Refused
from ingress_studio.sandbox.request_limits import bounded_requests
from ingress_studio.sandbox.whip_offer import (
    MEDIA_KINDS,
    UNSUPPORTED_FORMAT,
    OfferRefused,
    accepted_codecs,
    check_offer,
    read_offer,
)

log = logging.getLogger(__name__)

SDP = "application/sdp"
NO_TRICKLE = "Trickle-ICE not supported"
MISSING_KEY = "request needs to specify either IngressId or StreamKey"
SESSION_NOT_FOUND = "ingress not found"
CHANGED_WHILE_CONNECTING = "the ingress was updated or deleted while connecting; publish again"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Location, ETag",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "POST, DELETE, PATCH, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, If-Match",
}
CONNECT_TIMEOUT_S = 10.0  # like the service's wait for all tracks to start
# pion calls a silent peer Disconnected after 5 s; the service ends the session only once pion gives it
# up as Failed (25 s later with pion's defaults). The sandbox ends it 8 s after the media stopped: a
# closed tab is seen within 10 s, and a stall of a few seconds (Wi-Fi, a busy machine) is ridden out.
PUBLISHER_GONE_AFTER_S = 8.0
MAX_OFFER_BYTES = 1024 * 1024  # livekit-server reads at most this much of a WHIP offer


def _plain(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text)


class _WhipSession:
    def __init__(self, sessions: LiveSessions, session: LiveSession, pc: RTCPeerConnection) -> None:
        self.sessions, self.session, self.pc = sessions, session, pc
        self.consumers: list[asyncio.Future[None]] = []
        self.closing: asyncio.Future[None] | None = None

    def close(self) -> None:
        for task in self.consumers:
            task.cancel()
        self.closing = asyncio.ensure_future(self.pc.close())


class WhipEndpoint:
    def __init__(self, sessions: LiveSessions) -> None:
        self._sessions = sessions
        self._live: dict[str, _WhipSession] = {}  # by resource id

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/{app}", self.offer)
        app.router.add_post("/{app}/{key}", self.offer)
        app.router.add_delete("/{app}/{key}/{resource}", self.delete)
        app.router.add_patch("/{app}/{key}/{resource}", self.patch)

    async def offer(self, request: web.Request) -> web.Response:
        key = request.match_info.get("key") or request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not key:
            return _plain(500, MISSING_KEY)
        body = await request.read()
        try:
            text, offer = read_offer(body)  # a body that is no offer changes nothing
        except OfferRefused as exc:
            log.info("WHIP offer refused: %s", exc.reason)
            return _plain(exc.http_status, exc.reason)
        session: LiveSession | None = None
        try:
            session = self._sessions.start(key, ingress_pb.IngressInput.WHIP_INPUT, lambda: self._close(session))
            session.gone_after_silence_s = PUBLISHER_GONE_AFTER_S
            try:
                check_offer(offer, text)
            except OfferRefused as exc:  # like the service, a refused offer leaves its reason on the ingress
                self._sessions.end(session, Status.ENDPOINT_ERROR, exc.reason)
                return _plain(exc.http_status, exc.reason)
            whip = self._live[session.resource_id] = _WhipSession(
                self._sessions, session, RTCPeerConnection(RTCConfiguration(iceServers=[]))
            )
            answer = await self._answer(whip, offer, text)
        except Refused as exc:
            log.info("WHIP offer refused: %s", exc.message)
            return _plain(exc.http_status, exc.message)
        except Exception as exc:  # aiortc refusing the offer: the publisher must hear why
            log.info("WHIP negotiation failed: %r", exc)
            if session is not None:
                self._sessions.end(session, Status.ENDPOINT_ERROR, UNSUPPORTED_FORMAT)
            return _plain(406, UNSUPPORTED_FORMAT)
        if session.ended:  # updated or deleted while we negotiated: this answer leads nowhere
            return _plain(409, CHANGED_WHILE_CONNECTING)
        location = f"/{request.match_info['app']}/{key}/{session.resource_id}"
        return web.Response(
            status=201,
            body=answer.encode(),  # exactly "application/sdp": `text=` would add a charset
            headers={"Content-Type": SDP, "Location": location, "ETag": f"{zlib.crc32(body):08x}"},
        )

    async def _answer(self, whip: _WhipSession, offer: SessionDescription, text: str) -> str:
        session, pc = whip.session, whip.pc
        for media in offer.media:
            if media.kind in MEDIA_KINDS:  # the answer lists only what the sandbox receives
                pc.addTransceiver(media.kind, direction="recvonly").setCodecPreferences(accepted_codecs(media))

        @pc.on("track")
        def on_track(track: Any) -> None:
            whip.consumers.append(asyncio.ensure_future(self._consume(whip, track)))

        @pc.on("connectionstatechange")
        def on_state() -> None:
            if pc.connectionState == "connected":
                session.connected = True
            elif pc.connectionState in ("failed", "closed") and not session.ended:
                self._sessions.end_normally(session)

        await pc.setRemoteDescription(RTCSessionDescription(sdp=text, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        negotiated = {}
        for media in SessionDescription.parse(pc.localDescription.sdp).media:
            if media.rtp.codecs:
                negotiated[media.kind] = mime = media.rtp.codecs[0].mimeType
                session.meter.codec(media.kind, mime_type_for(mime.split("/")[1].lower(), media.kind))
        session.negotiated_kinds = tuple(kind for kind in ("video", "audio") if kind in negotiated)
        for transceiver in pc.getTransceivers():
            _count_received_bytes(transceiver.receiver, transceiver.kind, negotiated.get(transceiver.kind, ""), session)
        asyncio.get_running_loop().call_later(CONNECT_TIMEOUT_S, self._check_connected, session)
        return str(pc.localDescription.sdp)

    def _check_connected(self, session: LiveSession) -> None:
        if not session.connected and not session.ended:
            self._sessions.end(session, Status.ENDPOINT_ERROR, "source encoder not ready")

    async def _consume(self, whip: _WhipSession, track: Any) -> None:
        session = whip.session
        unwrap = _RtpTimeUnwrapper()
        while not session.ended:
            try:
                frame = await track.recv()
            except MediaStreamError:
                break
            if track.kind == "video" and frame.pts is not None and frame.time_base is not None:
                session.meter.stamp(float(unwrap(frame.pts) * frame.time_base))
            session.preview.frame(frame)
            session.feed.frame(frame)
        if not session.ended:
            self._sessions.end_normally(session)

    def _close(self, session: LiveSession | None) -> None:
        whip = self._live.pop(session.resource_id, None) if session is not None else None
        if whip is not None:
            whip.close()

    def _own_session(self, request: web.Request) -> _WhipSession | None:
        """The session at this Location, if the key in the path is its own (a resource id alone is not enough)."""
        whip = self._live.get(request.match_info["resource"])
        key = request.match_info["key"].encode()
        if whip is None or not hmac.compare_digest(key, whip.session.info.stream_key.encode()):
            return None
        return whip

    async def delete(self, request: web.Request) -> web.Response:
        whip = self._own_session(request)
        if whip is None:
            return _plain(404, SESSION_NOT_FOUND)
        self._sessions.end_normally(whip.session)
        return web.Response(status=200)

    async def patch(self, request: web.Request) -> web.Response:
        if self._own_session(request) is None:
            return _plain(404, SESSION_NOT_FOUND)
        return _plain(422, NO_TRICKLE)  # every candidate is in the answer already


class _RtpTimeUnwrapper:
    """RTP timestamps are 32 bits and wrap (after 13 h at 90 kHz, sooner from a random start)."""

    def __init__(self) -> None:
        self._last: int | None = None
        self._offset = 0

    def __call__(self, stamp: int) -> int:
        if self._last is not None and stamp < self._last - 2**31:
            self._offset += 2**32
        self._last = stamp
        return stamp + self._offset


def _count_received_bytes(receiver: Any, kind: str, mime_type: str, session: LiveSession) -> None:
    """Count RTP payload bytes as they arrive (aiortc's stats have no byte counter), and read the
    channel count from the stream itself: an Opus packet's TOC byte has a stereo bit (RFC 6716 3.1).

    Wraps the receiver's packet handler on this one instance; the DTLS transport looks it up per packet.
    """
    original = receiver._handle_rtp_packet
    opus = mime_type == "audio/opus"
    if mime_type in ("audio/PCMA", "audio/PCMU"):
        session.meter.declare_audio(8000, 1)

    async def counting(packet: Any, arrival_time_ms: int) -> None:
        payload = packet.payload
        session.meter.packet(kind, len(payload))
        if opus and payload:
            session.meter.declare_audio(48000, 2 if payload[0] & 0x04 else 1)
        await original(packet, arrival_time_ms)

    receiver._handle_rtp_packet = counting


@web.middleware
async def _cors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Browsers publish WHIP too: answer their preflight and let them read Location, like the service."""
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=PREFLIGHT_HEADERS)
    response = await handler(request)
    response.headers.update(CORS_HEADERS)
    return response


def build_whip_app(sessions: LiveSessions) -> web.Application:
    app = web.Application(client_max_size=MAX_OFFER_BYTES, middlewares=[bounded_requests(MAX_OFFER_BYTES), _cors])
    WhipEndpoint(sessions).routes(app)
    return app
