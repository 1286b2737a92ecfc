"""The watcher's commands (watch protocol v1, docs/watch-protocol.md) and their JSON lines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

DEFAULT_PREVIEW_WIDTH = 640


@dataclass(frozen=True)
class WatcherHelloCommand:
    """The watcher answers with its hello again."""

    cmd: ClassVar[str] = "hello"


@dataclass(frozen=True)
class WatchRoom:
    """Leave any room, then join `url` with `token` and report what `identity` publishes."""

    cmd: ClassVar[str] = "watch"
    url: str  # the LiveKit server: http(s):// or ws(s)://
    token: str = field(repr=False)  # a subscribe-only join token (api.viewer_token): never in a repr
    identity: str  # the watched participant: the ingress's participant_identity
    preview: bool = True
    preview_width: int = DEFAULT_PREVIEW_WIDTH


@dataclass(frozen=True)
class StopWatching:
    """Leave the room (`ended` follows)."""

    cmd: ClassVar[str] = "stop"


@dataclass(frozen=True)
class QuitWatcher:
    """Leave any room and exit."""

    cmd: ClassVar[str] = "quit"


WatchCommand = WatcherHelloCommand | WatchRoom | StopWatching | QuitWatcher


def watch_command_line(command: WatchCommand) -> bytes:
    """One line for the watcher's stdin."""
    message: dict[str, Any] = {"cmd": command.cmd}
    for item in fields(command):
        message[item.name] = getattr(command, item.name)
    return (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")
