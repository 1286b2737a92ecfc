"""The embedded sandbox as a child process: started with the window, stopped with it (QProcess over
children.SandboxStartup, which holds the port fallback and the sentences)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ingress_studio.children.exits import ChildExit
from ingress_studio.children.program import DEFAULT_PORTS, Ports, sandbox_command
from ingress_studio.children.sandbox_messages import SandboxEvent
from ingress_studio.children.sandbox_startup import RetryOn, SandboxDown, SandboxStartup
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.ui.child_process import ChildProcess

log = logging.getLogger(__name__)

STOP_GRACE_S = 3.0


class SandboxProcess(ChildProcess):
    """Emits `ready(info)` with the sandbox's URLs, or `failed(sentence)` if it cannot start.

    A default port that is taken (LiveKit's own 7880, another RTMP server's 1935) is replaced by a free
    one and the start retried; `notice(sentence)` then says which port moved where.
    """

    ready = Signal(dict)
    failed = Signal(str)
    notice = Signal(str)

    def __init__(self, data_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._startup = SandboxStartup()

    def start(self, ports: Ports = DEFAULT_PORTS) -> None:
        """Start on these ports (API, RTMP, WHIP; 0 = any free one)."""
        self._startup = SandboxStartup(ports)
        self._spawn_on_ports()

    def restart(self) -> None:
        """Start again on the ports first asked for (after a failure; a running child is left alone)."""
        if not self.running:
            self.start(self._startup.requested)

    def _spawn_on_ports(self) -> None:
        log.info("starting sandbox on ports %s", self._startup.ports)
        command = sandbox_command(self._startup.ports, self._data_dir)
        self._spawn(self._startup.new_session(), command, self._on_event, self._on_exit)

    def _on_event(self, event: SandboxEvent | Unreadable) -> None:
        serving = self._startup.on_event(event)
        if serving is not None:
            self.ready.emit(serving.ready.as_dict())
            if serving.notice:
                self.notice.emit(serving.notice)

    def _on_exit(self, exit: ChildExit) -> None:
        step = self._startup.on_exit(exit)
        if isinstance(step, RetryOn):
            self._spawn_on_ports()
        elif isinstance(step, SandboxDown):
            self.failed.emit(step.sentence)

    def stop(self) -> None:
        """SIGTERM (the sandbox stops cleanly), then kill if it does not exit in time."""
        self._stop(STOP_GRACE_S, terminate=True)
