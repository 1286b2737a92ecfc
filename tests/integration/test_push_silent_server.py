"""A target that takes the connection and never answers: one line within a bounded time, not a process
frozen for good (PyAV opens output connections holding the GIL, with no timeout of its own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.run_program import push
from support.silent_server import silent_server


@pytest.fixture
def silent_port() -> Iterator[int]:
    with silent_server() as port:
        yield port


@pytest.mark.parametrize(
    ("flag", "url", "what"),
    [
        ("--rtmp", "rtmp://127.0.0.1:{port}/x/key", "took the connection but did not answer as an RTMP server"),
        ("--whip", "http://127.0.0.1:{port}/w", "did not answer an HTTP request"),
    ],
)
def test_a_silent_server_is_one_line_not_a_hang(silent_port: int, flag: str, url: str, what: str) -> None:
    target = url.format(port=silent_port)
    result = push("test:", flag, target, timeout=45)  # before: still waiting when the timeout killed it
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    shown = target.replace("/x/key", "/x/[redacted]")  # a stream key in a URL is masked on the terminal too
    assert result.stderr.strip().splitlines()[-1] == (
        f"ingress-studio push: {shown} {what} within 10 s: check the address and port."
    )
