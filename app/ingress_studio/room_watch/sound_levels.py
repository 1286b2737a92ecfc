"""Levels of the received audio (interleaved 16-bit PCM from rtc.AudioStream), dBFS per channel: one meter
for the `levels` events (at most 15 a second) and one for each second's `stats`."""

from __future__ import annotations

import time

import av
import numpy

from ingress_studio.media.audio_levels import LevelMeter

MAX_LEVELS_PER_SECOND = 15.0
_LAYOUTS = {1: "mono", 2: "stereo"}


def pcm_frame(pcm: memoryview | bytes, sample_rate: int, channels: int) -> av.AudioFrame:
    samples = numpy.frombuffer(pcm, dtype=numpy.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(samples, format="s16", layout=_LAYOUTS[channels])
    frame.sample_rate = sample_rate
    return frame


class SoundLevels:
    def __init__(self, max_per_second: float = MAX_LEVELS_PER_SECOND) -> None:
        self._for_levels = LevelMeter()
        self._for_stats = LevelMeter()
        self._interval = 1.0 / max_per_second
        self._next_at = 0.0

    def add(self, pcm: memoryview | bytes, sample_rate: int, channels: int) -> dict[str, object] | None:
        """Count one frame; a `levels` event when one is due."""
        if channels not in _LAYOUTS or not pcm:
            return None
        frame = pcm_frame(pcm, sample_rate, channels)
        self._for_levels.add(frame)
        self._for_stats.add(frame)
        now = time.monotonic()
        if now < self._next_at:
            return None
        levels = self._for_levels.take()
        if levels is None:
            return None
        self._next_at = max(self._next_at + self._interval, now)
        return {"event": "levels", **levels}

    def second(self) -> dict[str, list[float]] | None:
        """Peak and RMS since the last call (for `stats`), or None if no audio came."""
        return self._for_stats.take()
