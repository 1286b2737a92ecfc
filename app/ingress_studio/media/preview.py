"""Small previews for the window: JPEG pictures (at most 640 px wide, 15 per second) and audio levels."""

from __future__ import annotations

import base64
import logging
import math
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import av
import numpy

log = logging.getLogger(__name__)

MAX_WIDTH = 640
MAX_FPS = 15.0
LEVELS_PER_SECOND = 15.0
SILENCE_DB = -90.0

Emit = Callable[[dict[str, Any]], None]


def _db(value: float) -> float:
    return round(20 * math.log10(value), 1) if value > 1e-9 else SILENCE_DB


class PreviewTap:
    """Sees every picture and audio frame of a push; emits a few of them, small."""

    def __init__(self, emit: Emit, max_fps: float = MAX_FPS, max_width: int = MAX_WIDTH) -> None:
        self._emit = emit
        self._interval = 1.0 / max_fps
        self._max_width = max_width
        self._next_picture = 0.0
        self._next_levels = 0.0
        self._jpeg: av.VideoCodecContext | None = None
        self._jpeg_size: tuple[int, int] | None = None
        self._peaks: numpy.ndarray[Any, Any] | None = None
        self._squares: numpy.ndarray[Any, Any] | None = None
        self._samples = 0
        self.pictures_sent = 0

    def wants_picture(self) -> bool:
        return time.monotonic() >= self._next_picture

    def picture(self, frame: av.VideoFrame, t: float) -> None:
        if not self.wants_picture():
            return
        self._next_picture = time.monotonic() + self._interval
        width = min(self._max_width, frame.width)
        height = max(2, round(frame.height * width / frame.width / 2) * 2)
        small = frame.reformat(width=width, height=height, format="yuvj420p")
        encoder = self._encoder(width, height)
        small.pts = self.pictures_sent  # the encoder wants rising timestamps; any will do
        small.time_base = encoder.time_base
        try:
            packets = encoder.encode(small)
        except av.FFmpegError as exc:  # a preview is a nicety: never a reason to stop a push
            log.warning("preview picture skipped: %s", exc)
            return
        if not packets:
            return
        self.pictures_sent += 1
        self._emit(
            {
                "event": "preview",
                "t": round(t, 3),
                "width": width,
                "height": height,
                "jpeg": base64.b64encode(bytes(packets[0])).decode("ascii"),
            }
        )

    def _encoder(self, width: int, height: int) -> av.VideoCodecContext:
        if self._jpeg is None or self._jpeg_size != (width, height):
            encoder = av.CodecContext.create("mjpeg", "w")
            assert isinstance(encoder, av.VideoCodecContext)
            encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuvj420p"
            encoder.time_base = Fraction(1, round(MAX_FPS))
            encoder.options = {"q": "6"}
            encoder.open()
            self._jpeg, self._jpeg_size = encoder, (width, height)
        return self._jpeg

    def audio(self, frame: av.AudioFrame) -> None:
        """Accumulate peak and RMS per channel; emit a `levels` event at most 15 times a second."""
        channels = frame.layout.nb_channels
        try:
            samples = numpy.asarray(frame.to_ndarray(), dtype=numpy.float64)
        except Exception:
            return
        if not frame.format.is_planar:
            samples = samples.reshape(-1, channels).T
        if samples.dtype.kind == "i" or frame.format.name.startswith(("s16", "s32")):
            samples = samples / (32768.0 if "16" in frame.format.name else 2147483648.0)
        peaks = numpy.abs(samples).max(axis=1) if samples.size else numpy.zeros(channels)
        squares = (samples**2).sum(axis=1) if samples.size else numpy.zeros(channels)
        if self._peaks is None or self._peaks.shape != peaks.shape:
            self._peaks, self._squares, self._samples = peaks, squares, samples.shape[1]
        else:
            self._peaks = numpy.maximum(self._peaks, peaks)
            assert self._squares is not None
            self._squares = self._squares + squares
            self._samples += samples.shape[1]
        now = time.monotonic()
        if now < self._next_levels or not self._samples:
            return
        self._next_levels = now + 1.0 / LEVELS_PER_SECOND
        assert self._squares is not None
        rms = numpy.sqrt(self._squares / self._samples)
        self._emit(
            {
                "event": "levels",
                "peak_db": [_db(float(p)) for p in self._peaks],
                "rms_db": [_db(float(r)) for r in rms],
            }
        )
        self._peaks, self._squares, self._samples = None, None, 0
