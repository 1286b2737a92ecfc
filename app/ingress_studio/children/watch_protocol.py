"""Reading the watcher's event lines (watch protocol v1) and what they do to its lifecycle."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from ingress_studio.children.child_protocol import ChildProtocol
from ingress_studio.children.event_lines import read_event_line
from ingress_studio.children.json_fields import Fields, Malformed, version_mismatch
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.children.watch_commands import WatchCommand, watch_command_line
from ingress_studio.children.watch_events import (
    AudioReceived,
    EndReason,
    RoomConnection,
    RoomState,
    VideoReceived,
    WatchedParticipant,
    WatchedTrack,
    WatchEnded,
    WatcherError,
    WatcherHello,
    WatchEvent,
    WatchLevels,
    WatchPreview,
    WatchStats,
)

# The version this client speaks; the watcher's own is room_watch.serve.PROTOCOL_VERSION (a test keeps them equal).
WATCH_PROTOCOL_VERSION = 1


def _hello(fields: Fields) -> WatcherHello | WatcherError:
    mismatch = version_mismatch(fields, WATCH_PROTOCOL_VERSION, "watcher", "watch protocol")
    return WatcherError(mismatch) if mismatch else WatcherHello(fields.integer("protocol"), fields.text("version"))


def _track(fields: Fields) -> WatchedTrack:
    kind = fields.text("kind")
    if kind not in ("video", "audio"):
        raise Malformed("“kind” must be video or audio")
    return WatchedTrack(
        sid=fields.text("sid"),
        kind=kind,
        mime_type=fields.text_or("mime_type", ""),
        width=fields.optional_integer("width") or 0,
        height=fields.optional_integer("height") or 0,
        subscribed=fields.flag("subscribed"),
    )


def _participant(fields: Fields) -> WatchedParticipant:
    return WatchedParticipant(
        identity=fields.text("identity"),
        name=fields.text("name"),
        present=fields.flag("present"),
        tracks=tuple(_track(track) for track in fields.objects("tracks")),
    )


def _video(fields: Fields | None) -> VideoReceived | None:
    if fields is None:
        return None
    return VideoReceived(
        width=fields.integer("width"),
        height=fields.integer("height"),
        fps=fields.number("fps"),
        bitrate=fields.optional_integer("bitrate"),
        frames=fields.integer("frames"),
    )


def _audio(fields: Fields | None) -> AudioReceived | None:
    if fields is None:
        return None
    return AudioReceived(
        peak_db=fields.numbers("peak_db"),
        rms_db=fields.numbers("rms_db"),
        bitrate=fields.optional_integer("bitrate"),
        sample_rate=fields.integer("sample_rate"),
        channels=fields.integer("channels"),
    )


def _stats(fields: Fields) -> WatchStats:
    return WatchStats(
        elapsed=fields.number("elapsed"),
        present=fields.flag("present"),
        video=_video(fields.optional_object("video")),
        audio=_audio(fields.optional_object("audio")),
        since_last_frame_s=fields.optional_number("since_last_frame_s"),
        join_s=fields.optional_number("join_s"),
        first_frame_s=fields.optional_number("first_frame_s"),
        latency_ms=fields.optional_integer("latency_ms"),
        latency_p50_ms=fields.optional_integer("latency_p50_ms"),
        latency_p95_ms=fields.optional_integer("latency_p95_ms"),
    )


def _preview(fields: Fields) -> WatchPreview:
    try:
        jpeg = base64.b64decode(fields.text("jpeg"), validate=True)
    except binascii.Error:
        raise Malformed("“jpeg” must be base64") from None
    return WatchPreview(fields.integer("width"), fields.integer("height"), jpeg)


READERS: dict[str, Callable[[Fields], WatchEvent]] = {
    "hello": _hello,
    "state": lambda f: RoomState(f.choice("state", RoomConnection), f.text("message")),
    "participant": _participant,
    "stats": _stats,
    "preview": _preview,
    "levels": lambda f: WatchLevels(f.numbers("peak_db"), f.numbers("rms_db")),
    "error": lambda f: WatcherError(f.text("message")),
    "ended": lambda f: WatchEnded(f.flag("ok"), f.choice("reason", EndReason), f.text("message")),
}


def read_watch_line(line: str) -> WatchEvent | Unreadable:
    """The event on one line; anything else is Unreadable (unknown fields are ignored, as the protocol says)."""
    return read_event_line(line, READERS)


def next_watch_lifecycle(now: Lifecycle, event: WatchEvent) -> Lifecycle:
    """READY after hello; RUNNING from the first `state` of a join until `ended`."""
    if isinstance(event, WatcherHello) and now is Lifecycle.STARTING:
        return Lifecycle.READY
    if isinstance(event, RoomState) and now is Lifecycle.READY:
        return Lifecycle.RUNNING
    if isinstance(event, WatchEnded):
        return Lifecycle.READY
    return now


WATCHER: ChildProtocol[WatchEvent, WatchCommand] = ChildProtocol(
    program="watcher",
    read_line=read_watch_line,
    next_lifecycle=next_watch_lifecycle,
    write_command=watch_command_line,
)
