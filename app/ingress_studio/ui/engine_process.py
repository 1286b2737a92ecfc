"""The bridge engine (`ingress-studio engine`) as a child of the window: a job object with one Qt signal per
event of the control protocol, each carrying its typed event (children.engine_events), to bind to widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

from ingress_studio.children.engine_client import STOP_GRACE_S
from ingress_studio.children.engine_commands import EngineCommand
from ingress_studio.children.engine_events import (
    EngineError,
    EngineEvent,
    EngineHello,
    Levels,
    Preview,
    PushEnded,
    PushPath,
    PushStarted,
    PushStats,
    SourceSwitched,
)
from ingress_studio.children.engine_protocol import ENGINE
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.program import engine_command
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.config.paths import user_log_dir
from ingress_studio.ui.child_process import ChildProcess


class EngineProcess(ChildProcess):
    """Start it, send typed commands, bind the signals. `failed(sentence)` when the engine could not start or
    ended without being asked (a crash, a kill); `exited(event)` at every end."""

    hello = Signal(EngineHello)
    started = Signal(PushStarted)
    path = Signal(PushPath)
    stats = Signal(PushStats)
    preview = Signal(Preview)
    levels = Signal(Levels)
    source = Signal(SourceSwitched)
    error = Signal(EngineError)
    ended = Signal(PushEnded)
    exited = Signal(ChildExit)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals: dict[type[Any], SignalInstance] = {
            EngineHello: self.hello,
            PushStarted: self.started,
            PushPath: self.path,
            PushStats: self.stats,
            Preview: self.preview,
            Levels: self.levels,
            SourceSwitched: self.source,
            EngineError: self.error,
            PushEnded: self.ended,
        }

    @property
    def lifecycle(self) -> Lifecycle | None:
        return self._child.session.lifecycle if self._child is not None else None

    def start(self) -> None:
        """Start the engine (a running one is left alone); `hello` follows once it is ready for commands."""
        if not self.running:
            self._spawn(ChildSession(ENGINE), engine_command(), self._on_event, self._on_exit)

    def send(self, command: EngineCommand) -> None:
        """A command to the running engine (refusals come back as `error`)."""
        self._send(command)

    def stop(self) -> None:
        """Close its stdin: the engine ends any push cleanly and exits; killed if it takes too long. Blocks."""
        self._stop(STOP_GRACE_S, terminate=False)

    def _on_event(self, event: EngineEvent | Unreadable) -> None:
        signal = self._signals.get(type(event))
        if signal is not None:  # an Unreadable line is in the log already, and nothing for a widget
            signal.emit(event)

    def _on_exit(self, exit: ChildExit) -> None:
        self.exited.emit(exit)
        if not exit.requested:
            self.failed.emit(f"{exit.sentence} Details are in the log in {user_log_dir()}.")
