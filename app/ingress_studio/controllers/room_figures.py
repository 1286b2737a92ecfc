"""What the room receives from the watched participant, in words: the room view's caption and `watch`'s line."""

from __future__ import annotations

from ingress_studio.children.watch_events import WatchStats
from ingress_studio.display.stats_figures import bitrate_text

SILENCE_DB = -90.0
STALLED_AFTER_S = 2.0  # pictures come at least a few times a second: a gap this long is a stall worth saying


def level_text(peak_db: tuple[float, ...]) -> str:
    loudest = max(peak_db, default=SILENCE_DB)
    return "silent" if loudest <= SILENCE_DB else f"{loudest:.1f} dB"


def received_text(stats: WatchStats) -> str:
    """E.g. "video 1280x720 30.0 fps 2400 kbps · audio peak -18.0 dB · last frame 0.03 s ago"."""
    video = stats.video
    parts = []
    if video is not None:
        words = f"video {video.width}x{video.height} {video.fps:.1f} fps"
        # livekit 1.2.0's stats leave inbound bytes_received unset (packets are counted, bytes are not)
        parts.append(words if video.bitrate is None else f"{words} {bitrate_text(video.bitrate)}")
    else:
        parts.append("no video")
    parts.append(f"audio peak {level_text(stats.audio.peak_db)}" if stats.audio is not None else "no audio")
    ago = stats.since_last_frame_s
    if ago is not None:
        parts.append(f"no picture for {ago:.0f} s" if ago >= STALLED_AFTER_S else f"last frame {ago:.2f} s ago")
    elif video is not None:
        parts.append("no picture yet")
    latency = latency_text(stats)
    if latency:
        parts.append(latency)
    return " · ".join(parts)


def latency_text(stats: WatchStats) -> str:
    """E.g. "latency 120 ms (p95 180)", from the pictures' clock stamps; empty when they carry none."""
    if stats.latency_ms is None:
        return ""
    p95 = f" (p95 {stats.latency_p95_ms})" if stats.latency_p95_ms is not None else ""
    return f"latency {stats.latency_ms} ms{p95}"


def timing_text(stats: WatchStats) -> str:
    """How long joining and the first picture took, e.g. "joined in 0.12 s · first picture after 0.85 s"."""
    parts = []
    if stats.join_s is not None:
        parts.append(f"joined in {stats.join_s:.2f} s")
    if stats.first_frame_s is not None:
        parts.append(f"first picture after {stats.first_frame_s:.2f} s")
    return " · ".join(parts)
