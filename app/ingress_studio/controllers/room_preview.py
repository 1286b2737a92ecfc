"""What the room sees of the selected ingress: when the watcher child joins the ingress's room, when it leaves,
and what the view says about it.

It joins while the ingress is live, selected and on screen, and leaves as soon as any of those stops: a hidden
subscriber still costs the server a participant and the machine a decoder. The join token is minted here, in
the window's process, so the watcher child never holds the project's secret.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.viewer_token import viewer_token
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.children.watch_commands import StopWatching, WatchCommand, WatchRoom
from ingress_studio.children.watch_events import (
    EndReason,
    RoomConnection,
    RoomState,
    WatchedParticipant,
    WatchEnded,
    WatcherError,
    WatcherHello,
    WatchEvent,
    WatchLevels,
    WatchPreview,
    WatchStats,
)
from ingress_studio.config.project import Project
from ingress_studio.controllers.events import Event
from ingress_studio.domain.ingress_kinds import is_live

NOT_LIVE = "Not live: this shows the selected ingress, or the one you push to, once it publishes."
NO_SECRET = "The room cannot be joined without the project's API secret: enter it with Projects → Edit project."
STARTING = "Starting the room viewer…"

Mint = Callable[[Project, str], str]  # (project, room) → a subscribe-only join token


class WatcherLink(Protocol):
    """What the controller needs of the watcher child (the window's QProcess adapter, or a test's)."""

    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...

    def send(self, command: WatchCommand) -> None: ...


def _mint(project: Project, room: str) -> str:
    return viewer_token(project.api_key, project.api_secret or "", room)


@dataclass(frozen=True)
class RoomTarget:
    """One ingress's participant in one server's room: a change of any part is another join."""

    url: str
    room: str
    identity: str
    name: str  # how sentences call the participant

    @classmethod
    def of(cls, project: Project, info: ingress_pb.IngressInfo) -> RoomTarget:
        name = info.participant_name or info.participant_identity or info.name or info.ingress_id
        return cls(project.url, info.room_name, info.participant_identity, name)


def _sentence_for_end(ended: WatchEnded, target: RoomTarget) -> str:
    """The watcher's sentence says what happened and where; the view adds which room."""
    if ended.reason in (EndReason.NO_ICE, EndReason.DISCONNECTED):
        return ended.message  # about this host, or a session that was under way: the room is known
    return f"Could not watch room “{target.room}”: {ended.message}"


class RoomPreview:
    def __init__(self, watcher: WatcherLink, mint: Mint = _mint) -> None:
        self._watcher = watcher
        self._mint = mint
        self._project: Project | None = None
        self._target: RoomTarget | None = None
        self._joined: RoomTarget | None = None  # the target of the last `watch` sent, until it ends
        self._ready = False  # the running watcher said hello
        # Rooms left but not yet ended: the watcher's events carry no session, so those that come before a
        # left room's `ended` are its last words, not the next room's.
        self._endings_to_skip = 0
        self.status = Event[[str]]()  # one sentence: joining, watching, waiting, or why it cannot
        self.picture = Event[[WatchPreview]]()
        self.levels = Event[[WatchLevels]]()
        self.figures = Event[[WatchStats]]()
        self.cleared = Event[[]]()  # a new target, or none: the old picture and meters go
        self.connection = Event[[RoomConnection | None]]()  # None: not in a room
        self.failed = Event[[str]]()  # the target cannot be watched: why (also said through `status`)

    @property
    def target(self) -> RoomTarget | None:
        return self._target

    def follow(self, project: Project | None, info: ingress_pb.IngressInfo | None, on_screen: bool) -> None:
        """The selection, its state and the view's visibility: join, switch or leave to match them."""
        target = None
        if project is not None and info is not None and on_screen and is_live(info):
            target = RoomTarget.of(project, info)
        if target == self._target and project == self._project:
            return
        self._project = project
        self._target = target
        self.cleared.emit()
        self._leave()
        if target is None:
            self.status.emit(NOT_LIVE)
            return
        self._join()

    def _leave(self) -> None:
        if self._joined is not None and self._watcher.running:
            self._watcher.send(StopWatching())
            self._endings_to_skip += 1
        self._joined = None
        self.connection.emit(None)

    def _join(self) -> None:
        target, project = self._target, self._project
        if target is None or project is None:
            return
        if not project.has_secret:
            self._fail(NO_SECRET)
            return
        if not self._watcher.running:
            self._ready = False
            self.status.emit(STARTING)
            self._watcher.start()  # its hello joins
            return
        if not self._ready:
            return
        self._watcher.send(WatchRoom(target.url, self._mint(project, target.room), target.identity))
        self._joined = target
        self.status.emit(f"Joining room “{target.room}”…")

    def handle(self, event: WatchEvent | Unreadable) -> None:
        if isinstance(event, WatcherHello):
            self._ready = True
            if self._joined is None:
                self._join()
            return
        if self._endings_to_skip:
            if isinstance(event, WatchEnded):
                self._endings_to_skip -= 1
            return
        target = self._joined
        if target is None:
            return  # the end of a room left already: its last events are not about this one
        if isinstance(event, RoomState):
            self._room_state(event, target)
        elif isinstance(event, WatchedParticipant):
            self._participant(event, target)
        elif isinstance(event, WatchStats):
            self.figures.emit(event)
        elif isinstance(event, WatchPreview):
            self.picture.emit(event)
        elif isinstance(event, WatchLevels):
            self.levels.emit(event)
        elif isinstance(event, WatcherError):
            self.status.emit(event.message)
        elif isinstance(event, WatchEnded):
            self._joined = None
            self.connection.emit(None)
            if event.reason is not EndReason.STOPPED:
                self._fail(_sentence_for_end(event, target))

    def _room_state(self, event: RoomState, target: RoomTarget) -> None:
        self.connection.emit(event.state)
        if event.state is RoomConnection.CONNECTED:
            self.status.emit(f"In room “{target.room}”, waiting for {target.name}…")
        elif event.state is RoomConnection.RECONNECTING:
            self.status.emit(f"Reconnecting to room “{target.room}”…")
        elif event.state is RoomConnection.CONNECTING:
            self.status.emit(f"Joining room “{target.room}”…")
        elif event.message:
            self.status.emit(event.message)

    def _participant(self, event: WatchedParticipant, target: RoomTarget) -> None:
        if not event.present:
            self.cleared.emit()
            self.status.emit(f"{target.name} is not in room “{target.room}”: the ingress has not joined it (yet).")
            return
        kinds = sorted({track.kind for track in event.tracks})
        what = " and ".join(kinds) if kinds else "no tracks yet"
        self.status.emit(f"Watching {event.name or target.name} in room “{target.room}” as a hidden viewer: {what}.")

    def handle_exit(self, exit: ChildExit) -> None:
        """The watcher ended; one that was asked to (the window closing) says nothing."""
        self._ready = False
        self._endings_to_skip = 0
        was_joined, self._joined = self._joined, None
        self.connection.emit(None)
        if exit.requested:
            return
        self.cleared.emit()
        if self._target is not None:
            where = f" while watching room “{was_joined.room}”" if was_joined is not None else ""
            # Not restarted at the next refresh: a watcher that a server's data crashes would crash again.
            retry = "Select another ingress and this one again, or hide and show this view, to retry."
            self._fail(f"The room viewer stopped{where}: {exit.sentence} {retry}")

    def _fail(self, sentence: str) -> None:
        self.status.emit(sentence)
        self.failed.emit(sentence)
