"""Audio meter ballistics per channel, without Qt: what a meter shows between and after level readings.

Bars rise at once and fall at OBS's "fast" rate; the peak-hold mark stays put for HOLD_S, then falls too;
clipping stays lit for CLIP_LATCH_S after the last clipping peak, or until reset. Time is passed in (monotonic
seconds), so a test can advance it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingress_studio.controllers.meter_scale import CLIP_DB, FLOOR_DB, Zone, clamp_db, zone

HOLD_S = 1.5
DECAY_DB_PER_S = 20.0 / 0.85  # OBS's "fast" decay: 20 dB in 0.85 s
CLIP_LATCH_S = 3.0
# A reading stands for this long, then the bars fall to silence: the engine sends 15 a second, and the window
# polls the sandbox 5 times a second.
FRESH_S = 0.3
DEFAULT_CHANNELS = 2


@dataclass(frozen=True)
class ChannelReading:
    """What one channel's meter shows, in dBFS within the scale (FLOOR_DB..0)."""

    peak_db: float
    rms_db: float
    hold_db: float
    clipping: bool

    @property
    def zone(self) -> Zone:
        return zone(self.peak_db)


SILENT = ChannelReading(FLOOR_DB, FLOOR_DB, FLOOR_DB, False)


def _fall(shown: float, reading: float, since: float, now: float, stale_from: float) -> float:
    """The bar from `since` to `now`: falling towards the reading while it is fresh, then to the floor
    (in two steps, so the result does not depend on how often the clock ticks)."""
    fresh_until = min(now, stale_from)
    if fresh_until > since:
        shown = max(reading, shown - DECAY_DB_PER_S * (fresh_until - since))
        since = fresh_until
    return max(FLOOR_DB, shown - DECAY_DB_PER_S * max(0.0, now - since))


class _Channel:
    def __init__(self) -> None:
        self.peak = self.rms = self.hold = FLOOR_DB
        self.input_peak = self.input_rms = FLOOR_DB
        self.input_at = float("-inf")
        self.hold_at = float("-inf")
        self.clipped_at: float | None = None

    def advance(self, now: float, since: float) -> None:
        stale_from = self.input_at + FRESH_S
        self.peak = _fall(self.peak, self.input_peak, since, now, stale_from)
        self.rms = _fall(self.rms, self.input_rms, since, now, stale_from)
        if self.peak >= self.hold:
            self.hold, self.hold_at = self.peak, now
        elif now - self.hold_at > HOLD_S:
            held_until = max(since, self.hold_at + HOLD_S)
            self.hold = max(self.peak, self.hold - DECAY_DB_PER_S * (now - held_until))
        if self.clipped_at is not None and now - self.clipped_at >= CLIP_LATCH_S:
            self.clipped_at = None

    def feed(self, peak_db: float, rms_db: float, now: float) -> None:
        if peak_db >= CLIP_DB:
            self.clipped_at = now
        self.input_peak, self.input_rms, self.input_at = clamp_db(peak_db), clamp_db(rms_db), now
        self.peak, self.rms = max(self.peak, self.input_peak), max(self.rms, self.input_rms)  # rise at once
        self.advance(now, now)

    def reading(self) -> ChannelReading:
        return ChannelReading(self.peak, self.rms, self.hold, self.clipped_at is not None)


class AudioMeter:
    """Feed it readings as they come, advance it on a clock tick, show `readings`. The channel count follows
    the latest reading (a mono source shows one meter)."""

    def __init__(self, channels: int = DEFAULT_CHANNELS) -> None:
        self._channels = [_Channel() for _ in range(channels)]
        self._now = float("-inf")

    @property
    def readings(self) -> tuple[ChannelReading, ...]:
        return tuple(channel.reading() for channel in self._channels)

    @property
    def settled(self) -> bool:
        """Nothing left to move or to unlatch: a clock tick would change nothing until the next reading."""
        return all(channel.reading() == SILENT for channel in self._channels)

    def feed(self, peak_db: Sequence[float], rms_db: Sequence[float], now: float) -> None:
        """One reading, per channel (dBFS; -90 or anything under the floor is silence)."""
        self.advance(now)
        count = max(1, len(peak_db))
        del self._channels[count:]
        self._channels.extend(_Channel() for _ in range(count - len(self._channels)))
        for number, peak in enumerate(peak_db):
            rms = rms_db[number] if number < len(rms_db) else FLOOR_DB
            self._channels[number].feed(peak, min(rms, peak), now)

    def advance(self, now: float) -> tuple[ChannelReading, ...]:
        since = self._now if self._now > float("-inf") else now
        self._now = max(self._now, now)
        for channel in self._channels:
            channel.advance(self._now, since)
        return self.readings

    def reset_clipping(self) -> None:
        for channel in self._channels:
            channel.clipped_at = None

    def clear(self, channels: int = DEFAULT_CHANNELS) -> None:
        """Back to silence, nothing held or latched."""
        self._channels = [_Channel() for _ in range(channels)]
