"""Opening a source with PyAV: the right demuxer and options per kind and OS, and clear failures."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import av.container

from ingress_studio.media.errors import SourceError
from ingress_studio.media.source_spec import SourceKind, SourceSpec

log = logging.getLogger(__name__)

OPEN_TIMEOUT_S = 15.0
TEST_PATTERN_SIZE = (1280, 720)
TEST_PATTERN_FPS = 30
# Demuxers of single pictures (png_pipe, jpeg_pipe, webp_pipe… and image2 for a named file), and GIF.
IMAGE_DEMUXERS = ("image2", "gif")
FRAME_THREADS_ABOVE_PIXELS = 1920 * 1080


@dataclass
class OpenedInput:
    spec: SourceSpec
    container: av.container.InputContainer
    video: av.VideoStream | None
    audio: av.AudioStream | None
    still: bool = False  # one picture (PNG, JPEG…): streamed as a held picture, like OBS's image source

    @property
    def live(self) -> bool:
        return self.spec.kind.live

    @property
    def duration_s(self) -> float | None:
        """How long it plays; None for live sources, held pictures and lengths the container does not say."""
        if self.live or self.still or self.container.duration is None:
            return None
        return float(self.container.duration / av.time_base)

    @property
    def start_time_s(self) -> float:
        """The container's first timestamp: a file's own clock may not start at zero (MPEG-TS seldom does)."""
        start = self.container.start_time
        return float(start / av.time_base) if start is not None else 0.0

    def close(self) -> None:
        self.container.close()

    def describe_streams(self) -> str:
        parts = []
        if self.video is not None:
            cc = self.video.codec_context
            rate = self.video.average_rate or self.video.guessed_rate
            parts.append(f"video {cc.name} {cc.width}x{cc.height}" + (f"@{float(rate):.3g}" if rate else ""))
        if self.audio is not None:
            ac = self.audio.codec_context
            parts.append(f"audio {ac.name} {ac.sample_rate} Hz {ac.channels} ch")
        return ", ".join(parts) or "no audio or video"


def _test_pattern() -> tuple[str, str | None, dict[str, str]]:
    width, height = TEST_PATTERN_SIZE
    graph = (
        f"testsrc2=size={width}x{height}:rate={TEST_PATTERN_FPS}[out0];"
        "sine=frequency=440:beep_factor=4:sample_rate=48000[out1]"
    )
    return graph, "lavfi", {}


def _device_open_args(spec: SourceSpec) -> tuple[str, str | None, dict[str, str]]:
    """(file, format, options) for av.open, per OS."""
    target = spec.target
    if spec.kind is SourceKind.TEST:
        return _test_pattern()
    if sys.platform.startswith("linux"):
        if spec.kind is SourceKind.CAMERA:
            return target or "/dev/video0", "video4linux2", {}
        if spec.kind is SourceKind.MIC:
            return target or "default", "alsa", {"sample_rate": "48000", "channels": "2"}
        display = target or os.environ.get("DISPLAY", ":0")
        return display, "x11grab", {"framerate": "30", "draw_mouse": "1"}
    if sys.platform == "darwin":
        if spec.kind is SourceKind.CAMERA:
            return f"{target or 'default'}:none", "avfoundation", {"framerate": "30"}
        if spec.kind is SourceKind.MIC:
            return f"none:{target or 'default'}", "avfoundation", {}
        return f"{target or '1'}:none", "avfoundation", {"framerate": "30", "capture_cursor": "1"}
    if spec.kind is SourceKind.CAMERA:
        return f"video={target}", "dshow", {}
    if spec.kind is SourceKind.MIC:
        return f"audio={target}", "dshow", {}
    return target or "desktop", "gdigrab", {"framerate": "30"}


def _check_file(path: str) -> None:
    file = Path(path)
    if not file.exists():
        raise SourceError(f"File not found: {path}.")
    if file.is_dir():
        raise SourceError(f"{path} is a folder, not a media file.")
    if file.stat().st_size == 0:
        raise SourceError(f"{path} is empty (0 bytes): there is nothing to stream.")


def _open_failure(spec: SourceSpec, exc: BaseException, open_timeout_s: float) -> SourceError:
    what = spec.describe()
    # PyAV's open timeout interrupts FFmpeg ("Immediate exit requested"); the protocol's rw_timeout is ETIMEDOUT
    if isinstance(exc, av.error.ExitError | TimeoutError | av.error.TimeoutError):
        return SourceError(f"{what} did not answer within {open_timeout_s:g} seconds: check the address.")
    if spec.kind is SourceKind.FILE:
        if isinstance(exc, av.error.InvalidDataError):
            return SourceError(f"{what} is not a media file FFmpeg can read (damaged, truncated, or not audio/video).")
        if isinstance(exc, PermissionError | av.error.PermissionError):
            return SourceError(f"{what} cannot be read: permission denied.")
    if spec.kind is SourceKind.URL:
        reason = getattr(exc, "strerror", None) or str(exc)
        return SourceError(f"Cannot open {what}: {reason}.")
    if spec.kind in (SourceKind.CAMERA, SourceKind.MIC, SourceKind.SCREEN):
        reason = getattr(exc, "strerror", None) or str(exc)
        return SourceError(
            f"Cannot open the {spec.kind.value} “{spec.target or 'default'}” ({reason}). "
            "Run `ingress-studio devices` to see what this machine offers."
        )
    reason = getattr(exc, "strerror", None) or str(exc)
    return SourceError(f"Cannot open {what}: {reason}.")


def _is_image_demuxer(name: str) -> bool:
    return name in IMAGE_DEMUXERS or name.endswith("_pipe")


def _count_pictures(container: av.container.InputContainer, stream: av.VideoStream, limit: int) -> int:
    """Pictures in the stream, counting no further than `limit` (the demuxer's end packet is empty)."""
    count = 0
    for packet in container.demux(stream):
        if packet.size:
            count += 1
        if count >= limit:
            break
    return count


def _is_still(file: str, container: av.container.InputContainer, video: av.VideoStream | None) -> bool:
    """A single picture: an image demuxer with exactly one frame (an animated GIF or a sequence is a video)."""
    if video is None or container.streams.audio or not _is_image_demuxer(container.format.name):
        return False
    try:
        with av.open(file) as probe:  # a separate open: the caller's container must stay at its start
            return _count_pictures(probe, probe.streams.video[0], 2) == 1
    except (av.FFmpegError, OSError):
        return False


def open_input(
    spec: SourceSpec, want_video: bool = True, want_audio: bool = True, open_timeout_s: float = OPEN_TIMEOUT_S
) -> OpenedInput:
    """Open a source; SourceError with one sentence when it cannot be. A URL that does not answer within
    `open_timeout_s` is given up (FFmpeg's rw_timeout for the protocol, PyAV's interrupt for the whole open)."""
    if spec.kind is SourceKind.FILE:
        _check_file(spec.target)
        file: str = spec.target
        format_name: str | None = None
        options: dict[str, str] = {}
    elif spec.kind is SourceKind.URL:
        file, format_name, options = spec.target, None, {"rw_timeout": str(int(open_timeout_s * 1_000_000))}
    else:
        file, format_name, options = _device_open_args(spec)
    try:
        kwargs: dict[str, Any] = {"format": format_name, "options": options, "timeout": (open_timeout_s, None)}
        container = av.open(file, **kwargs)
    except (av.FFmpegError, OSError) as exc:
        raise _open_failure(spec, exc, open_timeout_s) from exc
    video = container.streams.video[0] if want_video and container.streams.video else None
    audio = container.streams.audio[0] if want_audio and container.streams.audio else None
    if video is None and audio is None:
        container.close()
        raise SourceError(f"{spec.describe()} has no audio or video to stream.")
    still = spec.kind is SourceKind.FILE and _is_still(file, container, video)
    if video is not None and not still:
        # Slice threads only, up to 1080p: frame threads hold pictures back (a frame of delay per thread) and
        # cost more CPU in all; above that a decoder needs them to keep up.
        large = video.codec_context.width * video.codec_context.height > FRAME_THREADS_ABOVE_PIXELS
        video.thread_type = "AUTO" if large else "SLICE"
    opened = OpenedInput(spec, container, video, audio, still)
    log.info("opened %s: %s%s", spec.describe(), opened.describe_streams(), " (a still picture)" if still else "")
    return opened
