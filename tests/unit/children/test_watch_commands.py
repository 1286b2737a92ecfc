"""Typed watcher commands become the lines docs/watch-protocol.md describes."""

from __future__ import annotations

import json

from ingress_studio.children.watch_commands import (
    QuitWatcher,
    StopWatching,
    WatcherHelloCommand,
    WatchRoom,
    watch_command_line,
)


def decoded(data: bytes) -> dict[str, object]:
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    message = json.loads(data)
    assert isinstance(message, dict)
    return message


def test_commands_without_fields() -> None:
    assert decoded(watch_command_line(WatcherHelloCommand())) == {"cmd": "hello"}
    assert decoded(watch_command_line(StopWatching())) == {"cmd": "stop"}
    assert decoded(watch_command_line(QuitWatcher())) == {"cmd": "quit"}


def test_a_watch_command_carries_every_field() -> None:
    watch = WatchRoom("http://127.0.0.1:7880", "a.jwt.token", "ingress-1", preview=False, preview_width=320)
    assert decoded(watch_command_line(watch)) == {
        "cmd": "watch",
        "url": "http://127.0.0.1:7880",
        "token": "a.jwt.token",
        "identity": "ingress-1",
        "preview": False,
        "preview_width": 320,
    }
    assert "a.jwt.token" not in repr(watch)  # a join token in a log line would let anyone join
