"""The engine's commands (control protocol v1, docs/control-protocol.md) and their JSON lines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal


@dataclass(frozen=True)
class PushTarget:
    kind: Literal["rtmp", "whip"]
    url: str
    key: str = field(default="", repr=False)  # the RTMP stream key or WHIP bearer token: never in a repr
    label: str = ""  # the target's name in events instead of its URL


@dataclass(frozen=True)
class HelloCommand:
    """The engine answers with its hello again."""

    cmd: ClassVar[str] = "hello"


@dataclass(frozen=True)
class StartPush:
    """Start a push; refused with an error event while one runs. None = the engine's default."""

    cmd: ClassVar[str] = "start"
    sources: tuple[str, ...]  # source names, as `push` takes them ("test:", a file, "camera:…")
    targets: tuple[PushTarget, ...]
    audio: str | None = None  # a separate audio source
    profile: str | None = None  # "720p30" …
    video_bitrate: int | None = None  # kbps
    audio_profile: str | None = None
    keyframe_interval: float | None = None  # seconds; None = 2 s for RTMP, 1 s for WHIP
    x264_preset: str | None = None  # "veryfast" …
    loop: bool = False
    start: float | None = None  # seconds into the first source
    duration: float | None = None  # seconds
    transcode: bool = False  # never remux
    no_audio: bool = False
    no_video: bool = False
    preview: bool = True
    reconnect_tries: int | None = None
    reconnect_delay: float | None = None  # seconds before the first retry
    stamp_clock: bool = False  # draw the capture time into each picture (it forces transcoding)


@dataclass(frozen=True)
class SwitchSource:
    """The running push continues from other sources (transcoding only)."""

    cmd: ClassVar[str] = "switch_source"
    sources: tuple[str, ...]
    audio: str | None = None
    loop: bool = False


@dataclass(frozen=True)
class StopPush:
    """End the running push cleanly."""

    cmd: ClassVar[str] = "stop"


@dataclass(frozen=True)
class QuitEngine:
    """Stop any push and exit."""

    cmd: ClassVar[str] = "quit"


EngineCommand = HelloCommand | StartPush | SwitchSource | StopPush | QuitEngine


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, PushTarget):
        target = {"kind": value.kind, "url": value.url, "key": value.key}
        return target | ({"label": value.label} if value.label else {})
    return value


def command_line(command: EngineCommand) -> bytes:
    """One line for the engine's stdin; fields left at None are left out (the engine's default applies)."""
    message: dict[str, Any] = {"cmd": command.cmd}
    for item in fields(command):
        value = getattr(command, item.name)
        if value is not None:
            message[item.name] = _json_value(value)
    return (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")
