"""Live sessions: one publish (or URL pull) per ingress, and the IngressState the service writes for it.

The state moves like the real ingress service's: BUFFERING with `started_at` and `resource_id` when
a publisher is accepted, PUBLISHING once its tracks exist, then INACTIVE (reusable), COMPLETE (URL)
or ERROR with the reason, and `ended_at`. While live, the measured input and `updated_at` are
written every REFRESH_S. All methods run on the sandbox's event loop thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import time
from collections.abc import Callable

from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.domain.ingress_kinds import LIVE_STATUSES, Status, is_enabled
from ingress_studio.domain.validation import IngressValidationError, validate_info
from ingress_studio.redaction import register_secret
from ingress_studio.sandbox.ids import ID_ALPHABET, random_id
from ingress_studio.sandbox.ingress_service import end_live_state, now_ns
from ingress_studio.sandbox.live_session import LiveSession
from ingress_studio.sandbox.published_tracks import published_tracks
from ingress_studio.sandbox.store import IngressStore
from ingress_studio.sandbox.url_puller import UrlPuller

log = logging.getLogger(__name__)

Input = ingress_pb.IngressInput
RESOURCE_PREFIX = {Input.RTMP_INPUT: "RT_", Input.WHIP_INPUT: "WH_", Input.URL_INPUT: "UR_"}

REFRESH_S = 1.0
NO_MEDIA_TIMEOUT_S = 60.0

# The real service's words (livekit/ingress pkg/errors, livekit-server pkg/service/errors.go) and the
# HTTP status its WHIP endpoint derives from their psrpc codes.
NO_SUCH_KEY = ("ingress does not exist", 404)
DISABLED = ("session is disabled", 403)
INVALID_FOR_A_SESSION = 400  # the service checks the whole ingress (room included) when a session starts
WRONG_TYPE = ("invalid ingress type", 400)
# The real service lets a second publisher take over a live key (the first is then evicted from the
# room); the sandbox refuses it instead, so one stream cannot silently cut another off.
ALREADY_LIVE = ("this ingress already has a live session; stop the other publisher first", 409)
NO_MEDIA = "source encoder not ready"  # the real watchdog's words for "no media for a minute"
RESTARTED = "the sandbox stopped during the session"  # what a URL pull cut short by a stop reports


def _copy(track: models_pb.TrackInfo) -> models_pb.TrackInfo:
    copied = models_pb.TrackInfo()
    copied.CopyFrom(track)
    return copied


def room_id_for(room_name: str) -> str:
    """A stable room sid per room name: the sandbox has no rooms, but the field should look real."""
    digest = hashlib.sha256(room_name.encode()).digest()
    return "RM_" + "".join(ID_ALPHABET[b % len(ID_ALPHABET)] for b in digest[:12])


def _new_state(
    stored: ingress_pb.IngressInfo, status: int, resource_id: str, error: str = ""
) -> ingress_pb.IngressState:
    """A session's first state: started now, in the ingress's room."""
    started = now_ns()
    return ingress_pb.IngressState(
        status=status,  # type: ignore[arg-type]
        error=error,
        room_id=room_id_for(stored.room_name),
        started_at=started,
        updated_at=started,
        resource_id=resource_id,
    )


class Refused(Exception):
    def __init__(self, reason: tuple[str, int]) -> None:
        super().__init__(reason[0])
        self.message, self.http_status = reason


class LiveSessions:
    def __init__(
        self, store: IngressStore, no_media_timeout: float = NO_MEDIA_TIMEOUT_S, refresh_s: float = REFRESH_S
    ) -> None:
        self.store = store
        self.no_media_timeout = no_media_timeout
        self.refresh_s = refresh_s
        self._sessions: dict[str, LiveSession] = {}
        self._last_write: dict[str, float] = {}
        # Told when a session starts publishing (its tracks exist) and when it ends: the rooms' viewers.
        self.on_room_change: list[Callable[[LiveSession], None]] = []

    def get(self, ingress_id: str) -> LiveSession | None:
        return self._sessions.get(ingress_id)

    def all(self) -> list[LiveSession]:
        return list(self._sessions.values())

    # -- beginning --------------------------------------------------------------------------------

    def start(self, stream_key: str, input_type: int, close_transport: Callable[[], None]) -> LiveSession:
        """Accept a publisher on `stream_key` or raise Refused with the real service's reason."""
        info = self.store.load_by_stream_key(stream_key) if stream_key else None
        if info is None:
            raise Refused(NO_SUCH_KEY)
        register_secret(stream_key)  # only real keys: anyone may send any string
        if info.input_type != input_type:
            self._record_refusal(info, WRONG_TYPE)
        return self._begin(info, close_transport)

    def pull_url(self, info: ingress_pb.IngressInfo) -> None:
        """Start a URL ingress's pull; it ends COMPLETE with the media, or ERROR with the reason."""
        loop = asyncio.get_running_loop()
        holder: list[LiveSession] = []

        def finished(error: str) -> None:
            session = holder[0]
            if error:
                loop.call_soon_threadsafe(self.end, session, Status.ENDPOINT_ERROR, error)
            else:
                loop.call_soon_threadsafe(self.end_normally, session)

        puller = UrlPuller(info.url, finished)
        try:
            session = self._begin(info, puller.stop)
        except Refused as exc:  # the API refuses a disabled URL ingress; an old stored one must not break create
            log.info("%s: not pulled: %s", info.ingress_id, exc.message)
            return
        holder.append(session)
        puller.start(session)

    def _begin(self, info: ingress_pb.IngressInfo, close_transport: Callable[[], None]) -> LiveSession:
        if not is_enabled(info):
            self._record_refusal(info, DISABLED)
        try:  # ingress.Validate, as the ingress service runs it for each session: an RTMP/WHIP room is optional
            validate_info(info, require_room=True)  # at create, not when media arrives
        except IngressValidationError as exc:
            self._record_refusal(info, (exc.message, INVALID_FOR_A_SESSION))
        if info.ingress_id in self._sessions:
            raise Refused(ALREADY_LIVE)
        resource_id = random_id(RESOURCE_PREFIX.get(info.input_type, "IR_"))

        def begin(stored: ingress_pb.IngressInfo) -> None:
            stored.state.CopyFrom(_new_state(stored, Status.ENDPOINT_BUFFERING, resource_id))

        stored = self.store.modify(info.ingress_id, begin)
        if stored is None:
            raise Refused(NO_SUCH_KEY)
        session = LiveSession(stored, resource_id, close_transport)
        self._sessions[info.ingress_id] = session
        self._last_write[info.ingress_id] = time.monotonic()
        log.info("%s: session %s started", info.ingress_id, resource_id)
        return session

    def _record_refusal(self, info: ingress_pb.IngressInfo, reason: tuple[str, int]) -> None:
        """Like the ingress service, a refused publisher leaves an ERROR state on the ingress it named."""
        if info.ingress_id in self._sessions:
            raise Refused(reason)  # never disturb a live session's state

        def record(stored: ingress_pb.IngressInfo) -> None:
            resource_id = random_id(RESOURCE_PREFIX.get(stored.input_type, "IR_"))
            state = _new_state(stored, Status.ENDPOINT_ERROR, resource_id, error=reason[0])
            state.ended_at = state.started_at  # refused at once
            stored.state.CopyFrom(state)

        self.store.modify(info.ingress_id, record)
        raise Refused(reason)

    # -- while live -------------------------------------------------------------------------------

    def _write(self, session: LiveSession, change: Callable[[ingress_pb.IngressState], None]) -> None:
        """Change the stored state if it still belongs to this session (an update may have ended it)."""

        def guarded(stored: ingress_pb.IngressInfo) -> None:
            if stored.state.resource_id == session.resource_id and stored.state.status in LIVE_STATUSES:
                change(stored.state)

        self.store.modify(session.ingress_id, guarded)
        self._last_write[session.ingress_id] = time.monotonic()

    def refresh(self) -> None:
        """Publish newly ready sessions, write the measured input, and end sessions without media."""
        now = time.monotonic()
        for session in self.all():
            silent_s = session.meter.seconds_since_media()
            if silent_s > self.no_media_timeout:
                log.info("%s: no media for %.0f s, ending the session", session.ingress_id, self.no_media_timeout)
                self.end(session, Status.ENDPOINT_ERROR, NO_MEDIA)
                continue
            gone_after = session.gone_after_silence_s
            if gone_after is not None and silent_s > gone_after and session.meter.has_packets():
                log.info("%s: media stopped %.1f s ago: the publisher has gone", session.ingress_id, silent_s)
                self.end_normally(session)
                continue
            becomes_ready = not session.publishing and session.ready()
            if not becomes_ready and now - self._last_write.get(session.ingress_id, 0) < self.refresh_s:
                continue

            if becomes_ready:
                session.publishing = True
                log.info("%s: publishing", session.ingress_id)
            kinds_before = {track.type for track in session.tracks}
            self._write(session, functools.partial(self._measure, session, publishing_now=becomes_ready))
            # Publishing, or a track that came later (audio that starts after the picture): viewers are told.
            if becomes_ready or (session.publishing and {track.type for track in session.tracks} != kinds_before):
                self._tell_rooms(session)

    def _tell_rooms(self, session: LiveSession) -> None:
        for listener in self.on_room_change:
            try:
                listener(session)
            except Exception:  # a viewer's trouble must not stop the sessions' bookkeeping
                log.exception("%s: telling the room failed", session.ingress_id)

    @staticmethod
    def _measure(session: LiveSession, state: ingress_pb.IngressState, *, publishing_now: bool) -> None:
        session.meter.write_to(state)
        state.updated_at = now_ns()
        if publishing_now:
            state.status = Status.ENDPOINT_PUBLISHING
        if state.status == Status.ENDPOINT_PUBLISHING:
            # Kept current (sizes and channels become known as media arrives); a track keeps its sid.
            sids = {track.type: track.sid for track in state.tracks}
            kinds = session.kinds()
            tracks = published_tracks(session.info, state, "video" in kinds, "audio" in kinds)
            for track in tracks:
                track.sid = sids.get(track.type, track.sid)
            del state.tracks[:]
            state.tracks.extend(tracks)
            session.tracks = [_copy(track) for track in tracks]

    async def run(self, tick_s: float = 0.25) -> None:
        while True:
            await asyncio.sleep(tick_s)
            try:
                self.refresh()
            except Exception:
                log.exception("refreshing live sessions failed")

    # -- ending -----------------------------------------------------------------------------------

    def end(self, session: LiveSession, status: int, error: str = "") -> None:
        """The transport ended (or must end): write the final state once and let the transport go."""
        if session.ended:
            return
        session.ended = True
        self._sessions.pop(session.ingress_id, None)
        self._last_write.pop(session.ingress_id, None)
        session.preview.close()
        session.feed.close()
        if session.publishing:
            self._tell_rooms(session)

        def finish(state: ingress_pb.IngressState) -> None:
            session.meter.write_to(state)
            end_live_state(state, status, error)

        try:
            self._write(session, finish)
        except Exception:  # the store is busy or broken: the next start recovers the state
            log.exception("%s: the end of session %s was not stored", session.ingress_id, session.resource_id)
        log.info("%s: session %s ended (%s%s)", session.ingress_id, session.resource_id, Status.Name(status),
                 f": {error}" if error else "")  # fmt: skip
        with contextlib.suppress(Exception):
            session.close_transport()

    def end_normally(self, session: LiveSession) -> None:
        reusable = session.info.reusable
        self.end(session, Status.ENDPOINT_INACTIVE if reusable else Status.ENDPOINT_COMPLETE)

    def stop_ingress(self, ingress_id: str) -> None:
        """The ingress was updated or deleted: end its session; the API has written the state already."""
        session = self._sessions.get(ingress_id)
        if session is not None:
            self.end(session, Status.ENDPOINT_INACTIVE)

    def stop_all(self) -> None:
        """The sandbox stops: publishes end as usual, URL pulls were cut short (an error, as after a crash)."""
        for session in self.all():
            if session.info.reusable:
                self.end_normally(session)
            else:
                self.end(session, Status.ENDPOINT_ERROR, RESTARTED)

    def recover_after_restart(self) -> None:
        """Sessions live in the store but not in this process were cut by a stop: end them."""
        for _, info in self.store.list():
            if info.state.status in LIVE_STATUSES and info.ingress_id not in self._sessions:

                def cut(stored: ingress_pb.IngressInfo) -> None:
                    if stored.reusable:
                        end_live_state(stored.state, Status.ENDPOINT_INACTIVE)
                    else:
                        end_live_state(stored.state, Status.ENDPOINT_ERROR, RESTARTED)

                self.store.modify(info.ingress_id, cut)
