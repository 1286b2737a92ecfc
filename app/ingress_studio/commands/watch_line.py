"""`watch`'s line a second, from the watcher's `stats` event (docs/watch-protocol.md), e.g.
`video 1280x720 30.0 fps 2.4 Mb/s · audio -18.0 dB · last frame 0.03 s ago`."""

from __future__ import annotations

from typing import Any

SEPARATOR = " · "


def _bitrate(bits_per_second: Any) -> str:
    if not isinstance(bits_per_second, int | float):
        return "? Mb/s"  # the SDK's stats gave no byte count
    if bits_per_second < 1_000_000:
        return f"{bits_per_second / 1000:.0f} kb/s"
    return f"{bits_per_second / 1_000_000:.1f} Mb/s"


def watch_line(stats: dict[str, Any], name: str) -> str:
    """`name`: what to call the watched participant while it is not in the room."""
    if not stats.get("present"):
        return f"waiting for {name}…"
    video, audio, since = stats.get("video"), stats.get("audio"), stats.get("since_last_frame_s")
    parts = []
    if video:
        parts.append(
            f"video {video['width']}x{video['height']} {float(video['fps']):.1f} fps {_bitrate(video['bitrate'])}"
        )
    else:
        parts.append("no video")
    parts.append(f"audio {max(audio['peak_db']):.1f} dB" if audio and audio["peak_db"] else "no audio")
    if since is not None:
        parts.append(f"last frame {float(since):.2f} s ago")
    elif video:
        parts.append("no picture yet")
    return SEPARATOR.join(parts)
