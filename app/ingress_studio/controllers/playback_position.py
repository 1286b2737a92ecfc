"""Where a push is in its source: the current file of the playlist, its position and duration, and the time
left in the playlist, as the words and the progress fraction the window shows."""

from __future__ import annotations

from dataclasses import dataclass

from ingress_studio.children.engine_events import PushStats
from ingress_studio.display.time_text import clock_text

LIVE_WORDS = "Live source"


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

    @classmethod
    def of_stats(cls, stats: PushStats) -> PlaybackPosition | None:
        """From the engine's stats event; None before it knows where the source is."""
        if not stats.source_count or stats.source_position is None:
            return None
        return cls(
            stats.source_index,
            stats.source_count,
            stats.source_name,
            stats.source_position,
            stats.source_duration,
            stats.playlist_remaining,
        )

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
