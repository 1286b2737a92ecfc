"""The engine's events (control protocol v1, docs/control-protocol.md): one frozen dataclass per event.

Field names and units are the protocol's: seconds, bits per second for `bitrate`, bytes, dBFS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class PushState(Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass(frozen=True)
class EngineHello:
    """At start and on a `hello` command; only a hello of this client's protocol version becomes one."""

    protocol: int
    version: str  # the engine's Ingress Studio version


@dataclass(frozen=True)
class PushStarted:
    """A push began connecting."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]  # names: the URL without its key, or the target's label


@dataclass(frozen=True)
class PushPath:
    """Which path the push takes (remux: no re-encoding), and why, as a sentence."""

    remux: bool
    reason: str


@dataclass(frozen=True)
class TargetStats:
    name: str
    state: PushState
    bytes_sent: int
    dropped: int  # video frames that never reached this target (network: not connected, queue full, reconnect)
    reconnect_attempt: int
    error: str  # the last failure's sentence, or ""
    frames: int = 0  # video frames meant for this target, `dropped` included (0 from an engine before it)


@dataclass(frozen=True)
class PushStats:
    """Once a second while a push runs, and a last one with state `stopped` before `ended`."""

    state: PushState
    time: float  # seconds on the output timeline
    elapsed: float  # wall-clock seconds since the start
    fps_in: float
    fps_out: float
    bitrate: int  # bits per second sent, over the last interval
    frames_encoded: int
    frames_dropped: int
    encode_ms_per_frame: float
    speed: float  # media seconds per wall-clock second
    bytes_sent: int
    reconnect_attempt: int
    next_retry_s: float | None  # the delay chosen for the next attempt
    next_retry_in_s: float | None  # seconds left until that attempt
    path: str  # the path, described ("remux", "transcode …")
    targets: tuple[TargetStats, ...]
    # Added within protocol v1; an engine before them leaves them out and these defaults stand.
    frames_skipped: int = 0  # encoding lag: a live source's frames the pipeline was too busy to take…
    frames_read: int = 0  # … of the video frames the source gave
    frames_lost: int = 0  # network: video frames that never reached a target…
    frames_output: int = 0  # … of the frames meant for the targets (each target counts its own)
    cpu_percent: float | None = None  # the engine process over the last interval; 100 = one core
    target_fps: float | None = None  # the output's rate; None without video or when remuxing an unknown rate
    source_index: int = 0  # 0-based, in the playlist being played
    source_count: int = 0  # 0: not known
    source_name: str = ""  # as named: a file's path, a URL, "test:"
    source_position: float | None = None  # seconds into the current source
    source_duration: float | None = None  # None for live sources and unknown lengths
    playlist_remaining: float | None = None  # seconds to the playlist's end on this pass; None: unknown or live


@dataclass(frozen=True)
class Preview:
    """A downscaled picture of the output: at most 15 a second (remuxing: at each keyframe)."""

    t: float  # seconds on the output timeline
    width: int  # at most 640
    height: int
    jpeg: bytes = field(repr=False)  # decoded from the line's base64


@dataclass(frozen=True)
class Levels:
    """Audio levels per channel, dBFS (-90 = silence): at most 15 a second."""

    peak_db: tuple[float, ...]
    rms_db: tuple[float, ...]


@dataclass(frozen=True)
class SourceSwitched:
    """A `switch_source` took effect (the `source` event)."""

    sources: tuple[str, ...]


@dataclass(frozen=True)
class EngineError:
    """A command failed, a push failed (then `ended` follows), or the engine speaks another protocol version."""

    message: str  # one sentence for a person


@dataclass(frozen=True)
class PushEnded:
    """The push finished: its source ended, it was stopped, or it failed."""

    ok: bool
    message: str


EngineEvent = (
    EngineHello | PushStarted | PushPath | PushStats | Preview | Levels | SourceSwitched | EngineError | PushEnded
)
