"""Where a push is in its source: the current file of the playlist, its position and duration, and the time
left in the playlist, as the words and the progress fraction the window shows."""

from __future__ import annotations

import math
from dataclasses import dataclass

LIVE_WORDS = "Live source"


def clock_text(seconds: float) -> str:
    """01:23 under an hour, 1:02:03 from an hour on (never negative)."""
    whole = int(seconds) if math.isfinite(seconds) and seconds > 0 else 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def short_name(name: str) -> str:
    """A file's name without its folders; a URL as it is (its last part alone could mislead)."""
    if "://" in name:
        return name
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or name


@dataclass(frozen=True)
class PlaybackPosition:
    """Seconds throughout. `index` counts from 0 (the words say "2 of 3" for index 1); `duration` is None for
    a live source (camera, screen, test pattern, a live URL), `remaining` when the playlist's end is not known
    (live, or looping)."""

    index: int
    count: int
    name: str
    position: float
    duration: float | None
    remaining: float | None

    @property
    def live(self) -> bool:
        return self.duration is None

    @property
    def fraction(self) -> float | None:
        """How far through the current file, 0.0..1.0; None for a live source."""
        if self.duration is None:
            return None
        if not self.duration > 0:
            return 0.0
        return min(1.0, max(0.0, self.position / self.duration))

    @property
    def words(self) -> str:
        """ "clip.mp4 (2 of 3) · 01:23 / 04:56 · 07:10 left in the playlist"."""
        if self.duration is None:
            return LIVE_WORDS
        parts = [short_name(self.name) + (f" ({self.index + 1} of {self.count})" if self.count > 1 else "")]
        parts.append(f"{clock_text(self.position)} / {clock_text(self.duration)}")
        if self.remaining is not None:
            parts.append(f"{clock_text(self.remaining)} left" + (" in the playlist" if self.count > 1 else ""))
        return " · ".join(parts)
