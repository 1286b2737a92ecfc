"""`watch`'s line a second, from the watcher's `stats` event (docs/watch-protocol.md), e.g.
`video 1280x720 30.0 fps 2400 kbps · audio -18.0 dB · last frame 0.03 s ago`: the room view's words."""

from __future__ import annotations

from ingress_studio.children.watch_events import WatchStats
from ingress_studio.controllers.room_figures import received_text


def watch_line(stats: WatchStats, name: str) -> str:
    """`name`: what to call the watched participant while it is not in the room."""
    return received_text(stats) if stats.present else f"waiting for {name}…"
