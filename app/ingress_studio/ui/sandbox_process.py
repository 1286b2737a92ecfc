"""The embedded sandbox as a child process: started with the window, stopped with it."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QProcess, Signal

from ingress_studio.config.paths import user_log_dir
from ingress_studio.sandbox_launch import PORT_FLAGS, PORT_IN_USE_EXIT, PORT_ROLES

log = logging.getLogger(__name__)

DEFAULT_PORTS = (7880, 1935, 8080)
READY_URL_KEYS = ("api_url", "rtmp_base_url", "whip_base_url")
STOP_GRACE_MS = 3000


def sandbox_command() -> list[str]:
    """How to run `ingress-studio` again: the frozen app itself, or this Python with -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "ingress_studio"]


def _port_of(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


class SandboxProcess(QObject):
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
        self._process: QProcess | None = None
        self._stdout = b""
        self._stderr = b""
        self._ports = self._requested_ports = DEFAULT_PORTS
        self._moved: list[tuple[int, int]] = []  # (index into PORT_FLAGS, the port that was taken)
        self._failure: dict[str, Any] = {}  # the child's "failed" line, if it sent one
        self._ready = False
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    @property
    def pid(self) -> int | None:
        return int(self._process.processId()) or None if self.running and self._process is not None else None

    def start(self, ports: tuple[int, int, int] = DEFAULT_PORTS) -> None:
        """Start on these ports (API, RTMP, WHIP; 0 = any free one)."""
        self._requested_ports = ports
        self._moved = []
        self._stopping = False
        self._spawn(ports)

    def restart(self) -> None:
        """Start again on the ports first asked for (after a failure; a running child is left alone)."""
        if not self.running:
            self.start(self._requested_ports)

    def _spawn(self, ports: tuple[int, int, int]) -> None:
        if self._process is not None:
            self._process.deleteLater()  # the child that ended; its signals have all been delivered
        self._ports = ports
        self._stdout = self._stderr = b""
        self._failure = {}
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
        if not isinstance(message, dict):
            return
        if message.get("event") == "ready" and not self._ready:
            self._ready = True
            self.ready.emit(message)
            if self._moved:
                self.notice.emit(self._moved_ports_sentence(message))
        elif message.get("event") == "failed":
            self._failure = message

    def _moved_ports_sentence(self, info: dict[str, Any]) -> str:
        moves = []
        for index, taken in self._moved:
            now = _port_of(str(info.get(READY_URL_KEYS[index], "")))
            moves.append(f"{PORT_ROLES[index]} port {taken} is in use, so the sandbox uses {now}")
        return "; ".join(moves) + " instead (the encoder settings show the actual addresses)."

    def _retry_on_a_free_port(self) -> bool:
        """After a port-in-use exit: replace the port that was taken by any free one and start again."""
        flag = self._failure.get("flag")
        if flag not in PORT_FLAGS:
            return False
        index = PORT_FLAGS.index(flag)
        if self._ports[index] == 0:
            return False  # "any free port" failed: retrying cannot help
        ports = list(self._ports)
        ports[index] = 0
        self._moved.append((index, self._ports[index]))
        log.info("sandbox %s port %s is in use; retrying on a free one", PORT_ROLES[index], self._ports[index])
        self._spawn((ports[0], ports[1], ports[2]))
        return True

    def _finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        if self._stopping:
            return
        stderr = self._stderr.decode("utf-8", "replace").strip()
        if stderr:
            log.warning("sandbox child (exit %s) said: %s", exit_code, stderr[-2000:])
        if not self._ready and exit_code == PORT_IN_USE_EXIT and self._retry_on_a_free_port():
            return
        # Sentences only: a child's stderr (a traceback, a fatal error's last line) goes to the log.
        how = "crashed" if status == QProcess.ExitStatus.CrashExit else f"stopped with exit code {exit_code}"
        logs = f"Details are in the log in {user_log_dir()}."
        if self._ready:
            self.failed.emit(f"The sandbox {how}. {logs} Press Retry to start it again.")
        elif self._failure.get("message"):
            self.failed.emit(f"The sandbox could not start: {self._failure['message']}")
        else:
            self.failed.emit(f"The sandbox could not start: it {how}. {logs}")

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
