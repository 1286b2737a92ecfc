"""Servers shared by the tests of one module: a real nginx-rtmp, and a sandbox whose stderr is kept."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.nginx_rtmp import NginxRtmp
from support.room_viewers import RoomViewer
from support.sandbox_process import SandboxServer


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NginxRtmp]:
    server = NginxRtmp(tmp_path_factory.mktemp("nginx")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def watched_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A sandbox for the module whose stderr is kept: it must stop cleanly, without a traceback."""
    folder: Path = tmp_path_factory.mktemp("sandbox")
    sandbox = SandboxServer(folder / "data", stderr_file=folder / "stderr.txt").start()
    yield sandbox
    assert sandbox.stop() == 0
    assert "Traceback" not in sandbox.stderr_text()


@pytest.fixture
def publishers() -> Iterator[list[subprocess.Popen[str]]]:
    """Publishers a test starts (ffmpeg, push): killed at its end, passed or not."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.kill()
        process.wait()


@pytest.fixture
def viewers() -> Iterator[list[RoomViewer]]:
    """Room viewers (the rtc SDK in child processes) a test starts: stopped at its end."""
    started: list[RoomViewer] = []
    yield started
    for viewer in started:
        viewer.stop()
