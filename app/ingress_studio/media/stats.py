"""What a push is doing, sampled once a second: the `--stats-json` lines and the GUI's stats events."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ingress_studio.media.latency_window import LatencyWindow


class PushState(Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass
class SinkStats:
    name: str
    state: PushState = PushState.CONNECTING
    bytes_sent: int = 0
    video_frames: int = 0  # video frames meant for this target, sent or not
    packets_dropped: int = 0  # of those, the ones that never left: not connected, queue full, lost in a reconnect
    reconnect_attempt: int = 0
    next_retry_s: float | None = None
    retry_at: float | None = None  # time.monotonic() of the next attempt, for a countdown
    error: str = ""
    backlogs_dropped: int = 0  # times a live stream fell behind and its backlog was dropped (sinks.BACKLOG_LIMIT_S)
    # from a picture handed over by the reader to its packet written to this connection: the engine's own delay
    send_delay: LatencyWindow = field(default_factory=LatencyWindow)


@dataclass(frozen=True)
class SourcePlace:
    """Which playlist item the output is playing, and how that item's own time maps onto the output timeline."""

    index: int  # 0-based
    count: int
    name: str  # as the source was named: a file's path, a URL, "test:"
    duration: float | None  # seconds; None for live sources, held pictures and unknown lengths
    after: float | None  # seconds of the items after this one on this pass; None when one is unknown
    timeline_start: float  # output time at which this item is `source_start` seconds in
    source_start: float
    timeline_end: float | None = None  # the output time a --duration ends the push at

    @classmethod
    def of(
        cls,
        index: int,
        names: Sequence[str],
        durations: Sequence[float | None],
        timeline_start: float,
        source_start: float,
        timeline_end: float | None,
    ) -> SourcePlace:
        later = durations[index + 1 :]
        return cls(
            index=index,
            count=len(names),
            name=names[index],
            duration=durations[index],
            after=None if any(d is None for d in later) else sum(d for d in later if d is not None),
            timeline_start=timeline_start,
            source_start=source_start,
            timeline_end=timeline_end,
        )

    def position(self, t: float) -> float:
        """Seconds into this item at output time `t`."""
        inside = max(0.0, self.source_start + t - self.timeline_start)
        return min(inside, self.duration) if self.duration is not None else inside

    def remaining(self, t: float) -> float | None:
        """Seconds until the playlist's last item ends on this pass (or --duration ends the push, if sooner)."""
        if self.duration is None or self.after is None:
            return None
        left = self.duration - self.position(t) + self.after
        if self.timeline_end is not None:
            left = min(left, self.timeline_end - t)
        return max(0.0, left)


@dataclass
class _Sample:
    """The counters at the previous snapshot, for rates over the last interval."""

    at: float
    frames_in: int
    frames_encoded: int
    sent: int
    cpu: float


@dataclass
class JobStats:
    """Counters written by the pipeline and sink threads; `snapshot()` turns them into one JSON object."""

    started: float = field(default_factory=time.monotonic)
    frames_in: int = 0  # video frames the source gave
    frames_encoded: int = 0
    frames_skipped: int = 0  # of frames_in, those a live source gave while the pipeline was too busy to take them
    encode_seconds: float = 0.0
    media_seconds: float = 0.0  # position on the output timeline
    target_fps: float | None = None  # the output's frame rate; None without video, or remuxing an unknown rate
    sinks: list[SinkStats] = field(default_factory=list)
    path: str = ""
    place: SourcePlace | None = None
    place_t: float = 0.0  # output time of the newest item of `place` the pipeline handled
    lock: threading.Lock = field(default_factory=threading.Lock)
    # the whole process's CPU time (every thread): the engine runs one push at a time
    _cpu_started: float = field(default_factory=time.process_time)
    _last: _Sample | None = None

    def overall_state(self) -> PushState:
        states = {s.state for s in self.sinks}
        if not states or states == {PushState.STOPPED}:
            return PushState.STOPPED
        if PushState.LIVE in states:
            return PushState.LIVE
        if PushState.RECONNECTING in states:
            return PushState.RECONNECTING
        return PushState.CONNECTING

    def note_place(self, place: SourcePlace, t: float) -> None:
        """The pipeline handled an item of `place` at output time `t` (call with the lock held)."""
        if place is self.place:
            self.place_t = max(self.place_t, t)  # audio and video interleave: never step back
        else:
            self.place, self.place_t = place, t

    def _source_fields(self) -> dict[str, Any]:
        place = self.place
        if place is None:
            return {
                "source_index": 0,
                "source_count": 0,
                "source_name": "",
                "source_position": 0.0,
                "source_duration": None,
                "playlist_remaining": None,
            }
        remaining = place.remaining(self.place_t)
        return {
            "source_index": place.index,
            "source_count": place.count,
            "source_name": place.name,
            "source_position": round(place.position(self.place_t), 3),
            "source_duration": None if place.duration is None else round(place.duration, 3),
            "playlist_remaining": None if remaining is None else round(remaining, 3),
        }

    def snapshot(self) -> dict[str, Any]:
        now = time.monotonic()
        cpu = time.process_time()
        with self.lock:
            sent = sum(s.bytes_sent for s in self.sinks)
            last = self._last or _Sample(self.started, 0, 0, 0, self._cpu_started)
            interval = max(now - last.at, 1e-6)
            fps_in = (self.frames_in - last.frames_in) / interval
            fps_out = (self.frames_encoded - last.frames_encoded) / interval
            bitrate = (sent - last.sent) * 8 / interval
            cpu_percent = 100 * (cpu - last.cpu) / interval  # like top: 100 is one core
            self._last = _Sample(now, self.frames_in, self.frames_encoded, sent, cpu)
            elapsed = max(now - self.started, 1e-6)
            retrying = [s for s in self.sinks if s.state is PushState.RECONNECTING]
            retry_times = [s.retry_at for s in retrying if s.retry_at is not None]
            frames_lost = sum(s.packets_dropped for s in self.sinks)
            delays = [s.send_delay.figures(now) for s in self.sinks]
            return {
                "state": self.overall_state().value,
                "time": round(self.media_seconds, 3),
                "elapsed": round(elapsed, 3),
                "fps_in": round(fps_in, 2),
                "fps_out": round(fps_out, 2),
                "target_fps": self.target_fps,
                "bitrate": round(bitrate),
                "frames_encoded": self.frames_encoded,
                "frames_dropped": self.frames_skipped + frames_lost,
                "frames_skipped": self.frames_skipped,
                "frames_read": self.frames_in,
                "frames_lost": frames_lost,
                "frames_output": sum(s.video_frames for s in self.sinks),
                "encode_ms_per_frame": round(1000 * self.encode_seconds / self.frames_encoded, 3)
                if self.frames_encoded
                else 0.0,
                "speed": round(self.media_seconds / elapsed, 3),
                "cpu_percent": round(max(0.0, cpu_percent), 1),
                "bytes_sent": sent,
                "reconnect_attempt": max((s.reconnect_attempt for s in retrying), default=0),
                "next_retry_s": min((s.next_retry_s for s in retrying if s.next_retry_s is not None), default=None),
                "next_retry_in_s": round(max(0.0, min(retry_times) - now), 2) if retry_times else None,
                "path": self.path,
                # the slowest target's: how long pictures spend inside the engine, from reader to network
                "engine_delay_p50_ms": max((d.p50_ms for d in delays if d.p50_ms is not None), default=None),
                "engine_delay_p95_ms": max((d.p95_ms for d in delays if d.p95_ms is not None), default=None),
                "backlogs_dropped": sum(s.backlogs_dropped for s in self.sinks),
                **self._source_fields(),
                "targets": [
                    {
                        "name": s.name,
                        "state": s.state.value,
                        "bytes_sent": s.bytes_sent,
                        "frames": s.video_frames,
                        "dropped": s.packets_dropped,
                        "reconnect_attempt": s.reconnect_attempt,
                        "error": s.error,
                        "engine_delay_p50_ms": delay.p50_ms,
                        "engine_delay_p95_ms": delay.p95_ms,
                    }
                    for s, delay in zip(self.sinks, delays, strict=True)
                ],
            }
