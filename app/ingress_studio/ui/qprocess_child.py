"""A child program run by QProcess, its bytes handed to a Qt-free ChildSession: the window's transport.

QProcess rather than asyncio's subprocesses: it is Qt's own on every platform, whatever qasync's loop supports.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import Generic

import shiboken6
from PySide6.QtCore import QObject, QProcess

from ingress_studio.children.child_protocol import CommandT, EventT
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable

log = logging.getLogger(__name__)


class QProcessChild(Generic[EventT, CommandT]):
    """One run of a child: `on_event` for each line's event, `on_exit` once at the end (also when it could not
    be started). Both are called on the GUI thread, from QProcess's signals."""

    def __init__(
        self,
        session: ChildSession[EventT, CommandT],
        on_event: Callable[[EventT | Unreadable], None],
        on_exit: Callable[[ChildExit], None],
        parent: QObject,
    ) -> None:
        self.session = session
        self._on_event = on_event
        self._on_exit = on_exit
        self._program = ""
        self._process = QProcess(parent)
        self._process.readyReadStandardOutput.connect(self._read_stdout)
        self._process.readyReadStandardError.connect(self._read_stderr)
        self._process.finished.connect(self._finished)
        self._process.errorOccurred.connect(self._error)

    @property
    def running(self) -> bool:
        return self._process.state() != QProcess.ProcessState.NotRunning

    @property
    def pid(self) -> int | None:
        return int(self._process.processId()) or None if self.running else None

    def start(self, command: Sequence[str]) -> None:
        self._program = command[0]
        self._process.start(command[0], list(command[1:]))

    def send(self, command: CommandT) -> None:
        if self.running:
            self._process.write(self.session.write(command))

    def close_stdin(self) -> None:
        self.session.stop_requested()
        self._process.closeWriteChannel()

    def kill(self) -> None:
        self.session.stop_requested()
        self._process.kill()

    def stop(self, grace_ms: int, *, terminate: bool = True) -> None:
        """SIGTERM (or only stdin closed), then SIGKILL if it has not exited within `grace_ms`. Blocks until then."""
        self.session.stop_requested()
        if not self.running:
            return
        if terminate:
            self._process.terminate()
        else:
            self._process.closeWriteChannel()
        if not self._process.waitForFinished(grace_ms):
            log.warning("%s child did not stop within %s ms: killing it", self.session.program, grace_ms)
            self._process.kill()
            self._process.waitForFinished(grace_ms)

    def dispose(self) -> None:
        """For a child that has ended: its QProcess goes (its signals have all been delivered)."""
        self._process.deleteLater()

    @property
    def _gone(self) -> bool:
        """Destroyed with its parent while the child still ran (a window closed without shutdown): Qt kills
        the child and still delivers its last signals, which must not touch the deleted QProcess."""
        return not shiboken6.isValid(self._process)

    def _read_stdout(self) -> None:
        if self._gone:
            return
        for event in self.session.read_stdout(bytes(self._process.readAllStandardOutput().data())):
            self._on_event(event)

    def _read_stderr(self) -> None:
        if self._gone:
            return
        self.session.read_stderr(bytes(self._process.readAllStandardError().data()))

    def _finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        if self._gone:
            return
        self._read_stdout()
        self._read_stderr()
        for event in self.session.stdout_closed():
            self._on_event(event)
        if status == QProcess.ExitStatus.NormalExit:
            exit = self.session.exited(exit_code)
        else:  # POSIX: QProcess's exit code of a crash is the signal's number; Windows has none
            exit = self.session.exited(None, None if sys.platform == "win32" else exit_code)
        self._on_exit(exit)

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:  # no `finished` follows
            self._on_exit(self.session.could_not_start(self._program, self._process.errorString()))
