"""What a push is doing, sampled once a second: the `--stats-json` lines and the GUI's stats events."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


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
    packets_dropped: int = 0
    reconnect_attempt: int = 0
    next_retry_s: float | None = None
    retry_at: float | None = None  # time.monotonic() of the next attempt, for a countdown
    error: str = ""


@dataclass
class JobStats:
    """Counters written by the pipeline and sink threads; `snapshot()` turns them into one JSON object."""

    started: float = field(default_factory=time.monotonic)
    frames_in: int = 0
    frames_encoded: int = 0
    frames_dropped: int = 0
    encode_seconds: float = 0.0
    media_seconds: float = 0.0  # position on the output timeline
    sinks: list[SinkStats] = field(default_factory=list)
    path: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    _last: tuple[float, int, int, int] | None = None

    def overall_state(self) -> PushState:
        states = {s.state for s in self.sinks}
        if not states or states == {PushState.STOPPED}:
            return PushState.STOPPED
        if PushState.LIVE in states:
            return PushState.LIVE
        if PushState.RECONNECTING in states:
            return PushState.RECONNECTING
        return PushState.CONNECTING

    def snapshot(self) -> dict[str, Any]:
        now = time.monotonic()
        with self.lock:
            sent = sum(s.bytes_sent for s in self.sinks)
            last = self._last or (self.started, 0, 0, 0)
            interval = max(now - last[0], 1e-6)
            fps_in = (self.frames_in - last[1]) / interval
            fps_out = (self.frames_encoded - last[2]) / interval
            bitrate = (sent - last[3]) * 8 / interval
            self._last = (now, self.frames_in, self.frames_encoded, sent)
            elapsed = max(now - self.started, 1e-6)
            retrying = [s for s in self.sinks if s.state is PushState.RECONNECTING]
            retry_times = [s.retry_at for s in retrying if s.retry_at is not None]
            return {
                "state": self.overall_state().value,
                "time": round(self.media_seconds, 3),
                "elapsed": round(elapsed, 3),
                "fps_in": round(fps_in, 2),
                "fps_out": round(fps_out, 2),
                "bitrate": round(bitrate),
                "frames_encoded": self.frames_encoded,
                "frames_dropped": self.frames_dropped + sum(s.packets_dropped for s in self.sinks),
                "encode_ms_per_frame": round(1000 * self.encode_seconds / self.frames_encoded, 3)
                if self.frames_encoded
                else 0.0,
                "speed": round(self.media_seconds / elapsed, 3),
                "bytes_sent": sent,
                "reconnect_attempt": max((s.reconnect_attempt for s in retrying), default=0),
                "next_retry_s": min((s.next_retry_s for s in retrying if s.next_retry_s is not None), default=None),
                "next_retry_in_s": round(max(0.0, min(retry_times) - now), 2) if retry_times else None,
                "path": self.path,
                "targets": [
                    {
                        "name": s.name,
                        "state": s.state.value,
                        "bytes_sent": s.bytes_sent,
                        "dropped": s.packets_dropped,
                        "reconnect_attempt": s.reconnect_attempt,
                        "error": s.error,
                    }
                    for s in self.sinks
                ],
            }
