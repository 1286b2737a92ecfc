"""push's status line, read from a real terminal (a pty) as a user sees it: one line rewritten in place,
a reconnect countdown, other messages above it; nothing of it when stderr is not a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.nginx_rtmp import NginxRtmp, available
from support.run_program import push

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")

UPDATE = re.compile(r"\r(Live|Connecting|Reconnecting[^\r\n]*?)  elapsed=\d\d:\d\d:\d\d  fps=\d+\.\d  "
                    r"bitrate=\d+ kbit/s  dropped=\d+ *(?=\r|\n)")  # fmt: skip
PLAN = "ingress-studio push: Transcoding: the test pattern is a live source, encoded as its frames arrive.\n"


class PushOnATerminal:
    """`ingress-studio push …` with its stderr on a pty 200 columns wide; collects what it writes there."""

    def __init__(self, *args: str) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ingress_studio", "push", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=slave,
        )
        os.close(slave)
        self._master = master
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            ready, _, _ = select.select([self._master], [], [], 0.2)
            if not ready:
                if self.process.poll() is not None:
                    return
                continue
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            self._chunks.append(chunk)

    @property
    def text(self) -> str:
        # the terminal turns each "\n" into "\r\n" (onlcr): undo that to see exactly what push wrote
        return b"".join(self._chunks).decode(errors="replace").replace("\r\n", "\n")

    def wait_for(self, pattern: str, timeout: float = 30, since: int = 0) -> re.Match[str]:
        """The first match of `pattern` in what was written from offset `since` on."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.text[since:])
            if match:
                return match
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} not seen; the terminal shows {self.text[-600:]!r}")

    def finish(self, timeout: float = 30) -> int:
        code = self.process.wait(timeout)
        self._reader.join(5)
        os.close(self._master)
        return code


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[NginxRtmp]:  # each test its own: one of them stops and restarts it
    server = NginxRtmp(tmp_path / "nginx").start()
    yield server
    server.stop()


def test_one_status_line_rewritten_in_place(nginx: NginxRtmp) -> None:
    session = PushOnATerminal("test:", "--rtmp", nginx.url, "--stream-key", "tty", "--duration", "4")
    assert session.finish() == 0
    text = session.text
    assert text.startswith(PLAN)
    status = text[len(PLAN) :]
    updates = UPDATE.findall(status)
    assert updates.count("Live") >= 2, status  # at least two refreshes while live...
    assert status.count("\n") == 1 and status.endswith("\n")  # ...all on one line, ended once
    assert "\x1b" not in status  # no escape sequence: old Windows consoles would print it
    assert re.search(r"\rStopped  elapsed=00:00:0[45]  fps=", status)


def test_reconnect_countdown_and_messages_above_the_line(nginx: NginxRtmp) -> None:
    session = PushOnATerminal("test:", "--rtmp", nginx.url, "--stream-key", "again", "--reconnect-delay", "4")
    try:
        session.wait_for(r"\rLive  elapsed")
        nginx.stop()
        session.wait_for(r"Reconnecting in 1 s \(attempt 1\)", timeout=20)
        countdown = [int(n) for n in re.findall(r"\rReconnecting in (\d) s \(attempt 1\)", session.text)]
        assert len(set(countdown)) >= 2 and countdown == sorted(countdown, reverse=True), countdown
        # the warning about the lost connection erased the status line first: it stands on a line of its own
        assert re.search(r"\r +\r[^\r\n]*rtmp://127\.0\.0\.1:\d+/x[^\r\n]*\n", session.text), session.text
        nginx.start()
        session.wait_for(r"\rLive  elapsed", timeout=30, since=len(session.text))  # live again
    finally:
        session.process.send_signal(signal.SIGINT)
    assert session.finish() == 0
    assert re.search(r"\rStopped  elapsed=[^\r\n]*\n$", session.text)


def test_nothing_of_it_when_stderr_is_not_a_terminal(nginx: NginxRtmp) -> None:
    result = push("test:", "--rtmp", nginx.url, "--stream-key", "pipe", "--duration", "3")
    assert result.returncode == 0, result.stderr
    assert result.stderr == PLAN
    assert result.stdout == ""
