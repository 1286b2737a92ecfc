"""One watch: join a room hidden, follow one participant, count and show what arrives from it.

Everything here runs on one asyncio loop, the one that created the Room and the streams (the SDK ties them
to it). Events leave through `emit` as the protocol's dicts (docs/watch-protocol.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from livekit import rtc
from livekit.protocol.models import DisconnectReason

from ingress_studio.room_watch.ending import NO_ICE_SENTENCE, STOPPED, Ending, Reason, connect_failure, disconnected
from ingress_studio.room_watch.host_network import has_non_loopback_address
from ingress_studio.room_watch.picture_stamps import StampReader
from ingress_studio.room_watch.pictures import PreviewPictures
from ingress_studio.room_watch.received import Received
from ingress_studio.room_watch.sound_levels import SoundLevels

log = logging.getLogger(__name__)

Emit = Callable[[dict[str, Any]], None]

CONNECT_TIMEOUT_S = 10.0  # per signalling attempt; the SDK tries three times
STATS_INTERVAL_S = 1.0
AUDIO_SAMPLE_RATE = 48000
AUDIO_CHANNELS = 2  # an ingress publishes stereo Opus by default; a mono one shows two equal channels
DEFAULT_PREVIEW_WIDTH = 640


@dataclass(frozen=True)
class WatchRequest:
    url: str
    token: str = field(repr=False)  # lets anyone holding it into the room: never in a log line
    identity: str  # the participant to watch
    preview: bool = True
    preview_width: int = DEFAULT_PREVIEW_WIDTH


def signalling_url(url: str) -> str:
    """The SDK wants ws(s)://; a project's URL is often http(s):// (as `lk` accepts either)."""
    for web, socket in (("http://", "ws://"), ("https://", "wss://")):
        if url.startswith(web):
            return socket + url[len(web) :]
    return url


def _kind(publication: rtc.TrackPublication) -> str:
    return "video" if publication.kind == rtc.TrackKind.KIND_VIDEO else "audio"


def participant_event(identity: str, participant: rtc.RemoteParticipant | None) -> dict[str, Any]:
    tracks = []
    if participant is not None:
        for publication in participant.track_publications.values():
            tracks.append(
                {
                    "sid": publication.sid,
                    "kind": _kind(publication),
                    "mime_type": publication.mime_type,
                    "width": publication.width,
                    "height": publication.height,
                    "subscribed": publication.subscribed,
                }
            )
    return {
        "event": "participant",
        "identity": identity,
        "name": participant.name if participant is not None else "",
        "present": participant is not None,
        "tracks": tracks,
    }


async def bytes_received(track: rtc.RemoteTrack | None) -> int | None:
    """The track's inbound RTP byte count from the SDK's WebRTC stats; None when they give none."""
    if track is None:
        return None
    try:
        stats = await track.get_stats()
    except Exception as exc:  # stats are a nicety: a failure leaves the figure empty
        log.debug("no stats for %s: %r", track.sid, exc)
        return None
    inbound = [s.inbound_rtp.inbound for s in stats if s.WhichOneof("stats") == "inbound_rtp"]
    # livekit 1.2.0 counts packets but leaves bytes_received unset: no figure rather than a false 0
    totals = [each.bytes_received for each in inbound if each.HasField("bytes_received")]
    return sum(totals) if totals else None


class RoomWatch:
    def __init__(self, request: WatchRequest, emit: Emit) -> None:
        self.request = request
        self._emit = emit
        self._received = Received()
        self._stamps = StampReader()
        self._sound = SoundLevels()
        self._pictures = PreviewPictures(request.preview_width, emit) if request.preview else None
        self._ending: asyncio.Future[Ending] = asyncio.get_running_loop().create_future()
        self._room: rtc.Room | None = None
        self._readers: dict[str, tuple[rtc.RemoteTrack, asyncio.Task[None]]] = {}  # by track sid
        self.joining = True  # until connect() returned or failed

    def stop(self) -> None:
        """Leave the room (asked for: stop, quit, stdin closed, --duration over)."""
        self._end(STOPPED)

    def _end(self, ending: Ending) -> None:
        if not self._ending.done():
            self._ending.set_result(ending)

    async def run(self) -> Ending:
        """Join, watch until stopped or disconnected, leave; `ended` is the last event it emits."""
        self._state("connecting")
        try:
            ending = await self._join()
        finally:
            self.joining = False
        if ending is None:
            stats = asyncio.create_task(self._report_stats(), name="watch-stats")
            ending = await self._ending
            stats.cancel()
        await self._leave()
        self._state("disconnected", "" if ending.ok else ending.message)
        if ending.reason not in (Reason.STOPPED, Reason.DISCONNECTED):
            self._emit({"event": "error", "message": ending.message})
        self._emit(ending.event())
        return ending

    async def _join(self) -> Ending | None:
        """None once joined; else why not."""
        if not has_non_loopback_address():
            return Ending(Reason.NO_ICE, NO_ICE_SENTENCE)
        room = rtc.Room()
        self._room = room
        self._listen(room)
        url = signalling_url(self.request.url)
        options = rtc.RoomOptions(auto_subscribe=True, connect_timeout=CONNECT_TIMEOUT_S)
        connecting = asyncio.create_task(room.connect(url, self.request.token, options), name="watch-connect")
        waiting: set[asyncio.Future[Any]] = {connecting, self._ending}
        done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if connecting not in done:  # stopped while joining: the join goes on, then is left at once
            with contextlib.suppress(rtc.ConnectError):
                await connecting
            return self._ending.result()
        try:
            connecting.result()
        except rtc.ConnectError as exc:
            log.info("could not join %s: %s", url, exc.message)
            return connect_failure(self.request.url, exc.message)
        self._received.joined()
        log.info("joined room %s as %s in %.3f s", room.name, room.local_participant.identity, self._received.join_s)
        self._state("connected")
        watched = room.remote_participants.get(self.request.identity)
        self._received.present = watched is not None
        self._emit(participant_event(self.request.identity, watched))
        if watched is not None:
            for publication in watched.track_publications.values():
                if publication.track is not None:
                    self._read(publication.track)
        return None

    async def _leave(self) -> None:
        for _track, task in list(self._readers.values()):
            task.cancel()
        await asyncio.gather(*(task for _track, task in self._readers.values()), return_exceptions=True)
        self._readers.clear()
        if self._room is not None and self._room.isconnected():
            try:
                await self._room.disconnect()
            except Exception as exc:  # leaving is best effort: the server drops a silent viewer anyway
                log.warning("leaving the room failed: %r", exc)
        if self._pictures is not None:
            self._pictures.close()

    def _state(self, state: str, message: str = "") -> None:
        self._emit({"event": "state", "state": state, "message": message})

    def _watched(self, participant: rtc.RemoteParticipant) -> bool:
        return participant.identity == self.request.identity

    def _participant_changed(self, participant: rtc.RemoteParticipant | None) -> None:
        self._received.present = participant is not None
        self._emit(participant_event(self.request.identity, participant))

    def _listen(self, room: rtc.Room) -> None:
        def joined(participant: rtc.RemoteParticipant) -> None:
            if self._watched(participant):
                log.info("%s joined", participant.identity)
                self._participant_changed(participant)

        def left(participant: rtc.RemoteParticipant) -> None:
            if self._watched(participant):
                log.info("%s left", participant.identity)
                for sid in list(self._readers):
                    self._stop_reading(sid)
                self._participant_changed(None)

        def published(_publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
            if self._watched(participant):
                self._participant_changed(participant)

        def subscribed(
            track: rtc.Track, _publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant
        ) -> None:
            if self._watched(participant) and isinstance(track, rtc.RemoteVideoTrack | rtc.RemoteAudioTrack):
                self._read(track)
                self._participant_changed(participant)

        def unsubscribed(
            track: rtc.Track, _publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant
        ) -> None:
            if self._watched(participant):
                self._stop_reading(track.sid)
                self._participant_changed(participant)

        def gone(reason: int) -> None:
            name = DisconnectReason.Name(reason) if reason in DisconnectReason.values() else "UNKNOWN_REASON"
            log.info("disconnected: %s", name)
            self._end(disconnected(name))

        room.on("participant_connected", joined)
        room.on("participant_disconnected", left)
        room.on("track_published", published)
        room.on("track_unpublished", published)
        room.on("track_subscribed", subscribed)
        room.on("track_unsubscribed", unsubscribed)
        room.on("reconnecting", lambda: self._state("reconnecting", "The connection to the room dropped: rejoining."))
        room.on("reconnected", lambda: self._state("connected"))
        room.on("disconnected", gone)

    def _read(self, track: rtc.RemoteTrack) -> None:
        if track.sid in self._readers:
            return
        if isinstance(track, rtc.RemoteVideoTrack):
            reader = self._read_video(track)
        elif isinstance(track, rtc.RemoteAudioTrack):
            reader = self._read_audio(track)
        else:
            return
        log.info("receiving %s track %s", "video" if isinstance(track, rtc.RemoteVideoTrack) else "audio", track.sid)
        self._readers[track.sid] = (track, asyncio.create_task(reader, name=f"watch-{track.sid}"))

    def _stop_reading(self, sid: str) -> None:
        entry = self._readers.pop(sid, None)
        if entry is not None:
            track, task = entry
            task.cancel()
            if isinstance(track, rtc.RemoteVideoTrack):
                self._received.video_gone()

    async def _read_video(self, track: rtc.RemoteVideoTrack) -> None:
        # RGBA only when previews are wanted: the conversion costs a pass over every picture. Otherwise I420,
        # what the decoder gives anyway, so that the clock stamp is read off a known luma plane.
        rgba = self._pictures is not None
        kind = rtc.VideoBufferType.RGBA if rgba else rtc.VideoBufferType.I420
        stream = rtc.VideoStream(track, capacity=2, format=kind)  # capacity: a slow reader drops the oldest
        try:
            async for event in stream:
                frame = event.frame
                self._received.picture(frame.width, frame.height)
                latency = self._stamps.latency_ms(frame.data, frame.width, frame.height, rgba)
                if latency is not None:
                    self._received.stamp(latency)
                if self._pictures is not None:
                    self._pictures.offer(frame.data, frame.width, frame.height)
        finally:
            await stream.aclose()

    async def _read_audio(self, track: rtc.RemoteAudioTrack) -> None:
        stream = rtc.AudioStream(track, sample_rate=AUDIO_SAMPLE_RATE, num_channels=AUDIO_CHANNELS, capacity=50)
        try:
            async for event in stream:
                frame = event.frame
                self._received.sound(frame.sample_rate, frame.num_channels)
                levels = self._sound.add(frame.data, frame.sample_rate, frame.num_channels)
                if levels is not None:
                    self._emit(levels)
        finally:
            await stream.aclose()

    def _track_of(self, kind: type[rtc.RemoteTrack]) -> rtc.RemoteTrack | None:
        return next((track for track, _task in self._readers.values() if isinstance(track, kind)), None)

    async def _report_stats(self) -> None:
        loop = asyncio.get_running_loop()
        next_at = loop.time() + STATS_INTERVAL_S
        while True:
            await asyncio.sleep(max(0.0, next_at - loop.time()))
            next_at += STATS_INTERVAL_S
            video = self._track_of(rtc.RemoteVideoTrack)
            audio = self._track_of(rtc.RemoteAudioTrack)
            video_bytes, audio_bytes = await asyncio.gather(bytes_received(video), bytes_received(audio))
            levels = self._sound.second()
            self._emit(self._received.tick(video_bytes, audio_bytes, levels, video is not None, audio is not None))
