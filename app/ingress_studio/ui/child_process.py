"""What the window's child programs (sandbox, engine, watcher) share: one QProcess run at a time, its
pid, and the ways to end it. Each subclass turns events into its own signals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject

from ingress_studio.children.exits import ChildExit
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.ui.qprocess_child import QProcessChild


class ChildProcess(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._child: QProcessChild[Any, Any] | None = None

    @property
    def running(self) -> bool:
        return self._child is not None and self._child.running

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    def _spawn(
        self,
        session: ChildSession[Any, Any],
        command: Sequence[str],
        on_event: Callable[[Any | Unreadable], None],
        on_exit: Callable[[ChildExit], None],
    ) -> None:
        if self._child is not None:
            self._child.dispose()  # the run that ended
        self._child = QProcessChild(session, on_event, on_exit, self)
        self._child.start(command)

    def _send(self, command: object) -> None:
        if self._child is not None:
            self._child.send(command)

    def close(self) -> None:
        """Close its stdin and return: the child ends what it does cleanly and exits."""
        if self._child is not None and self._child.running:
            self._child.close_stdin()

    def kill(self) -> None:
        """For a child that did not exit after close(): SIGKILL, as asked for (not reported as a crash)."""
        if self._child is not None and self._child.running:
            self._child.kill()

    def _stop(self, grace_s: float, *, terminate: bool) -> None:
        """SIGTERM (or stdin closed), then SIGKILL if it has not exited within `grace_s`. Blocks."""
        if self._child is not None:
            self._child.stop(int(grace_s * 1000), terminate=terminate)
