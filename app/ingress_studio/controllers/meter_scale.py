"""The audio meters' dB scale, as OBS draws it: -60..0 dBFS, linear in dB, green below -20 dBFS, amber up to
-9 dBFS, red above; a peak at -0.5 dBFS or more counts as clipping (the next sample may well be over)."""

from __future__ import annotations

from enum import Enum

FLOOR_DB = -60.0
TICKS_DB = (0, -6, -12, -20, -30, -40, -60)
AMBER_FROM_DB = -20.0
RED_FROM_DB = -9.0
CLIP_DB = -0.5


class Zone(Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


def clamp_db(db: float) -> float:
    """Into the scale's range (a NaN reads as silence)."""
    if db != db:  # NaN
        return FLOOR_DB
    return min(0.0, max(FLOOR_DB, db))


def db_fraction(db: float) -> float:
    """dBFS → 0.0 (the floor, or below) .. 1.0 (0 dBFS, or above)."""
    return (clamp_db(db) - FLOOR_DB) / -FLOOR_DB


def zone(db: float) -> Zone:
    if db >= RED_FROM_DB:
        return Zone.RED
    if db >= AMBER_FROM_DB:
        return Zone.AMBER
    return Zone.GREEN
