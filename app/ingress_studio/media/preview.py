"""Small previews for the window: JPEG pictures (at most 640 px wide, 15 per second) and audio levels."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import av

from ingress_studio.media.audio_levels import LevelMeter
from ingress_studio.media.thumbnails import MAX_WIDTH, Thumbnailer

MAX_FPS = 15.0
LEVELS_PER_SECOND = 15.0
EARLY_SHARE = 0.25

Emit = Callable[[dict[str, Any]], None]


class PreviewTap:
    """Sees every picture and audio frame of a push; emits a few of them, small."""

    def __init__(self, emit: Emit, max_fps: float = MAX_FPS, max_width: int = MAX_WIDTH) -> None:
        self._emit = emit
        self._interval = 1.0 / max_fps
        self._thumbnails = Thumbnailer(max_width)
        self._levels = LevelMeter()
        self._next_picture = 0.0
        self._next_levels = 0.0
        self.pictures_sent = 0

    def wants_picture(self) -> bool:
        # A quarter of an interval early counts: at 30 fps, half the frames land a hair before their turn,
        # and a strict comparison sent every third one (10 a second instead of 15).
        return time.monotonic() >= self._next_picture - self._interval * EARLY_SHARE

    def picture(self, frame: av.VideoFrame, t: float) -> None:
        if not self.wants_picture():
            return
        now = time.monotonic()
        # On the schedule, not "now + interval", so the rate is the one asked for; after a pause, no burst.
        self._next_picture = max(self._next_picture + self._interval, now)
        thumbnail = self._thumbnails.jpeg(frame)
        if thumbnail is None:
            return
        jpeg, width, height = thumbnail
        self.pictures_sent += 1
        self._emit(
            {
                "event": "preview",
                "t": round(t, 3),
                "width": width,
                "height": height,
                "jpeg": base64.b64encode(jpeg).decode("ascii"),
            }
        )

    def audio(self, frame: av.AudioFrame) -> None:
        """Accumulate peak and RMS per channel; emit a `levels` event at most 15 times a second."""
        self._levels.add(frame)
        now = time.monotonic()
        if now < self._next_levels:
            return
        levels = self._levels.take()
        if levels is not None:
            self._next_levels = now + 1.0 / LEVELS_PER_SECOND
            self._emit({"event": "levels", **levels})
