"""The watcher (`ingress-studio watcher`) as a child of the window: the room view's link to a room. Its events are
handed on as they are (`received`), for the Qt-free RoomPreview to read; `exited` at every end."""

from __future__ import annotations

from PySide6.QtCore import Signal

from ingress_studio.children.exits import ChildExit
from ingress_studio.children.program import watcher_command
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.children.watch_client import STOP_GRACE_S
from ingress_studio.children.watch_commands import WatchCommand
from ingress_studio.children.watch_events import WatchEvent
from ingress_studio.children.watch_protocol import WATCHER
from ingress_studio.ui.child_process import ChildProcess


class WatcherProcess(ChildProcess):
    received = Signal(object)  # a WatchEvent or an Unreadable line
    exited = Signal(ChildExit)

    def start(self) -> None:
        """Start the watcher (a running one is left alone); its `hello` says it takes commands."""
        if not self.running:
            self._spawn(ChildSession(WATCHER), watcher_command(), self._on_event, self.exited.emit)

    def send(self, command: WatchCommand) -> None:
        self._send(command)

    def stop(self) -> None:
        """Close its stdin and wait (killed if it takes too long). Blocks."""
        self._stop(STOP_GRACE_S, terminate=False)

    def _on_event(self, event: WatchEvent | Unreadable) -> None:
        self.received.emit(event)
