"""The transport-independent core: bytes in any chunks → typed events, the lifecycle, stderr for the log, the exit."""

from __future__ import annotations

import json
import logging
import signal

import pytest

from ingress_studio.children.engine_commands import StopPush
from ingress_studio.children.engine_events import EngineHello, PushEnded, PushStarted
from ingress_studio.children.engine_protocol import ENGINE
from ingress_studio.children.exits import CleanExit, Crashed, ExitedWithCode
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.sandbox_messages import SandboxReady
from ingress_studio.children.sandbox_protocol import SANDBOX
from ingress_studio.children.session import MAX_LINE_BYTES, STDERR_TAIL_BYTES, ChildSession
from ingress_studio.children.unreadable import Unreadable

HELLO = b'{"event": "hello", "protocol": 1, "version": "0.9"}\n'
STARTED = b'{"event": "started", "sources": ["test:"], "targets": ["rtmp://h/x"]}\n'
ENDED = b'{"event": "ended", "ok": true, "message": "stopped"}\n'


def test_lines_cut_anywhere_are_read_whole() -> None:
    session = ChildSession(ENGINE)
    data = HELLO + STARTED + ENDED
    events = []
    for start in range(0, len(data), 7):
        events += session.read_stdout(data[start : start + 7])
    assert events == [EngineHello(1, "0.9"), PushStarted(("test:",), ("rtmp://h/x",)), PushEnded(True, "stopped")]


def test_the_lifecycle_follows_the_events() -> None:
    session = ChildSession(ENGINE)
    assert session.lifecycle is Lifecycle.STARTING
    session.read_stdout(HELLO)
    assert session.lifecycle is Lifecycle.READY
    session.read_stdout(STARTED)
    assert session.lifecycle is Lifecycle.RUNNING
    session.read_stdout(ENDED)
    assert session.lifecycle is Lifecycle.READY
    assert session.exited(0) == CleanExit("engine", requested=False, after_ready=True)
    assert session.lifecycle is Lifecycle.EXITED and not session.lifecycle.alive


def test_a_last_line_without_its_newline_is_read_when_stdout_closes() -> None:
    session = ChildSession(ENGINE)
    assert session.read_stdout(HELLO.rstrip(b"\n")) == []
    assert session.stdout_closed() == [EngineHello(1, "0.9")]
    assert session.stdout_closed() == []


def test_blank_lines_are_skipped_and_bad_ones_are_unreadable_events(caplog: pytest.LogCaptureFixture) -> None:
    session = ChildSession(ENGINE)
    with caplog.at_level(logging.WARNING):
        events = session.read_stdout(b"\n  \nTraceback (most recent call last):\n\xff\xfe\n" + HELLO)
    assert events == [
        Unreadable("Traceback (most recent call last):", "not JSON"),
        Unreadable("\ufffd\ufffd", "not UTF-8"),
        EngineHello(1, "0.9"),
    ]
    assert "engine child wrote a line this version cannot read (not JSON)" in caplog.text
    assert session.lifecycle is Lifecycle.READY  # an unreadable line moves nothing


def test_a_runaway_line_is_dropped_and_the_next_one_read() -> None:
    session = ChildSession(ENGINE)
    chunk = b"x" * (1024 * 1024)
    events = []
    for _ in range(MAX_LINE_BYTES // len(chunk) + 2):
        events += session.read_stdout(chunk)
    assert [e.reason for e in events if isinstance(e, Unreadable)] == [f"a line longer than {MAX_LINE_BYTES} bytes"]
    assert session.read_stdout(b"still the long line\n" + HELLO) == [EngineHello(1, "0.9")]


def test_stderr_keeps_its_tail_for_the_log(caplog: pytest.LogCaptureFixture) -> None:
    session = ChildSession(SANDBOX)
    session.read_stderr(b"a" * STDERR_TAIL_BYTES)
    session.read_stderr(b"\nTraceback: the end")
    assert len(session.stderr_tail) == STDERR_TAIL_BYTES and session.stderr_tail.endswith("Traceback: the end")
    with caplog.at_level(logging.WARNING):
        exit = session.exited(None, signal.SIGSEGV)
    assert exit == Crashed("sandbox", requested=False, after_ready=False, signal=signal.SIGSEGV)
    assert "Traceback" not in exit.sentence  # the window's sentence
    assert "sandbox child (crashed) said:" in caplog.text and "Traceback: the end" in caplog.text


def test_an_exit_the_parent_asked_for_is_marked_as_such() -> None:
    session = ChildSession(SANDBOX)
    ready_line = json.dumps(
        {
            "event": "ready",
            "protocol": 1,
            "version": "0.9",
            "api_url": "http://127.0.0.1:7880",
            "rtmp_base_url": "rtmp://127.0.0.1:1935/x",
            "whip_base_url": "http://127.0.0.1:8080/w",
            "api_key": "devkey",
            "database": "ingresses.sqlite3",
        }
    )
    [event] = session.read_stdout(ready_line.encode() + b"\n")
    assert isinstance(event, SandboxReady) and session.lifecycle is Lifecycle.READY
    session.stop_requested()
    assert session.exited(3) == ExitedWithCode("sandbox", True, True, 3, "a port it needs is in use")
    assert session.lifecycle is Lifecycle.EXITED


def test_commands_are_written_as_lines() -> None:
    assert ChildSession(ENGINE).write(StopPush()) == b'{"cmd": "stop"}\n'
