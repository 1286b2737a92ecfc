"""The watcher (`ingress-studio watcher`) as a child of the window: the room view's link to a room. Its events are
handed on as they are (`received`), for the Qt-free RoomPreview to read; `exited` at every end."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ingress_studio.children.exits import ChildExit
from ingress_studio.children.program import watcher_command
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.children.watch_client import STOP_GRACE_S
from ingress_studio.children.watch_commands import WatchCommand
from ingress_studio.children.watch_events import WatchEvent
from ingress_studio.children.watch_protocol import WATCHER
from ingress_studio.ui.qprocess_child import QProcessChild


class WatcherProcess(QObject):
    received = Signal(object)  # a WatchEvent or an Unreadable line
    exited = Signal(ChildExit)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._child: QProcessChild[WatchEvent, WatchCommand] | None = None

    @property
    def running(self) -> bool:
        return self._child is not None and self._child.running

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    def start(self) -> None:
        """Start the watcher (a running one is left alone); its `hello` says it takes commands."""
        if self.running:
            return
        if self._child is not None:
            self._child.dispose()
        self._child = QProcessChild(ChildSession(WATCHER), self._on_event, self.exited.emit, self)
        self._child.start(watcher_command())

    def send(self, command: WatchCommand) -> None:
        if self._child is not None:
            self._child.send(command)

    def close(self) -> None:
        """Close its stdin and return: the watcher leaves its room and exits; `exited` follows."""
        if self._child is not None and self._child.running:
            self._child.close_stdin()

    def kill(self) -> None:
        """For a watcher that did not exit after close(): SIGKILL, as asked for (not reported as a crash)."""
        if self._child is not None and self._child.running:
            self._child.kill()

    def stop(self) -> None:
        """Close its stdin and wait (killed if it takes too long). Blocks."""
        if self._child is not None:
            self._child.stop(int(STOP_GRACE_S * 1000), terminate=False)

    def _on_event(self, event: WatchEvent | Unreadable) -> None:
        self.received.emit(event)
