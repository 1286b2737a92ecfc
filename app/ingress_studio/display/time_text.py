"""Unix-nanosecond times as a person reads them: local time, and how long ago."""

from __future__ import annotations

import math
import time
from datetime import datetime

CLOCK_SKEW_S = 5.0  # the server's clock may run a little ahead of ours


def relative_text(seconds_ago: float) -> str:
    if seconds_ago < -CLOCK_SKEW_S:
        return "in the future"  # clocks disagree by more than a little; say so instead of a negative age
    if seconds_ago < 5:
        return "just now"
    for size, unit in ((86400, "day"), (3600, "h"), (60, "min")):
        if seconds_ago >= size:
            count = int(seconds_ago // size)
            return f"{count} {unit}{'s' if unit == 'day' and count != 1 else ''} ago"
    return f"{int(seconds_ago)} s ago"


def local_time_text(unix_ns: int, now_s: float | None = None) -> str:
    """ "2026-11-23 23:41:07 (3 min ago)"; "" for an unset (zero) time."""
    if not unix_ns:
        return ""
    seconds = unix_ns / 1e9
    stamp = datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")
    now = time.time() if now_s is None else now_s
    return f"{stamp} ({relative_text(now - seconds)})"


def clock_text(seconds: float, *, always_hours: bool = False) -> str:
    """01:23 under an hour and 1:02:03 from an hour on; always_hours: 0:01:23 (an uptime). Never negative."""
    whole = int(seconds) if math.isfinite(seconds) and seconds > 0 else 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours or always_hours else f"{minutes:02d}:{secs:02d}"
