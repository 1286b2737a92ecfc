"""The encoding presets a push can pick by name, mirroring LiveKit's ingress presets (size, rate, bitrate).

Plain data, shared by the engine and by whoever names a preset to it (the `push` command line, the
window): naming one must not load the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class VideoProfile:
    name: str
    width: int
    height: int
    fps: int
    bitrate: int  # bits per second

    def with_bitrate(self, bitrate: int) -> VideoProfile:
        return replace(self, bitrate=bitrate)


# name -> (size, fps, normal bitrate, high-motion bitrate): the ingress video presets' main layers.
VIDEO_PROFILES: dict[str, VideoProfile] = {
    "540p25": VideoProfile("540p25", 960, 540, 25, 1_000_000),
    "540p25-high-motion": VideoProfile("540p25-high-motion", 960, 540, 25, 1_300_000),
    "720p30": VideoProfile("720p30", 1280, 720, 30, 1_900_000),
    "720p30-high-motion": VideoProfile("720p30-high-motion", 1280, 720, 30, 2_500_000),
    "1080p30": VideoProfile("1080p30", 1920, 1080, 30, 3_500_000),
    "1080p30-high-motion": VideoProfile("1080p30-high-motion", 1920, 1080, 30, 4_500_000),
}
DEFAULT_VIDEO_PROFILE = "720p30"


@dataclass(frozen=True)
class AudioProfile:
    name: str
    channels: int
    bitrate: int


AUDIO_PROFILES: dict[str, AudioProfile] = {
    "stereo": AudioProfile("stereo", 2, 128_000),
    "stereo-96k": AudioProfile("stereo-96k", 2, 96_000),  # OPUS_STEREO_96KBPS
    "mono-64k": AudioProfile("mono-64k", 1, 64_000),  # OPUS_MONO_64KBS
}
DEFAULT_AUDIO_PROFILE = "stereo"


# x264's speed presets a streamer may pick, fastest first; slower ones cost more CPU for the same quality.
X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")
DEFAULT_X264_PRESET = "veryfast"
KEYFRAME_INTERVAL_RANGE_S = (0.5, 10.0)  # LiveKit ingress and players expect a keyframe at least every few seconds
