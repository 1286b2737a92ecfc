"""Who watches which room, and telling them when an ingress of their room starts or stops publishing.

A room exists while some ingress names it (as on a server that does not create rooms on join); its
publishers are the ingresses of that room with a publishing session.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from livekit.protocol import models as models_pb

from ingress_studio.sandbox.live_session import LiveSession
from ingress_studio.sandbox.live_sessions import LiveSessions, room_id_for
from ingress_studio.sandbox.store import IngressStore

log = logging.getLogger(__name__)

MAX_VIEWERS_PER_ROOM = 8
MAX_VIEWERS = 16  # each viewer costs a peer connection and, for WHIP input, an encoder


class Viewer(Protocol):
    def ingresses_changed(self) -> None: ...


class RoomFull(Exception):
    """No place for another viewer; the message says where the limit is."""


class Rooms:
    def __init__(
        self,
        sessions: LiveSessions,
        store: IngressStore,
        max_per_room: int = MAX_VIEWERS_PER_ROOM,
        max_total: int = MAX_VIEWERS,
    ) -> None:
        self._sessions = sessions
        self._store = store
        self._max_per_room = max_per_room
        self._max_total = max_total
        self._viewers: dict[str, set[Viewer]] = {}
        self._created: dict[str, float] = {}
        sessions.on_room_change.append(self._session_changed)

    def exists(self, room_name: str) -> bool:
        return bool(room_name) and bool(self._store.list(room_name=room_name, limit=1))

    def publishers(self, room_name: str) -> list[LiveSession]:
        """The room's ingresses whose tracks exist, oldest session first."""
        live = [s for s in self._sessions.all() if s.publishing and not s.ended and s.info.room_name == room_name]
        return sorted(live, key=lambda session: session.started)

    def room(self, room_name: str) -> models_pb.Room:
        created = self._created.setdefault(room_name, time.time())
        return models_pb.Room(
            sid=room_id_for(room_name),  # the sid IngressState.room_id reports
            name=room_name,
            creation_time=int(created),
            creation_time_ms=int(created * 1000),
            empty_timeout=300,
            departure_timeout=20,
            num_participants=len(self._viewers.get(room_name, ())) + len(self.publishers(room_name)),
            num_publishers=len(self.publishers(room_name)),
        )

    def admit(self, room_name: str, viewer: Viewer) -> None:
        if sum(len(viewers) for viewers in self._viewers.values()) >= self._max_total:
            raise RoomFull(f"The sandbox already has {self._max_total} viewers, its limit; close one and join again.")
        watching = self._viewers.setdefault(room_name, set())
        if len(watching) >= self._max_per_room:
            raise RoomFull(
                f'Room "{room_name}" already has {self._max_per_room} viewers, the sandbox\'s limit per room; '
                "close one and join again."
            )
        watching.add(viewer)

    def leave(self, room_name: str, viewer: Viewer) -> None:
        watching = self._viewers.get(room_name)
        if watching is not None:
            watching.discard(viewer)
            if not watching:
                del self._viewers[room_name]

    def viewer_count(self) -> int:
        return sum(len(viewers) for viewers in self._viewers.values())

    def _session_changed(self, session: LiveSession) -> None:
        for viewer in list(self._viewers.get(session.info.room_name, ())):
            viewer.ingresses_changed()
