"""What a source holds, as plain values: container, length, video and audio codecs and their parameters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import av

from ingress_studio.media.inputs import OpenedInput
from ingress_studio.media.remux import has_b_frames

RAW_FRAMES = "raw frames"  # FFmpeg's wrapped_avframe: what capture devices and lavfi hand over, not yet encoded


@dataclass(frozen=True)
class VideoFacts:
    codec: str
    profile: str | None
    width: int
    height: int
    fps: float | None  # None: not known (a variable or unstated rate)
    b_frames: bool

    def describe(self) -> str:
        profile = f" {self.profile}" if self.profile else ""
        rate = f" at {self.fps:g} fps" if self.fps else ""
        b_frames = " with B-frames" if self.b_frames else ""
        codec = RAW_FRAMES if self.codec == "wrapped_avframe" else self.codec.upper()
        return f"video {codec}{profile} {self.width}x{self.height}{rate}{b_frames}"


@dataclass(frozen=True)
class AudioFacts:
    codec: str
    sample_rate: int
    channels: int

    def describe(self) -> str:
        return f"audio {self.codec.upper()} {self.sample_rate / 1000:g} kHz, {self.channels} ch"


@dataclass
class SourceFacts:
    source: str
    kind: str  # SourceKind's value: file, url, test, camera, mic, screen
    container: str
    container_name: str
    duration: float | None  # seconds; None for live sources and unknown lengths
    still: bool
    live: bool
    video: VideoFacts | None
    audio: AudioFacts | None
    steps: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [self.container_name or self.container]
        if self.duration is not None:
            parts.append(f"{self.duration:.1f} s")
        if self.still:
            parts.append("a still picture")
        parts += [facts.describe() for facts in (self.video, self.audio) if facts is not None]
        return f"{self.source} — " + ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_facts(opened: OpenedInput) -> SourceFacts:
    container = opened.container
    video = audio = None
    if opened.video is not None:
        context = opened.video.codec_context
        rate = opened.video.average_rate or opened.video.guessed_rate
        fps = round(float(rate), 3) if rate and not opened.still else None
        video = VideoFacts(context.name, context.profile, context.width, context.height, fps, has_b_frames(opened))
    if opened.audio is not None:
        audio_context = opened.audio.codec_context
        audio = AudioFacts(audio_context.name, audio_context.sample_rate, audio_context.channels)
    duration = container.duration / av.time_base if container.duration and not opened.live else None
    return SourceFacts(
        source=opened.spec.describe(),
        kind=opened.spec.kind.value,
        container=container.format.name,
        container_name=container.format.long_name,
        duration=round(duration, 3) if duration is not None else None,
        still=opened.still,
        live=opened.live,
        video=video,
        audio=audio,
    )
