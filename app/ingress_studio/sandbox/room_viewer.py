"""One viewer's signalling session (LiveKit's v0 protocol) and its subscriber peer connection.

The server side of what the rtc SDK expects of a subscribe-only participant (FACTS §6): `join` first, then
the subscriber offer with one sendonly m-line per ingress track whose msid is `PA_…|TR_…` (the SDK reads
the participant and track sids from it), the client's answer and trickled candidates (queued until the
answer is set), ping/pong, leave. When an ingress of the room starts or stops publishing, a participant
update goes out first, then a renegotiated offer (the SDK drops tracks of participants it does not know).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.sdp import SessionDescription, candidate_from_sdp, candidate_to_sdp
from google.protobuf.message import DecodeError
from livekit.protocol import models as models_pb
from livekit.protocol import rtc as rtc_pb

from ingress_studio import __version__
from ingress_studio.sandbox.forwarded_track import ForwardedTrack
from ingress_studio.sandbox.ice_interfaces import room_viewer_candidates
from ingress_studio.sandbox.ids import random_id
from ingress_studio.sandbox.ingress_participant import ingress_participant
from ingress_studio.sandbox.live_session import LiveSession
from ingress_studio.sandbox.room_access import ViewerGrant
from ingress_studio.sandbox.rooms import Rooms

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 16  # what the join answers with; the SDK speaks 18 and accepts older servers
SUBSCRIBER = rtc_pb.SignalTarget.SUBSCRIBER
MAX_CANDIDATES = 64  # per session: each one added costs aioice a pass over all it holds (a flood stalls the loop)
MAX_MEDIA_SECTIONS = 64  # an ingress that restarts again and again grows the offer; past this, rejoin


@dataclass(frozen=True)
class RoomTimings:
    ping_interval_s: int = 5  # livekit-server's defaults
    ping_timeout_s: int = 15
    join_timeout_s: float = 20.0  # the subscriber connection must be up by then (the SDK gives up after 15 s)


class _Closed(Exception):
    """The session is over; `reason` says why, for the log."""


@dataclass
class _Forwarding:
    session: LiveSession
    transceiver: RTCRtpTransceiver
    track: ForwardedTrack


@dataclass(eq=False)  # compared and hashed by identity: Rooms keeps them in sets
class RoomViewer:
    ws: web.WebSocketResponse
    rooms: Rooms
    grant: ViewerGrant
    timings: RoomTimings
    sid: str = field(default_factory=lambda: random_id("PA_"))
    _pc: RTCPeerConnection | None = None
    _forwarding: dict[str, _Forwarding] = field(default_factory=dict)  # by track sid
    _known: dict[str, LiveSession] = field(default_factory=dict)  # publishers the client was told about
    _offer_pending: bool = False
    _changes_waiting: bool = False
    _candidates: list[rtc_pb.TrickleRequest] = field(default_factory=list)
    _answered: bool = False
    _candidates_taken: int = 0
    _offer_id: int = 0
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def room_name(self) -> str:
        return self.grant.room

    # -- the session ------------------------------------------------------------------------------

    async def run(self) -> None:
        pc = self._pc = RTCPeerConnection(
            # One transport for everything, and an application section so that the connection comes up
            # (and the SDK's connect() returns) even while no ingress of the room publishes.
            RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE, alwaysNegotiateDataChannels=True)
        )
        connected = asyncio.Event()

        @pc.on("connectionstatechange")
        def on_state() -> None:
            log.debug("room %s: %s's subscriber connection is %s", self.room_name, self.sid, pc.connectionState)
            if pc.connectionState == "connected":
                connected.set()
                self._wake.set()  # the tracks' offer waits for this
            elif pc.connectionState in ("failed", "closed"):
                self._wake.set()

        reason = "closed"
        try:
            await self._send(rtc_pb.SignalResponse(join=self._join_response()))
            await self._offer(with_tracks=False)
            self._changes_waiting = True  # the tracks follow once this is answered
            reason = await self._serve(connected)
        except _Closed as closed:
            reason = str(closed)
        except (ConnectionError, asyncio.CancelledError):
            reason = "connection lost"
            raise
        finally:
            log.info("room %s: viewer %s (%s) left: %s", self.room_name, self.grant.identity, self.sid, reason)
            await self._tear_down()

    async def _serve(self, connected: asyncio.Event) -> str:
        joined_by = time.monotonic() + self.timings.join_timeout_s
        last_heard = time.monotonic()
        receiving = asyncio.ensure_future(self.ws.receive())
        try:
            while True:
                self._wake.clear()
                waking = asyncio.ensure_future(self._wake.wait())
                timeout = self.timings.ping_timeout_s - (time.monotonic() - last_heard)
                if not connected.is_set():
                    timeout = min(timeout, joined_by - time.monotonic())
                done, _ = await asyncio.wait({receiving, waking}, timeout=max(0.0, timeout),
                                             return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
                waking.cancel()
                assert self._pc is not None
                if self._pc.connectionState in ("failed", "closed"):
                    return f"the peer connection {self._pc.connectionState}"
                if receiving in done:
                    message = receiving.result()
                    receiving = asyncio.ensure_future(self.ws.receive())
                    last_heard = time.monotonic()
                    if await self._received(message):
                        return "left"
                elif time.monotonic() - last_heard >= self.timings.ping_timeout_s:
                    return f"nothing heard for {self.timings.ping_timeout_s} s (ping timeout)"
                elif not connected.is_set() and time.monotonic() >= joined_by:
                    return f"the subscriber connection did not come up within {self.timings.join_timeout_s:g} s"
                # Tracks are offered only once the connection is up: aiortc (1.16) starts the senders of an
                # answered renegotiation only if DTLS is connected by then; answered during the handshake,
                # they never start (the viewer got no media at all, about 1 join in 10).
                if self._changes_waiting and not self._offer_pending and connected.is_set():
                    await self._renegotiate()
        finally:
            receiving.cancel()

    def ingresses_changed(self) -> None:
        """An ingress of this room started or stopped publishing (called by Rooms)."""
        self._changes_waiting = True
        self._wake.set()

    # -- messages from the client -----------------------------------------------------------------

    async def _received(self, message: object) -> bool:
        """Handle one WebSocket message; True when the client left."""
        kind = getattr(message, "type", None)
        if kind in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
            return True
        if kind == WSMsgType.ERROR:
            raise _Closed(f"WebSocket error: {self.ws.exception()!r}")
        if kind != WSMsgType.BINARY:
            await self.ws.close(code=1003, message=b"binary protobuf SignalRequest messages only")
            raise _Closed("sent a message that is not binary protobuf")
        request = rtc_pb.SignalRequest()
        try:
            request.ParseFromString(getattr(message, "data", b""))
        except DecodeError:
            await self.ws.close(code=1007, message=b"not a SignalRequest")
            raise _Closed("sent a message that is not a SignalRequest") from None
        which = request.WhichOneof("message")
        if which == "answer":
            await self._answer(request.answer)
        elif which == "trickle":
            await self._trickle(request.trickle)
        elif which == "ping_req":
            pong = rtc_pb.Pong(last_ping_timestamp=request.ping_req.timestamp, timestamp=int(time.time() * 1000))
            await self._send(rtc_pb.SignalResponse(pong_resp=pong))
        elif which == "ping":
            await self._send(rtc_pb.SignalResponse(pong=int(time.time() * 1000)))
        elif which == "leave":
            return True
        elif which == "offer":  # a publisher offer: the sandbox's rooms take no published tracks
            log.debug("room %s: %s sent a publisher offer, ignored", self.room_name, self.sid)
        return False

    async def _answer(self, answer: rtc_pb.SessionDescription) -> None:
        assert self._pc is not None
        if not self._offer_pending or answer.type != "answer":
            return
        try:
            await self._pc.setRemoteDescription(RTCSessionDescription(sdp=answer.sdp, type="answer"))
        except Exception as exc:  # a malformed answer ends this session, never the sandbox
            raise _Closed(f"its answer could not be applied ({exc})") from exc
        self._offer_pending = False
        self._answered = True
        log.debug("room %s: %s answered offer %d", self.room_name, self.sid, self._offer_id)
        queued, self._candidates = self._candidates, []
        for trickle in queued:
            await self._trickle(trickle)

    async def _trickle(self, trickle: rtc_pb.TrickleRequest) -> None:
        if trickle.target != SUBSCRIBER:
            return  # candidates for a publisher connection: the sandbox has none
        if not self._answered:
            if len(self._candidates) < MAX_CANDIDATES:
                self._candidates.append(trickle)
            return
        if self._candidates_taken >= MAX_CANDIDATES:
            return  # a real client gathers a handful
        self._candidates_taken += 1
        try:
            init = json.loads(trickle.candidateInit)
            text = init.get("candidate") or ""
            if not text:
                return  # end of candidates
            candidate = candidate_from_sdp(text.split(":", 1)[1] if text.startswith("candidate:") else text)
            candidate.sdpMid = init.get("sdpMid")
            candidate.sdpMLineIndex = init.get("sdpMLineIndex")
            assert self._pc is not None
            await self._pc.addIceCandidate(candidate)
            log.debug("room %s: %s trickled %s", self.room_name, self.sid, text)
        except (ValueError, TypeError, AttributeError, IndexError, RecursionError) as exc:
            log.info("room %s: %s sent an unusable candidate (%s)", self.room_name, self.sid, exc)

    # -- messages to the client -------------------------------------------------------------------

    async def _send(self, response: rtc_pb.SignalResponse) -> None:
        if self.ws.closed:
            raise _Closed("the WebSocket closed")
        try:  # a client that stops reading must not hold its slot forever
            await asyncio.wait_for(self.ws.send_bytes(response.SerializeToString()), self.timings.ping_timeout_s)
        except TimeoutError:
            raise _Closed(f"it read nothing for {self.timings.ping_timeout_s} s") from None

    def _join_response(self) -> rtc_pb.JoinResponse:
        self._known = {session.participant_sid: session for session in self.rooms.publishers(self.room_name)}
        participant = models_pb.ParticipantInfo(
            sid=self.sid,
            identity=self.grant.identity,
            name=self.grant.name,
            state=models_pb.ParticipantInfo.State.JOINED,
            joined_at=int(time.time()),
            joined_at_ms=int(time.time() * 1000),
            permission=models_pb.ParticipantPermission(
                can_subscribe=True, can_publish=False, can_publish_data=False, hidden=self.grant.hidden
            ),
        )
        return rtc_pb.JoinResponse(
            room=self.rooms.room(self.room_name),
            participant=participant,
            other_participants=[ingress_participant(session) for session in self._known.values()],
            server_version=__version__,
            server_info=models_pb.ServerInfo(
                edition=models_pb.ServerInfo.Edition.Standard,
                version=__version__,
                protocol=PROTOCOL_VERSION,
                node_id="ingress-studio-sandbox",
            ),
            subscriber_primary=True,
            ping_interval=self.timings.ping_interval_s,
            ping_timeout=self.timings.ping_timeout_s,
        )

    async def _offer(self, with_tracks: bool = True) -> None:
        """Match the transceivers to the room's publishing tracks, then offer.

        The first offer has the data section alone: aiortc (1.16) keeps one bundled transport only if that
        section owns it, which it does when it exists before any track (else the answer stops the transport)."""
        pc = self._pc
        assert pc is not None
        wanted = self._wanted_tracks() if with_tracks else {}
        for sid, forwarding in list(self._forwarding.items()):
            if sid not in wanted:
                forwarding.transceiver.direction = "inactive"
                forwarding.session.feed.detach(forwarding.track)
                forwarding.track.end()
                del self._forwarding[sid]
        for sid, (session, info) in wanted.items():
            if sid not in self._forwarding:
                self._add_track(session, info)
        if len(pc.getTransceivers()) > MAX_MEDIA_SECTIONS:
            raise _Closed("too many ingress restarts in one session; the viewer should join again")
        self._offer_pending = True
        with room_viewer_candidates():
            await pc.setLocalDescription(await pc.createOffer())
        self._offer_id += 1
        offer = rtc_pb.SessionDescription(type="offer", sdp=pc.localDescription.sdp, id=self._offer_id)
        await self._send(rtc_pb.SignalResponse(offer=offer))
        if self._offer_id == 1:
            await self._trickle_own_candidates(pc.localDescription.sdp)

    async def _trickle_own_candidates(self, sdp: str) -> None:
        """aiortc gathers before it offers, so the offer holds every candidate; they are trickled too, as
        livekit-server does (the client ignores the repeats)."""
        media = SessionDescription.parse(sdp).media
        if not media:
            return
        mid = media[0].rtp.muxId or "0"
        for candidate in media[0].ice_candidates:
            init = {"candidate": "candidate:" + candidate_to_sdp(candidate), "sdpMid": mid, "sdpMLineIndex": 0}
            trickle = rtc_pb.TrickleRequest(candidateInit=json.dumps(init), target=SUBSCRIBER)
            await self._send(rtc_pb.SignalResponse(trickle=trickle))

    def _wanted_tracks(self) -> dict[str, tuple[LiveSession, models_pb.TrackInfo]]:
        return {track.sid: (session, track) for session in self._known.values() for track in session.tracks}

    def _add_track(self, session: LiveSession, info: models_pb.TrackInfo) -> None:
        assert self._pc is not None
        kind = "video" if info.type == models_pb.TrackType.VIDEO else "audio"
        track = ForwardedTrack(kind, info.sid)
        transceiver = self._pc.addTransceiver(track, direction="sendonly")
        # "a=msid:PA_…|TR_… TR_…": the SDK reads the owner's sid and the track's from the stream id, as
        # livekit-server writes it.
        transceiver.sender._stream_id = f"{session.participant_sid}|{info.sid}"
        codecs = [c for c in RTCRtpSender.getCapabilities(kind).codecs if _carries(c.mimeType, info.mime_type)]
        if codecs:
            transceiver.setCodecPreferences(codecs)
        self._forwarding[info.sid] = _Forwarding(session, transceiver, track)
        session.feed.attach(track)

    async def _renegotiate(self) -> None:
        """Tell the client who came and went, then offer the tracks as they now are."""
        self._changes_waiting = False
        now = {session.participant_sid: session for session in self.rooms.publishers(self.room_name)}
        gone = [session for sid, session in self._known.items() if sid not in now]
        new = [session for sid, session in now.items() if sid not in self._known]
        self._known = now
        if gone or new:
            update = rtc_pb.ParticipantUpdate(
                participants=[ingress_participant(s, present=False) for s in gone]
                + [ingress_participant(s) for s in new]
            )
            await self._send(rtc_pb.SignalResponse(update=update))
        if set(self._wanted_tracks()) != set(self._forwarding):
            await self._offer()

    async def _tear_down(self) -> None:
        for forwarding in self._forwarding.values():
            forwarding.session.feed.detach(forwarding.track)
            forwarding.track.end()
        self._forwarding.clear()
        if self._pc is not None:
            with contextlib.suppress(Exception):
                await self._pc.close()
        if not self.ws.closed:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def leave(self, reason: int) -> None:
        """The sandbox stops: tell the client, so it does not try to reconnect."""
        leave = rtc_pb.LeaveRequest(can_reconnect=False, reason=reason, action=rtc_pb.LeaveRequest.Action.DISCONNECT)  # type: ignore[arg-type]
        with contextlib.suppress(Exception):
            await self._send(rtc_pb.SignalResponse(leave=leave))
        with contextlib.suppress(Exception):
            await self.ws.close()


def _carries(codec_mime: str, track_mime: str) -> bool:
    """Whether the codec can carry the track: its own codec for video, Opus for all audio (transcoded)."""
    if track_mime.startswith("audio/"):
        return codec_mime.lower() == "audio/opus"
    return codec_mime.lower() == (track_mime or "video/H264").lower()
