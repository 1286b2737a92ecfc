"""The watcher's events (watch protocol v1, docs/watch-protocol.md): one frozen dataclass per event.

Field names and units are the protocol's: seconds, bits per second for `bitrate`, dBFS (-90 = silence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class RoomConnection(Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    DISCONNECTED = "disconnected"


class EndReason(Enum):
    """Why the watcher left a room, so that a client knows what to say (the protocol's `ended.reason`)."""

    STOPPED = "stopped"  # asked to (stop, quit, stdin closed, --duration over)
    REFUSED = "refused"  # the server said no: a bad or expired token, the room is closed
    NO_PERMISSION = "no_permission"  # the token lacks room_join for this room, or can_subscribe
    NO_ICE = "no_ice"  # this host has only a loopback interface: WebRTC cannot connect
    UNREACHABLE = "unreachable"  # nothing answers at the URL
    DISCONNECTED = "disconnected"  # the server ended the session
    FAILED = "failed"  # anything else: the message says what


@dataclass(frozen=True)
class WatcherHello:
    """At start and on a `hello` command; only a hello of this client's protocol version becomes one."""

    protocol: int
    version: str  # the watcher's Ingress Studio version


@dataclass(frozen=True)
class RoomState:
    """The room connection changed."""

    state: RoomConnection
    message: str  # a sentence, or ""


@dataclass(frozen=True)
class WatchedTrack:
    sid: str
    kind: str  # "video" or "audio"
    mime_type: str  # "video/H264", "audio/opus", or "" when the server did not say
    width: int  # 0 for audio, or when the server did not say
    height: int
    subscribed: bool


@dataclass(frozen=True)
class WatchedParticipant:
    """The watched participant joined, left, or published / unpublished a track."""

    identity: str
    name: str
    present: bool
    tracks: tuple[WatchedTrack, ...]


@dataclass(frozen=True)
class VideoReceived:
    width: int
    height: int
    fps: float  # decoded pictures over the last second
    bitrate: int | None  # bits per second received over the last second; None when the SDK's stats have none
    frames: int  # pictures decoded so far


@dataclass(frozen=True)
class AudioReceived:
    peak_db: tuple[float, ...]  # per channel, over the last second
    rms_db: tuple[float, ...]
    bitrate: int | None
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class WatchStats:
    """Once a second while in a room."""

    elapsed: float  # seconds since `watch`
    present: bool  # the watched participant is in the room
    video: VideoReceived | None
    audio: AudioReceived | None
    since_last_frame_s: float | None  # None before the first picture
    join_s: float | None  # seconds connect() took; None until connected
    first_frame_s: float | None  # seconds from `watch` to the first picture; None before it
    # glass-to-glass latency from clock stamps (push --stamp-clock): the newest, p50/p95 over 10 s; None without
    latency_ms: int | None = None
    latency_p50_ms: int | None = None
    latency_p95_ms: int | None = None


@dataclass(frozen=True)
class WatchPreview:
    """A downscaled picture of what the room receives: at most 10 a second."""

    width: int
    height: int
    jpeg: bytes = field(repr=False)  # decoded from the line's base64


@dataclass(frozen=True)
class WatchLevels:
    """Received audio levels per channel, dBFS: at most 15 a second."""

    peak_db: tuple[float, ...]
    rms_db: tuple[float, ...]


@dataclass(frozen=True)
class WatcherError:
    """A command failed, the join failed (then `ended` follows), or the watcher speaks another protocol version."""

    message: str  # one sentence for a person


@dataclass(frozen=True)
class WatchEnded:
    """The watcher left the room, or could not join."""

    ok: bool
    reason: EndReason
    message: str


WatchEvent = (
    WatcherHello | RoomState | WatchedParticipant | WatchStats | WatchPreview | WatchLevels | WatcherError | WatchEnded
)
