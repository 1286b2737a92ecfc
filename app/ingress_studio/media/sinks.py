"""One destination of a push: its own thread connects, sends, and reconnects with backoff.

Packets arrive already encoded; a sink copies the encoders' stream parameters into each new
connection, waits for a keyframe (asking the encoder for one at once), and restarts timestamps at
zero on every connection so the server sees a fresh, well-formed stream.
"""

from __future__ import annotations

import collections
import errno
import logging
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from urllib.parse import urlsplit

import av
import av.container

from ingress_studio.media.errors import MediaError, TargetError, TargetUnauthorized
from ingress_studio.media.ffmpeg_log import ConnectionErrors, LogLine, captured_ffmpeg_errors, rtmp_server_error
from ingress_studio.media.profiles import TargetKind
from ingress_studio.media.reconnect import ReconnectPolicy
from ingress_studio.media.send_buffer import limit_send_buffer, send_buffer_bytes
from ingress_studio.media.server_preflight import (
    RTMP_PORTS,
    ServerSilent,
    check_http_server_answers,
    check_rtmp_server_answers,
)
from ingress_studio.media.stats import PushState, SinkStats
from ingress_studio.media.targets import Target
from ingress_studio.media.tls_check import CertificateRejected, verify_rtmps_certificate
from ingress_studio.media.wall_clock import latency_ms
from ingress_studio.media.whip_refusal import whip_refusal_reason
from ingress_studio.user_error import as_sentence

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
QUEUE_LIMIT = 600  # packets (~10 s of 30 fps video + audio): beyond this a live source drops
# A live source's backlog beyond this (OBS's default drop threshold) is dropped, and the stream resumes at a
# fresh keyframe: after a stall the viewer sees now, not a recording of the stall played late (ingress#350).
BACKLOG_LIMIT_S = 0.7
UNKNOWN_BITRATE_BPS = 6_000_000  # a stream that does not say its bitrate: size the send buffer for a high one


@dataclass(frozen=True)
class OutPacket:
    """An encoded packet, detached from any container so several sinks can send it."""

    kind: str  # "video" or "audio"
    data: bytes
    pts: int
    dts: int
    time_base: Fraction
    keyframe: bool
    duration: int
    seconds: float  # dts in seconds, computed once: Fraction arithmetic is slow on the hot path
    handed_ms: int | None = None  # a picture's: when the reader handed it over (media/wall_clock.py)

    @classmethod
    def from_packet(cls, kind: str, packet: av.Packet[Any], handed_ms: int | None = None) -> OutPacket:
        base, pts, dts = packet.time_base, packet.pts, packet.dts  # each read makes a new object: once
        assert base is not None and pts is not None
        dts = pts if dts is None else dts
        return cls(
            kind,
            bytes(packet),
            pts,
            dts,
            base,
            packet.is_keyframe,
            packet.duration or 0,
            dts * base.numerator / base.denominator,
            handed_ms,
        )


@dataclass(frozen=True)
class StreamTemplates:
    """The streams whose parameters each connection copies: encoders' (transcode) or the input's (remux)."""

    video: av.VideoStream | None
    audio: av.AudioStream | None


@dataclass(frozen=True)
class HttpRefusal:
    error: type[av.error.HTTPClientError]
    status: int
    phrase: str
    hint: str  # what to check, after the server's own reason
    without_reason: str | None  # the sentence when the server gives none ("{where}" filled in); None: no refusal


HTTP_REFUSALS = (
    HttpRefusal(
        av.error.HTTPBadRequestError, 400, "Bad Request", " Check that the key belongs to a WHIP ingress.", None
    ),
    HttpRefusal(
        av.error.HTTPUnauthorizedError,
        401,
        "Unauthorized",
        " Check the key or token.",
        "{where} refused the stream key (401 Unauthorized): check the key or token.",
    ),
    HttpRefusal(
        av.error.HTTPForbiddenError,
        403,
        "Forbidden",
        "",
        "{where} refused the stream (403 Forbidden): the ingress may be disabled.",
    ),
    HttpRefusal(
        av.error.HTTPNotFoundError,
        404,
        "Not Found",
        " Check the key.",
        "{where} does not know this stream key (404 Not Found): check the key.",
    ),
)


def _whip_refusal(target: Target, exc: av.error.HTTPClientError) -> MediaError | None:
    where = target.name
    refusal = next((r for r in HTTP_REFUSALS if isinstance(exc, r.error)), None)
    if refusal is None:
        return None
    reason = whip_refusal_reason(target, refusal.status)
    if reason:
        return TargetUnauthorized(
            f"{where} refused the stream: {reason} ({refusal.status} {refusal.phrase}).{refusal.hint}"
        )
    return TargetUnauthorized(refusal.without_reason.format(where=where)) if refusal.without_reason else None


def describe_target_error(target: Target, exc: BaseException, ffmpeg_errors: list[LogLine] | None = None) -> MediaError:
    """One sentence for a failed connection; the server's own reason when it gave one (RTMP onStatus,
    WHIP response body), since that is what the streamer can act on."""
    where = target.name
    if isinstance(exc, av.error.HTTPClientError):
        refusal = _whip_refusal(target, exc)
        if refusal is not None:
            return refusal
    server_said = rtmp_server_error(ffmpeg_errors or [])
    if server_said:
        return TargetUnauthorized(f"{where} refused the stream: {as_sentence(server_said)}")
    number = getattr(exc, "errno", None)
    if number == errno.ECONNREFUSED:
        return TargetError(f"Cannot connect to {where}: connection refused. Is the server running?")
    if number in (errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ENETUNREACH):
        return TargetError(f"Cannot reach {where}: {getattr(exc, 'strerror', '') or 'timed out'}.")
    if isinstance(exc, av.error.ExitError):
        return TargetError(f"{where} did not answer within {CONNECT_TIMEOUT_S:g} s.")
    reason = getattr(exc, "strerror", None) or str(exc)
    return TargetError(f"{where} refused or dropped the stream ({reason}).")


class CodecNotCarried(TargetError):
    """The target's muxer cannot carry a codec we would send; no retry can help."""


class Sink:
    def __init__(
        self,
        target: Target,
        templates: StreamTemplates,
        stats: SinkStats,
        policy: ReconnectPolicy,
        request_keyframe: collections.abc.Callable[[], None] | None = None,
    ) -> None:
        self.target = target
        self.templates = templates
        self.stats = stats
        self.policy = policy
        self._request_keyframe = request_keyframe or (lambda: None)
        self._queue: collections.deque[OutPacket] = collections.deque()
        self._cv = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=f"sink {target.name}", daemon=True)
        self.failure: MediaError | None = None
        self.ever_connected = False
        self._live = threading.Event()
        self._backlog_dropped = False  # set by offer(), taken by the sending thread: it resumes at a keyframe

    # --- called by the pipeline thread -------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    @property
    def live(self) -> bool:
        return self._live.is_set()

    @property
    def finished(self) -> bool:
        return not self._thread.is_alive()

    def offer(self, packet: OutPacket, block: bool) -> None:
        """Queue a packet. Not connected: dropped. Queue full: dropped (live) or wait for room (files)."""
        with self._cv:
            if packet.kind == "video":
                self.stats.video_frames += 1
            if not self._live.is_set():
                self._count_drop(packet)
                return
            while block and len(self._queue) >= QUEUE_LIMIT and not self._stopping and self._live.is_set():
                self._cv.wait(0.1)
            if not block and self._queue and packet.seconds - self._queue[0].seconds > BACKLOG_LIMIT_S:
                self._drop_backlog()
            if len(self._queue) >= QUEUE_LIMIT:
                self._count_drop(packet)
                return
            self._queue.append(packet)
            if len(self._queue) == 1:  # the sink sleeps only on an empty queue
                self._cv.notify_all()

    def _drop_backlog(self) -> None:
        """The connection takes less than real time (a stall, a thin uplink): drop what waits (called with the
        lock held). The sending thread then drops what it still holds and resumes at a fresh keyframe; a long
        stall drops again and again, but counts once and asks for one keyframe."""
        behind = self._queue[-1].seconds - self._queue[0].seconds
        self.stats.packets_dropped += sum(1 for p in self._queue if p.kind == "video")
        self._queue.clear()
        if not self._backlog_dropped:
            log.info("%s fell %.1f s behind: dropped the backlog, resuming at a keyframe", self.target.name, behind)
            self.stats.backlogs_dropped += 1
        self._backlog_dropped = True

    def _count_drop(self, packet: OutPacket) -> None:
        if packet.kind == "video":
            self.stats.packets_dropped += 1

    def count_lost_frame(self) -> None:
        """A live source's frame that was never encoded because no target was connected: lost for this one too."""
        with self._cv:
            self.stats.video_frames += 1
            self.stats.packets_dropped += 1

    def _count_unsent(self, packets: collections.abc.Iterable[OutPacket]) -> None:
        with self._cv:
            self.stats.packets_dropped += sum(1 for p in packets if p.kind == "video")

    def stop(self, timeout_s: float = 10.0) -> None:
        """Send what is queued, close (WHIP: DELETE; RTMP: end of stream), and end the thread."""
        with self._cv:
            self._stopping = True
            self._cv.notify_all()
        if self._thread.ident is not None:
            self._thread.join(timeout_s)

    def wait_until_live_or_finished(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._live.wait(0.05):
                return True
            if self.finished:
                return False
        return self._live.is_set()

    # --- the sink's own thread ---------------------------------------------------------------

    def _open(self) -> tuple[av.container.OutputContainer, dict[str, av.stream.Stream]]:
        secure = self.target.url.lower().startswith("rtmps://")
        if secure:
            verify_rtmps_certificate(self.target.url)
        # FFmpeg's own connect cannot be bounded from PyAV and holds the GIL: first see that the server answers
        if self.target.kind is TargetKind.RTMP:
            check_rtmp_server_answers(self.target.url, self.target.name)
            container = av.open(self.target.publish_url, "w", format="flv", timeout=(CONNECT_TIMEOUT_S, None))
        else:
            check_http_server_answers(self.target.publish_url, self.target.name)
            from ingress_studio.media.whip_certificate import whip_certificate_files  # cryptography: WHIP only

            cert_file, key_file = whip_certificate_files()
            options = {"cert_file": cert_file, "key_file": key_file, "whip_flags": "dtls_active"}
            if self.target.key:
                options["authorization"] = self.target.key
            container = av.open(
                self.target.publish_url, "w", format="whip", options=options, timeout=(CONNECT_TIMEOUT_S, None)
            )
        streams: dict[str, av.stream.Stream] = {}
        try:
            for kind, template in (("video", self.templates.video), ("audio", self.templates.audio)):
                if template is None:
                    continue
                try:
                    streams[kind] = container.add_stream_from_template(template, opaque=True)
                except ValueError as exc:  # the muxer itself says which codecs it carries
                    codec = template.codec_context.codec.canonical_name.upper()
                    raise CodecNotCarried(
                        f"{self.target.kind.value.upper()} (this FFmpeg's {container.format.name} muxer) cannot carry "
                        f"{codec} {kind}; choose another codec."
                    ) from exc
            container.start_encoding()  # connects and writes the header
            if self.target.kind is TargetKind.RTMP:
                self._bound_send_buffer()
        except BaseException:
            _close_quietly(container)
            raise
        return container, streams

    def _bound_send_buffer(self) -> None:
        """At most about a second of the stream in the kernel: half a second set, which Linux doubles."""
        parts = urlsplit(self.target.url)
        streams = [t for t in (self.templates.video, self.templates.audio) if t is not None]
        # a stream that does not say its bitrate (a remuxed file's often) counts as a high one
        bitrate = sum(t.codec_context.bit_rate or UNKNOWN_BITRATE_BPS for t in streams)
        if parts.hostname:
            port = parts.port or RTMP_PORTS.get(parts.scheme.lower(), RTMP_PORTS["rtmp"])
            limit_send_buffer(parts.hostname, port, send_buffer_bytes(bitrate))

    def _wait(self, seconds: float) -> bool:
        """Sleep unless stopped; True if we should go on."""
        with self._cv:
            if not self._stopping:
                self._cv.wait(seconds)
            return not self._stopping

    def _connect_once(self) -> tuple[bool, MediaError | None]:
        """One connection: whether media went out, and why it ended if it failed. Final refusals raise."""
        with captured_ffmpeg_errors() as ffmpeg_errors:
            try:
                container, streams = self._open()
                return self._send_until_failure(container, streams, ffmpeg_errors), None
            except ServerSilent as exc:
                return False, exc
            except (av.FFmpegError, OSError) as exc:
                return False, describe_target_error(self.target, exc, ffmpeg_errors.lines)

    def _run(self) -> None:
        attempt = 0
        while not self._stopping:
            self.stats.state = PushState.CONNECTING if not self.ever_connected else PushState.RECONNECTING
            try:
                sent_any, error = self._connect_once()
            except (CodecNotCarried, CertificateRejected, TargetUnauthorized) as exc:
                self.failure = exc
                break
            if error is not None:
                self._live.clear()
                self.stats.error = error.message
                if not self.ever_connected or isinstance(error, TargetUnauthorized):
                    self.failure = error
                    break
                log.warning("%s", error.message)
            elif self._stopping:
                break
            if sent_any:
                attempt = 0  # a connection that carried media resets the count (OBS does the same)
            attempt += 1
            if self.policy.gives_up_after(attempt):
                self.failure = TargetError(f"Gave up on {self.target.name} after {attempt} reconnect attempts.")
                break
            delay = self.policy.delay(attempt)
            self.stats.state = PushState.RECONNECTING
            self.stats.reconnect_attempt = attempt
            self.stats.next_retry_s = round(delay, 2)
            self.stats.retry_at = time.monotonic() + delay
            log.info("reconnecting to %s in %.1f s (attempt %d)", self.target.name, delay, attempt)
            if not self._wait(delay):
                break
        self._live.clear()
        self.stats.state = PushState.STOPPED
        self.stats.next_retry_s = self.stats.retry_at = None

    def _send_until_failure(
        self,
        container: av.container.OutputContainer,
        streams: dict[str, av.stream.Stream],
        ffmpeg_errors: ConnectionErrors,
    ) -> bool:
        """Send queued packets until stopped (returns normally) or the connection fails: raises the FFmpeg
        error if nothing ever went out, TargetUnauthorized if the server refused us, else returns."""
        origin_s: float | None = None
        last_dts: dict[str, int] = {}
        need_key = "video" in streams
        sent_any = False
        batch: list[OutPacket] = []
        muxing = 0  # the packet of the batch being sent: a failure loses it and the rest of the batch
        with self._cv:
            # left over from the connection before: the stream restarts from a keyframe, these never go out
            self.stats.packets_dropped += sum(1 for p in self._queue if p.kind == "video")
            self._queue.clear()
            self._backlog_dropped = False  # this connection starts at a keyframe anyway
        self._live.set()
        self._request_keyframe()
        try:
            while True:
                with self._cv:
                    while not self._queue and not self._stopping:
                        self._cv.wait(0.2)
                    if not self._queue and self._stopping:
                        break
                    # take everything queued at once: one wake-up per burst, not per packet
                    batch = list(self._queue)
                    self._queue.clear()
                    self._cv.notify_all()
                    resync = self._backlog_dropped  # what is queued now came after the drop: it is kept
                    self._backlog_dropped = False
                if resync:
                    need_key = "video" in streams
                    self._request_keyframe()
                for muxing in range(len(batch)):  # the index outlives the loop: a failure counts from it
                    if self._backlog_dropped:
                        # dropped while we sent this batch: the rest of it is older still (taken next time round)
                        self._count_unsent(batch[muxing:])
                        break
                    packet = batch[muxing]
                    if need_key:
                        if packet.kind != "video" or not packet.keyframe:
                            # nothing plays until the first keyframe: skip audio too, to start in sync
                            self._count_unsent((packet,))
                            continue
                        need_key = False
                    if origin_s is None:
                        origin_s = packet.seconds
                    if packet.kind not in streams or packet.seconds < origin_s:
                        continue
                    shift = round(origin_s * packet.time_base.denominator / packet.time_base.numerator)
                    if packet.dts - shift <= last_dts.get(packet.kind, -1):
                        continue  # e.g. a looped file's audio outlasting its picture: muxers need rising dts
                    last_dts[packet.kind] = packet.dts - shift
                    out = av.Packet(packet.data)
                    out.stream = streams[packet.kind]
                    out.time_base = packet.time_base
                    out.pts = packet.pts - shift
                    out.dts = packet.dts - shift
                    out.duration = packet.duration
                    out.is_keyframe = packet.keyframe
                    container.mux(out)
                    if packet.handed_ms is not None:
                        self.stats.send_delay.add(latency_ms(packet.handed_ms))
                    if not sent_any:
                        sent_any = True
                        ffmpeg_errors.done()  # the server took the stream: its refusals would have come by now
                        if not self.ever_connected:
                            log.info("live on %s", self.target.name)
                        self.ever_connected = True
                        self.stats.state = PushState.LIVE
                        self.stats.error = ""
                        self.stats.reconnect_attempt = 0
                        self.stats.next_retry_s = self.stats.retry_at = None
                    self.stats.bytes_sent += len(packet.data)
        except (av.FFmpegError, OSError) as exc:
            self._live.clear()
            self._count_unsent(batch[muxing:])
            _close_quietly(container)
            if not sent_any and not self.ever_connected:
                raise
            error = describe_target_error(self.target, exc, ffmpeg_errors.lines)
            if isinstance(error, TargetUnauthorized):
                raise error from exc
            self.stats.error = error.message
            log.warning("connection to %s lost: %s", self.target.name, error.message)
            return sent_any
        self._live.clear()
        _close_quietly(container)
        return sent_any


def _close_quietly(container: av.container.OutputContainer) -> None:
    try:
        container.close()
    except (av.FFmpegError, OSError) as exc:
        log.debug("closing output: %s", exc)
