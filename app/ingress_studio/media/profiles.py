"""Encoder settings an ingress accepts, for the presets in `domain.encoding_presets`.

RTMP carries H.264 + AAC; WHIP carries H.264 constrained baseline (or VP8) + Opus 48 kHz stereo. No
B-frames anywhere (zerolatency), keyframes every 2 s for RTMP and 1 s for WHIP (what OBS recommends for
WHIP), bitrate capped with maxrate/bufsize so a scene change cannot spike the uplink.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ingress_studio.domain.encoding_presets import DEFAULT_X264_PRESET, AudioProfile, VideoProfile


class TargetKind(Enum):
    RTMP = "rtmp"
    WHIP = "whip"


AUDIO_SAMPLE_RATE = 48_000
# Up to 720p30's pixel rate, x264 runs in one thread: its sliced threads (what zerolatency uses) cost about
# 5 % more CPU for the same picture (tests/bench/push_vs_ffmpeg.py), and one thread encodes 720p30 at
# veryfast in a fraction of a frame's time. Larger pictures, slower presets and pushes with several
# encoders (they take turns on the pipeline's thread) keep x264's own choice, for throughput.
SINGLE_THREAD_PIXEL_RATE = 1280 * 720 * 30
SINGLE_THREAD_PRESETS = ("ultrafast", "superfast", "veryfast")  # slower presets may need the threads


@dataclass(frozen=True)
class EncoderTuning:
    """What a streamer may change beyond the profile; None = the target kind's default keyframe interval."""

    keyframe_interval_s: float | None = None
    x264_preset: str = DEFAULT_X264_PRESET


@dataclass(frozen=True)
class EncoderSettings:
    """Everything that decides the bytes an encoder makes: targets with equal settings share encoders."""

    kind: TargetKind
    video_codec: str  # "h264" or "vp8"
    audio_codec: str  # "aac" or "opus"
    video: VideoProfile
    audio: AudioProfile
    keyframe_interval_s: float
    x264_preset: str = DEFAULT_X264_PRESET

    @property
    def audio_channels(self) -> int:
        # FFmpeg's WHIP muxer refuses mono Opus: WHIP audio is always stereo.
        return 2 if self.kind is TargetKind.WHIP else self.audio.channels

    @property
    def audio_frame_size(self) -> int:
        return 960 if self.audio_codec == "opus" else 1024

    @property
    def gop_frames(self) -> int:
        return max(1, round(self.video.fps * self.keyframe_interval_s))

    def describe(self) -> str:
        v = self.video
        return (
            f"{self.video_codec.upper()} {v.width}x{v.height}@{v.fps} {v.bitrate // 1000} kbps, "
            f"{self.audio_codec.upper()} {AUDIO_SAMPLE_RATE // 1000} kHz {self.audio_channels} ch "
            f"{self.audio.bitrate // 1000} kbps, keyframe every {self.keyframe_interval_s:g} s"
            + (f", x264 {self.x264_preset}" if self.video_codec == "h264" else "")
        )


def settings_for(
    kind: TargetKind,
    video: VideoProfile,
    audio: AudioProfile,
    video_codec: str = "h264",
    tuning: EncoderTuning | None = None,
) -> EncoderSettings:
    tuning = tuning or EncoderTuning()
    if kind is TargetKind.RTMP:
        keyframe_s = tuning.keyframe_interval_s or 2.0
        return EncoderSettings(kind, "h264", "aac", video, audio, keyframe_s, tuning.x264_preset)
    keyframe_s = tuning.keyframe_interval_s or 1.0
    return EncoderSettings(kind, video_codec, "opus", video, audio, keyframe_s, tuning.x264_preset)


def x264_options(settings: EncoderSettings, sole_encoder: bool = True) -> dict[str, str]:
    """`sole_encoder`: no other encoder shares the pipeline's thread (one thread each would queue them up)."""
    gop = str(settings.gop_frames)
    bitrate_k = settings.video.bitrate // 1000
    options = {
        "preset": settings.x264_preset,
        "tune": "zerolatency",
        "g": gop,
        "keyint_min": gop,
        "sc_threshold": "0",  # keyframes on the clock only: players and ingress expect a steady GOP
        "bf": "0",
        "x264-params": f"vbv-maxrate={bitrate_k}:vbv-bufsize={bitrate_k * 2}:nal-hrd=none",
    }
    video = settings.video
    pixel_rate = video.width * video.height * video.fps
    if sole_encoder and settings.x264_preset in SINGLE_THREAD_PRESETS and pixel_rate <= SINGLE_THREAD_PIXEL_RATE:
        options["threads"] = "1"
    if settings.kind is TargetKind.WHIP:
        options["profile"] = "baseline"  # constrained baseline: what WebRTC peers decode
    else:
        options["profile"] = "high"
    return options


def vp8_options(settings: EncoderSettings) -> dict[str, str]:
    return {
        "deadline": "realtime",
        "cpu-used": "8",
        "lag-in-frames": "0",
        "g": str(settings.gop_frames),
        "maxrate": str(settings.video.bitrate),
        "bufsize": str(settings.video.bitrate * 2),
    }
