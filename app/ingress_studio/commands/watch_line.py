"""`watch`'s line a second, from the watcher's `stats` event (docs/watch-protocol.md), e.g.
`video 1280x720 30.0 fps 2400 kbps · audio -18.0 dB · last frame 0.03 s ago`: the room view's words."""

from __future__ import annotations

from ingress_studio.children.watch_events import RoomConnection, RoomState, WatchedParticipant, WatchStats
from ingress_studio.controllers.room_figures import received_text


def watch_line(stats: WatchStats, name: str) -> str:
    """`name`: what to call the watched participant while it is not in the room."""
    return received_text(stats) if stats.present else f"waiting for {name}…"


class WatchNews:
    """The lines between the stats lines: joining, the participant coming and going, reconnecting."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._present: bool | None = None

    def line(self, event: object) -> str | None:
        if isinstance(event, RoomState):
            if event.state is RoomConnection.CONNECTED:
                return "in the room as a hidden viewer"
            if event.state is RoomConnection.RECONNECTING:
                return "the connection to the room dropped: reconnecting…"
            return None
        if isinstance(event, WatchedParticipant) and event.present != self._present:
            self._present = event.present
            if not event.present:
                return f"{self._name} is not in the room"
            kinds = " and ".join(sorted({track.kind for track in event.tracks})) or "no tracks yet"
            return f"{self._name} is in the room: {kinds}"
        return None
