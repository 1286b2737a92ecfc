"""What the viewer received, counted as it arrives and read once a second as the `stats` event."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ingress_studio.media.latency_window import LatencyWindow

Clock = Callable[[], float]


@dataclass
class _ByteCounter:
    """A growing byte count (the SDK's bytes_received) → bits per second between two reads."""

    last_total: int | None = None

    def rate(self, total: int | None, seconds: float) -> int | None:
        if total is None:
            self.last_total = None
            return None
        previous, self.last_total = self.last_total, total
        if previous is None or seconds <= 0 or total < previous:
            return None
        return round((total - previous) * 8 / seconds)


@dataclass
class Received:
    """Counters of one watch; the SDK's callbacks and readers feed it on the loop, the stats tick reads it."""

    clock: Clock = time.monotonic
    started: float = field(init=False)
    join_s: float | None = None
    first_frame_s: float | None = None
    present: bool = False
    width: int = 0
    height: int = 0
    frames: int = 0
    last_frame_at: float | None = None
    sample_rate: int = 0
    channels: int = 0
    audio_frames: int = 0
    _tick_at: float = field(init=False)
    _frames_at_tick: int = 0
    _video_bytes: _ByteCounter = field(default_factory=_ByteCounter)
    _audio_bytes: _ByteCounter = field(default_factory=_ByteCounter)
    _latency: LatencyWindow = field(default_factory=LatencyWindow)  # from clock stamps, over the last 10 s

    def __post_init__(self) -> None:
        self.started = self.clock()
        self._tick_at = self.started

    def joined(self) -> None:
        self.join_s = round(self.clock() - self.started, 3)

    def picture(self, width: int, height: int) -> None:
        now = self.clock()
        if self.first_frame_s is None:
            self.first_frame_s = round(now - self.started, 3)
        self.width, self.height = width, height
        self.frames += 1
        self.last_frame_at = now

    def stamp(self, latency_ms: int) -> None:
        """A picture carried a clock stamp: captured this long before it was decoded here."""
        self._latency.add(latency_ms, self.clock())

    def sound(self, sample_rate: int, channels: int) -> None:
        self.sample_rate, self.channels = sample_rate, channels
        self.audio_frames += 1

    def video_gone(self) -> None:
        """The video track ended: the next one counts its own rate."""
        self._video_bytes.last_total = None

    def tick(
        self,
        video_bytes: int | None,
        audio_bytes: int | None,
        levels: dict[str, list[float]] | None,
        has_video: bool,
        has_audio: bool,
    ) -> dict[str, object]:
        """The `stats` event: the last second's rates, from the totals the SDK's stats give now."""
        now = self.clock()
        seconds = now - self._tick_at
        fps = (self.frames - self._frames_at_tick) / seconds if seconds > 0 else 0.0
        self._tick_at, self._frames_at_tick = now, self.frames
        video_bitrate = self._video_bytes.rate(video_bytes, seconds)
        audio_bitrate = self._audio_bytes.rate(audio_bytes, seconds)
        video = None
        if has_video:
            video = {
                "width": self.width,
                "height": self.height,
                "fps": round(fps, 2),
                "bitrate": video_bitrate,
                "frames": self.frames,
            }
        audio = None
        if has_audio:
            silent = [-90.0] * max(1, self.channels)
            audio = {
                "peak_db": levels["peak_db"] if levels else silent,
                "rms_db": levels["rms_db"] if levels else silent,
                "bitrate": audio_bitrate,
                "sample_rate": self.sample_rate,
                "channels": self.channels,
            }
        since = round(now - self.last_frame_at, 3) if self.last_frame_at is not None else None
        return {
            "event": "stats",
            "elapsed": round(now - self.started, 3),
            "present": self.present,
            "video": video,
            "audio": audio,
            "since_last_frame_s": since,
            "join_s": self.join_s,
            "first_frame_s": self.first_frame_s,
            **self._latency.figures(now).as_fields(),
        }
