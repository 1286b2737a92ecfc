"""What an ingress expects to receive: where to push (kind, URL, key) and the encoder profile that matches
its video and audio presets or layers, with the reason in words. Plain data: naming it loads no engine.

An ingress that transcodes re-encodes what it receives into its preset's layers, so the best input is the
size and rate of its largest layer: more is thrown away, less is upscaled. A WHIP ingress with transcoding
off forwards the media to viewers as it arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.domain.encoding_presets import AUDIO_PROFILES, VIDEO_PROFILES, VideoProfile
from ingress_studio.domain.ingress_kinds import RTMP, WHIP
from ingress_studio.domain.validation import transcoding_enabled
from ingress_studio.user_error import UserError

PushKind = Literal["rtmp", "whip"]

VideoPreset = ingress_pb.IngressVideoEncodingPreset
AudioPreset = ingress_pb.IngressAudioEncodingPreset

# The engine's profile (encoding_presets.VIDEO_PROFILES) whose size, rate and bitrate match each preset's top layer.
VIDEO_PRESET_PROFILES: dict[int, str] = {
    VideoPreset.H264_540P_25FPS_2_LAYERS: "540p25",
    VideoPreset.H264_540P_25FPS_2_LAYERS_HIGH_MOTION: "540p25-high-motion",
    VideoPreset.H264_720P_30FPS_3_LAYERS: "720p30",
    VideoPreset.H264_720P_30FPS_1_LAYER: "720p30",
    VideoPreset.H264_720P_30FPS_3_LAYERS_HIGH_MOTION: "720p30-high-motion",
    VideoPreset.H264_720P_30FPS_1_LAYER_HIGH_MOTION: "720p30-high-motion",
    VideoPreset.H264_1080P_30FPS_3_LAYERS: "1080p30",
    VideoPreset.H264_1080P_30FPS_1_LAYER: "1080p30",
    VideoPreset.H264_1080P_30FPS_3_LAYERS_HIGH_MOTION: "1080p30-high-motion",
    VideoPreset.H264_1080P_30FPS_1_LAYER_HIGH_MOTION: "1080p30-high-motion",
}
AUDIO_PRESET_PROFILES: dict[int, str] = {
    AudioPreset.OPUS_STEREO_96KBPS: "stereo-96k",
    AudioPreset.OPUS_MONO_64KBS: "mono-64k",
}
# What the server applies when an ingress names no preset and no options (the enums' zero values).
DEFAULT_VIDEO_PRESET = VideoPreset.H264_720P_30FPS_3_LAYERS
DEFAULT_AUDIO_PRESET = AudioPreset.OPUS_STEREO_96KBPS
# A passed-through stream reaches viewers as it is sent: the engine's default profile, nothing to match.
PASSTHROUGH_VIDEO_PROFILE = "720p30"
PASSTHROUGH_AUDIO_PROFILE = "stereo"

PASSTHROUGH_REASON = (
    "this WHIP ingress passes media through without transcoding, so viewers get exactly what is sent: "
    "WebRTC browsers need H.264 Constrained Baseline and Opus"
)


class IngressNotPushable(UserError):
    """Nothing can be pushed to this ingress (a URL ingress pulls its media itself)."""


@dataclass(frozen=True)
class IngressProfile:
    """Where and how to push to one ingress. `kind`, `url` and `key` are what the engine's PushTarget takes
    (RTMP: server URL + stream key; WHIP: endpoint URL + bearer token); the profiles are engine names."""

    kind: PushKind
    url: str
    key: str = field(repr=False)  # the stream key: never in a repr, a log line or a command line
    video_profile: str = PASSTHROUGH_VIDEO_PROFILE
    audio_profile: str = PASSTHROUGH_AUDIO_PROFILE
    transcoded: bool = True  # False: a WHIP ingress that forwards what it receives to viewers
    reason: str = ""  # why this profile, in words that follow "Encoder profile …: "

    @property
    def sentence(self) -> str:
        return profile_sentence(self.video_profile, self.audio_profile, self.reason)


def profile_sentence(video_profile: str, audio_profile: str, reason: str) -> str:
    """The encoder profile and why, as the plan shows it."""
    return f"Encoder profile {video_profile} with {audio_profile} audio: {reason}."


def _video_profile(options: ingress_pb.IngressVideoOptions | None) -> tuple[str, str]:
    """(profile name, why) for the ingress's video options."""
    if options is None or options.WhichOneof("encoding_options") is None:
        name = VIDEO_PRESET_PROFILES[DEFAULT_VIDEO_PRESET]
        return name, f"the ingress uses the default video preset {VideoPreset.Name(DEFAULT_VIDEO_PRESET)}"
    if options.WhichOneof("encoding_options") == "preset":
        name = VIDEO_PRESET_PROFILES.get(options.preset, VIDEO_PRESET_PROFILES[DEFAULT_VIDEO_PRESET])
        preset = VideoPreset.Name(options.preset) if options.preset in VIDEO_PRESET_PROFILES else "an unknown one"
        return name, f"the ingress's video preset is {preset}"
    return _layers_profile(options.options)


def _area(profile: VideoProfile) -> int:
    return profile.width * profile.height


def _layers_profile(options: ingress_pb.IngressVideoEncodingOptions) -> tuple[str, str]:
    """The smallest engine size that covers the largest layer (the ingress never outputs more than that)."""
    layers = [layer for layer in options.layers if layer.width and layer.height]
    if not layers:
        name = VIDEO_PRESET_PROFILES[DEFAULT_VIDEO_PRESET]
        return name, "the ingress's custom video options give no layer sizes, so the default preset's size is sent"
    top = max(layers, key=lambda layer: layer.width * layer.height)
    sizes = [profile for profile in VIDEO_PROFILES.values() if not profile.name.endswith("-high-motion")]
    fitting = [profile for profile in sizes if profile.width >= top.width and profile.height >= top.height]
    chosen = min(fitting or [max(sizes, key=_area)], key=_area)
    quality = models_pb.VideoQuality.Name(top.quality) if top.quality in models_pb.VideoQuality.values() else "top"
    why = f"the ingress's largest layer ({quality}) is {top.width}x{top.height}"
    if options.frame_rate and round(options.frame_rate) != chosen.fps:
        why += f" at {options.frame_rate:g} fps (the ingress changes the rate)"
    return chosen.name, why


def _audio_profile(options: ingress_pb.IngressAudioOptions | None) -> tuple[str, str]:
    if options is None or options.WhichOneof("encoding_options") is None:
        return AUDIO_PRESET_PROFILES[DEFAULT_AUDIO_PRESET], "its audio the default OPUS_STEREO_96KBPS"
    if options.WhichOneof("encoding_options") == "preset":
        name = AUDIO_PRESET_PROFILES.get(options.preset, AUDIO_PRESET_PROFILES[DEFAULT_AUDIO_PRESET])
        preset = AudioPreset.Name(options.preset) if options.preset in AUDIO_PRESET_PROFILES else "an unknown preset"
        return name, f"its audio preset {preset}"
    custom = options.options
    if custom.channels == 1:
        return "mono-64k", "its audio mono"
    bitrate = custom.bitrate or AUDIO_PROFILES["stereo-96k"].bitrate
    name = "stereo-96k" if bitrate <= AUDIO_PROFILES["stereo-96k"].bitrate else "stereo"
    return name, f"its audio stereo at {bitrate // 1000} kbps"


def expected_profile(info: ingress_pb.IngressInfo) -> IngressProfile:
    """The push target and encoder profile this ingress expects; IngressNotPushable for a URL ingress."""
    if info.input_type == RTMP:
        kind: PushKind = "rtmp"
    elif info.input_type == WHIP:
        kind = "whip"
    else:
        raise IngressNotPushable(f"Ingress {info.ingress_id} is a URL ingress: it pulls its media itself.")
    if kind == "whip" and not transcoding_enabled(info):
        return IngressProfile(kind, info.url, info.stream_key, transcoded=False, reason=PASSTHROUGH_REASON)
    video, video_why = _video_profile(info.video if info.HasField("video") else None)
    audio, audio_why = _audio_profile(info.audio if info.HasField("audio") else None)
    how = "WHIP (WebRTC) carries H.264 Baseline and Opus" if kind == "whip" else "RTMP carries H.264 and AAC"
    reason = f"{video_why}, and {audio_why}; {how}, which the ingress re-encodes to its layers"
    return IngressProfile(kind, info.url, info.stream_key, video, audio, transcoded=True, reason=reason)
