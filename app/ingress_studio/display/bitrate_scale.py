"""A bitrate graph's kbps scale: a round top just above what was sent, and lines on round values below it."""

from __future__ import annotations

import math
from dataclasses import dataclass

SMALLEST_TOP_KBPS = 500  # an idle or starting stream still gets a readable scale
HEADROOM = 1.1  # the highest point stays below the top line
# Round tops (times a power of ten) and how many lines split each into round values: 1000 → 250s, 2500 → 500s.
STEPS = ((1.0, 4), (2.0, 4), (2.5, 5), (5.0, 5), (10.0, 4))


@dataclass(frozen=True)
class BitrateScale:
    top_kbps: int
    lines_kbps: tuple[int, ...]  # from the lowest line up, the top included, zero not


def bitrate_scale(highest_kbps: float) -> BitrateScale:
    wanted = max(highest_kbps * HEADROOM, SMALLEST_TOP_KBPS)
    magnitude = 10 ** math.floor(math.log10(wanted))
    step, lines = next((step, lines) for step, lines in STEPS if step * magnitude >= wanted)
    top = round(step * magnitude)
    return BitrateScale(top, tuple(round(top * n / lines) for n in range(1, lines + 1)))
