"""The stats panel's figures as a person reads them, each judged with OBS's thresholds: plain values, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ingress_studio.display.time_text import clock_text

NO_FIGURE = "—"
# OBS's stats window: fps below 95 % of the target warns, below 80 % is in danger.
FPS_WARNING_BELOW = 0.95
FPS_DANGER_BELOW = 0.80
# Skipped or dropped frames: more than 1 % warns, more than 5 % is in danger.
SHARE_WARNING_ABOVE = 1.0
SHARE_DANGER_ABOVE = 5.0
# Encoding a frame takes its whole interval: the encoder cannot keep up; three quarters of it: it soon may not.
LAG_WARNING_ABOVE = 0.75
LAG_DANGER_ABOVE = 1.0
MEBIBYTE = 1024 * 1024


class Level(Enum):
    NONE = "none"  # nothing to judge: no figure, or one without a threshold
    OK = "ok"
    WARNING = "warning"
    DANGER = "danger"


@dataclass(frozen=True)
class Figure:
    text: str
    level: Level = Level.NONE


NO_VALUE = Figure(NO_FIGURE)


def fps_figure(fps: float, target: float | None) -> Figure:
    """ "29.8 / 30 fps", judged against the target; without a target, only the rate (none: audio only)."""
    if not target or target <= 0:
        return Figure(f"{fps:.1f} fps") if fps > 0 else Figure("— (no video)")
    ratio = fps / target
    level = Level.DANGER if ratio < FPS_DANGER_BELOW else Level.WARNING if ratio < FPS_WARNING_BELOW else Level.OK
    return Figure(f"{fps:.1f} / {target:g} fps", level)


def share_figure(count: int, total: int) -> Figure:
    """OBS's "n / total (p %)" for skipped or dropped frames."""
    percent = 100 * count / total if total > 0 else 0.0
    if percent > SHARE_DANGER_ABOVE:
        level = Level.DANGER
    elif percent > SHARE_WARNING_ABOVE:
        level = Level.WARNING
    else:
        level = Level.OK
    return Figure(f"{count} / {total} ({percent:.1f} %)", level)


ENCODER_BEHIND_ADVICE = (
    "This computer cannot encode the picture as fast as it comes: choose a smaller Encoding (540p or 360p), "
    "or a faster x264 preset under Advanced, or close what else is using the CPU."
)
ADVICE_AFTER_FRAMES = 60  # two seconds at 30 fps: a start's hiccup is not a pattern


def encoder_advice(skipped: int, read: int) -> str:
    """What to do once skipped frames are in danger (a live source the encoder cannot keep up with)."""
    if read < ADVICE_AFTER_FRAMES or share_figure(skipped, read).level is not Level.DANGER:
        return ""
    return ENCODER_BEHIND_ADVICE


def encode_lag_figure(ms_per_frame: float, target_fps: float | None) -> Figure:
    """ "12.3 ms of 33.3 ms": the time encoding one frame takes, against the time one frame lasts."""
    if not target_fps or target_fps <= 0:
        return Figure(f"{ms_per_frame:.1f} ms")
    interval = 1000 / target_fps
    ratio = ms_per_frame / interval
    level = Level.DANGER if ratio > LAG_DANGER_ABOVE else Level.WARNING if ratio > LAG_WARNING_ABOVE else Level.OK
    return Figure(f"{ms_per_frame:.1f} ms of {interval:.1f} ms", level)


def cpu_text(percent: float | None) -> str:
    """Like top: 100 % is one whole core."""
    return NO_FIGURE if percent is None else f"{percent:.1f} %"


def data_text(bytes_sent: int) -> str:
    """OBS's total data output: MiB, GiB from 1024 MiB on."""
    mebibytes = bytes_sent / MEBIBYTE
    return f"{mebibytes / 1024:.2f} GiB" if mebibytes >= 1024 else f"{mebibytes:.1f} MiB"


def bitrate_text(bits_per_second: float) -> str:
    """kbps, as the rest of the window writes it; Mbps from 10,000 kbps on, as OBS switches."""
    kilobits = bits_per_second / 1000
    return f"{kilobits / 1000:.1f} Mbps" if kilobits >= 10_000 else f"{kilobits:.0f} kbps"


def uptime_text(seconds: float) -> str:
    """h:mm:ss, e.g. "1:02:05"."""
    return clock_text(seconds, always_hours=True)
