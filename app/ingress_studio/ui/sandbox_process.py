"""The embedded sandbox as a child process: started with the window, stopped with it."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, Signal

log = logging.getLogger(__name__)

DEFAULT_PORTS = (7880, 1935, 8080)
ANY_FREE_PORTS = (0, 0, 0)
PORT_IN_USE_EXIT = 2
STOP_GRACE_MS = 3000


def sandbox_command() -> list[str]:
    """How to run `ingress-studio` again: the frozen app itself, or this Python with -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "ingress_studio"]


class SandboxProcess(QObject):
    """Emits `ready(info)` with the sandbox's URLs, or `failed(sentence)` if it cannot start."""

    ready = Signal(dict)
    failed = Signal(str)

    def __init__(self, data_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._process: QProcess | None = None
        self._stdout = b""
        self._stderr = b""
        self._ports = DEFAULT_PORTS
        self._ready = False
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    def start(self, ports: tuple[int, int, int] = DEFAULT_PORTS) -> None:
        self._ports = ports
        self._stdout = self._stderr = b""
        self._ready = False
        api, rtmp, whip = ports
        args = [*sandbox_command()[1:], "sandbox", "--ready-json", "--exit-on-stdin-eof", "--port", str(api)]
        args += ["--rtmp-port", str(rtmp), "--whip-port", str(whip)]
        if self._data_dir is not None:
            args += ["--data-dir", str(self._data_dir)]
        process = QProcess(self)
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        self._process = process
        log.info("starting sandbox on ports %s", ports)
        process.start(sandbox_command()[0], args)

    def _read_stdout(self) -> None:
        assert self._process is not None
        self._stdout += bytes(self._process.readAllStandardOutput().data())
        while b"\n" in self._stdout:
            line, self._stdout = self._stdout.split(b"\n", 1)
            self._handle_line(line.decode("utf-8", "replace"))

    def _read_stderr(self) -> None:
        assert self._process is not None
        self._stderr += bytes(self._process.readAllStandardError().data())
        self._stderr = self._stderr[-8000:]

    def _handle_line(self, line: str) -> None:
        try:
            message: Any = json.loads(line)
        except ValueError:
            return
        if isinstance(message, dict) and message.get("event") == "ready" and not self._ready:
            self._ready = True
            self.ready.emit(message)

    def _last_error_line(self) -> str:
        lines = [x for x in self._stderr.decode("utf-8", "replace").splitlines() if x.strip()]
        return lines[-1] if lines else ""

    def _finished(self, exit_code: int, _status: QProcess.ExitStatus) -> None:
        if self._stopping:
            return
        if not self._ready and exit_code == PORT_IN_USE_EXIT and self._ports == DEFAULT_PORTS:
            log.info("default sandbox ports busy; retrying on free ports")
            self.start(ANY_FREE_PORTS)
            return
        detail = self._last_error_line() or f"exit code {exit_code}"
        if self._ready:
            self.failed.emit(f"The sandbox stopped unexpectedly ({detail}). Restart Ingress Studio to start it again.")
        else:
            self.failed.emit(f"The sandbox could not start ({detail}).")

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.failed.emit(f"The sandbox could not be started ({sandbox_command()[0]} did not run).")

    def stop(self) -> None:
        """SIGTERM (the sandbox stops cleanly), then kill if it does not exit in time."""
        self._stopping = True
        process = self._process
        if process is None or process.state() == QProcess.ProcessState.NotRunning:
            return
        process.terminate()
        if not process.waitForFinished(STOP_GRACE_MS):
            process.kill()
            process.waitForFinished(STOP_GRACE_MS)
