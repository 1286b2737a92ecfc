"""Out of file descriptors: the sandbox, run with a low RLIMIT_NOFILE, takes connections until accept()
fails (EMFILE), says so in a line or two instead of a traceback per retry (which wrote megabytes a
second and rotated every log file away), and serves again once the connections close."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from ingress_studio.config.paths import user_log_dir
from support.raw_http import connect, port_of
from support.sandbox_process import SandboxServer

OPEN_FILES = 64  # the sandbox itself needs about 20
HELD_S = 6


def _log_bytes() -> int:
    return sum(path.stat().st_size for path in user_log_dir().glob("*.log*")) if user_log_dir().exists() else 0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    sandbox = SandboxServer(tmp_path / "data", max_open_files=OPEN_FILES, stderr_file=tmp_path / "stderr.txt").start()
    yield sandbox
    if sandbox.process is not None and sandbox.process.poll() is None:
        sandbox.stop()


async def test_running_out_of_descriptors_is_reported_once_and_recovers(server: SandboxServer) -> None:
    logged_before = _log_bytes()
    port = port_of(server.url)
    held = [await connect(port) for _ in range(OPEN_FILES + 40)]  # the rest wait in the listen backlog
    await asyncio.sleep(HELD_S)
    stderr = server.stderr_text()
    assert len(stderr) < 2000, f"{len(stderr)} bytes of stderr in {HELD_S} s: {stderr[:500]}"
    assert stderr.count("cannot accept connections: Too many open files") == 1, stderr
    assert _log_bytes() - logged_before < 4000

    for _, writer in held:
        writer.close()
    async with asyncio.timeout(15), IngressClient(server.project()) as client:
        while True:  # the listener retries after a pause of at most 2 s
            try:
                await client.list()
                break
            except ApiError:  # not yet: the sandbox may still be closing the held connections
                await asyncio.sleep(0.5)
        await client.list()
    assert server.stop() == 0
    stderr = server.stderr_text()
    assert "Traceback" not in stderr and "accepts connections again" in stderr, stderr
