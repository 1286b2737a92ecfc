"""Reading the engine's event lines (control protocol v1) and what they do to its lifecycle."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from ingress_studio.children.child_protocol import ChildProtocol
from ingress_studio.children.engine_commands import EngineCommand, command_line
from ingress_studio.children.engine_events import (
    EngineError,
    EngineEvent,
    EngineHello,
    Levels,
    Preview,
    PushEnded,
    PushPath,
    PushStarted,
    PushState,
    PushStats,
    SourceSwitched,
    TargetStats,
)
from ingress_studio.children.event_lines import read_event_line
from ingress_studio.children.json_fields import Fields, Malformed, version_mismatch
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.unreadable import Unreadable

# The version this client speaks; the engine's own is media.control.PROTOCOL_VERSION (a test keeps them equal).
ENGINE_PROTOCOL_VERSION = 1


def _hello(fields: Fields) -> EngineHello | EngineError:
    mismatch = version_mismatch(fields, ENGINE_PROTOCOL_VERSION, "engine", "control protocol")
    return EngineError(mismatch) if mismatch else EngineHello(fields.integer("protocol"), fields.text("version"))


def _target_stats(fields: Fields) -> TargetStats:
    return TargetStats(
        name=fields.text("name"),
        state=fields.choice("state", PushState),
        bytes_sent=fields.integer("bytes_sent"),
        dropped=fields.integer("dropped"),
        reconnect_attempt=fields.integer("reconnect_attempt"),
        error=fields.text("error"),
        frames=fields.integer_or("frames", 0),
    )


def _stats(fields: Fields) -> PushStats:
    return PushStats(
        state=fields.choice("state", PushState),
        time=fields.number("time"),
        elapsed=fields.number("elapsed"),
        fps_in=fields.number("fps_in"),
        fps_out=fields.number("fps_out"),
        bitrate=fields.integer("bitrate"),
        frames_encoded=fields.integer("frames_encoded"),
        frames_dropped=fields.integer("frames_dropped"),
        encode_ms_per_frame=fields.number("encode_ms_per_frame"),
        speed=fields.number("speed"),
        bytes_sent=fields.integer("bytes_sent"),
        reconnect_attempt=fields.integer("reconnect_attempt"),
        next_retry_s=fields.optional_number("next_retry_s"),
        next_retry_in_s=fields.optional_number("next_retry_in_s"),
        path=fields.text("path"),
        targets=tuple(_target_stats(target) for target in fields.objects("targets")),
        frames_skipped=fields.integer_or("frames_skipped", 0),
        frames_read=fields.integer_or("frames_read", 0),
        frames_lost=fields.integer_or("frames_lost", 0),
        frames_output=fields.integer_or("frames_output", 0),
        cpu_percent=fields.optional_number("cpu_percent"),
        target_fps=fields.optional_number("target_fps"),
        source_index=fields.integer_or("source_index", 0),
        source_count=fields.integer_or("source_count", 0),
        source_name=fields.text_or("source_name", ""),
        source_position=fields.optional_number("source_position"),
        source_duration=fields.optional_number("source_duration"),
        playlist_remaining=fields.optional_number("playlist_remaining"),
    )


def _preview(fields: Fields) -> Preview:
    try:
        jpeg = base64.b64decode(fields.text("jpeg"), validate=True)
    except binascii.Error:
        raise Malformed("“jpeg” must be base64") from None
    return Preview(fields.number("t"), fields.integer("width"), fields.integer("height"), jpeg)


READERS: dict[str, Callable[[Fields], EngineEvent]] = {
    "hello": _hello,
    "started": lambda f: PushStarted(f.texts("sources"), f.texts("targets")),
    "path": lambda f: PushPath(f.flag("remux"), f.text("reason")),
    "stats": _stats,
    "preview": _preview,
    "levels": lambda f: Levels(f.numbers("peak_db"), f.numbers("rms_db")),
    "source": lambda f: SourceSwitched(f.texts("sources")),
    "error": lambda f: EngineError(f.text("message")),
    "ended": lambda f: PushEnded(f.flag("ok"), f.text("message")),
}


def read_engine_line(line: str) -> EngineEvent | Unreadable:
    """The event on one line; anything else is Unreadable (unknown fields are ignored, as the protocol says)."""
    return read_event_line(line, READERS)


def next_engine_lifecycle(now: Lifecycle, event: EngineEvent) -> Lifecycle:
    if isinstance(event, EngineHello) and now is Lifecycle.STARTING:
        return Lifecycle.READY
    if isinstance(event, PushStarted):
        return Lifecycle.RUNNING
    if isinstance(event, PushEnded):
        return Lifecycle.READY
    return now


ENGINE: ChildProtocol[EngineEvent, EngineCommand] = ChildProtocol(
    program="engine",
    read_line=read_engine_line,
    next_lifecycle=next_engine_lifecycle,
    write_command=command_line,
)
