"""Peak and RMS per channel of audio frames, in dBFS, collected between two reads."""

from __future__ import annotations

import math
from typing import Any

import av
import numpy

SILENCE_DB = -90.0


def _db(value: float) -> float:
    return round(20 * math.log10(value), 1) if value > 1e-9 else SILENCE_DB


class LevelMeter:
    def __init__(self) -> None:
        self._peaks: numpy.ndarray[Any, Any] | None = None
        self._squares: numpy.ndarray[Any, Any] | None = None
        self._samples = 0

    def add(self, frame: av.AudioFrame) -> None:
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
        if self._peaks is None or self._squares is None or self._peaks.shape != peaks.shape:
            self._peaks, self._squares, self._samples = peaks, squares, samples.shape[1]
        else:
            self._peaks = numpy.maximum(self._peaks, peaks)
            self._squares = self._squares + squares
            self._samples += samples.shape[1]

    def take(self) -> dict[str, list[float]] | None:
        """{"peak_db": [...], "rms_db": [...]} since the last take, or None if no audio came."""
        if self._peaks is None or self._squares is None or not self._samples:
            return None
        rms = numpy.sqrt(self._squares / self._samples)
        levels = {"peak_db": [_db(float(p)) for p in self._peaks], "rms_db": [_db(float(r)) for r in rms]}
        self._peaks, self._squares, self._samples = None, None, 0
        return levels
