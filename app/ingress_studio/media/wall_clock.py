"""The time a clock stamp holds (media/clock_stamp.py): the low 32 bits of the Unix time in milliseconds.

Apart from the drawing and reading of pixels, so that whoever only notes or compares times (the reader
stamps every item it hands over) does not load numpy.
"""

from __future__ import annotations

import time

BITS = 32
WRAP = 1 << BITS


def wall_clock_ms() -> int:
    """The low 32 bits of now, in Unix milliseconds: the value a stamp holds."""
    return (time.time_ns() // 1_000_000) % WRAP


def latency_ms(stamp: int, now_ms: int | None = None) -> int:
    """How long ago the stamped picture was captured; the 32-bit wrap (every 49.7 days) is undone, and a
    stamp slightly in the future (clocks a little apart) comes out negative rather than as 49 days."""
    now = wall_clock_ms() if now_ms is None else now_ms % WRAP
    delta = (now - stamp) % WRAP
    return delta - WRAP if delta >= WRAP // 2 else delta
