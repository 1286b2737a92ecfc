"""Clock stamps (push --stamp-clock, media/clock_stamp.py) on the pictures the room delivers: the capture →
viewer latency, read at most READS_PER_SECOND times a second off the top strip of a decoded picture."""

from __future__ import annotations

import time

import numpy

from ingress_studio.media import clock_stamp
from ingress_studio.media.wall_clock import latency_ms

READS_PER_SECOND = 10.0


def stamp_of(data: memoryview | bytes, width: int, height: int, rgba: bool) -> int | None:
    """The stamp on a picture as the rtc SDK hands it over: packed RGBA, or a planar YUV buffer whose first
    plane is its luma, `width` bytes a row (I420, I422, I444, NV12)."""
    side = clock_stamp.block_side(width)
    rows = min(height, side + 2)  # the stamp's strip, and a little slack for a scaled picture
    if side < clock_stamp.MIN_BLOCK_SIDE or rows < side:
        return None
    pixels = numpy.frombuffer(data, dtype=numpy.uint8)
    if rgba:
        luma = clock_stamp.luma_of_rgb(pixels[: rows * width * 4].reshape(rows, width, 4))
    else:
        luma = pixels[: rows * width].reshape(rows, width)
    return clock_stamp.read_luma(luma)


class StampReader:
    """On the loop: offered every picture, reads a few a second, gives the latency of those with a stamp."""

    def __init__(self, reads_per_second: float = READS_PER_SECOND) -> None:
        self._interval = 1.0 / reads_per_second
        self._next_at = 0.0

    def latency_ms(self, data: memoryview | bytes, width: int, height: int, rgba: bool) -> int | None:
        now = time.monotonic()
        if now < self._next_at:
            return None
        self._next_at = now + self._interval
        stamp = stamp_of(data, width, height, rgba)
        return None if stamp is None else latency_ms(stamp)
