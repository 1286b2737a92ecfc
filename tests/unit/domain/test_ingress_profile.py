"""The profile an ingress expects, for every video and audio preset, custom layers, WHIP bypass and URL inputs."""

from __future__ import annotations

import pytest
from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.domain.encoding_presets import AUDIO_PROFILES, VIDEO_PROFILES
from ingress_studio.domain.ingress_profile import (
    PASSTHROUGH_REASON,
    VIDEO_PRESET_PROFILES,
    IngressNotPushable,
    expected_profile,
)

VideoPreset = ingress_pb.IngressVideoEncodingPreset
AudioPreset = ingress_pb.IngressAudioEncodingPreset


def rtmp(**fields: object) -> ingress_pb.IngressInfo:
    return ingress_pb.IngressInfo(
        ingress_id="IN_rtmp", input_type=ingress_pb.RTMP_INPUT, url="rtmp://h:1935/x", stream_key="KEY", **fields
    )


def whip(**fields: object) -> ingress_pb.IngressInfo:
    return ingress_pb.IngressInfo(
        ingress_id="IN_whip", input_type=ingress_pb.WHIP_INPUT, url="http://h:8080/w", stream_key="TOKEN", **fields
    )


def layers(*sizes: tuple[int, int], frame_rate: float = 0) -> ingress_pb.IngressVideoOptions:
    qualities = (models_pb.VideoQuality.LOW, models_pb.VideoQuality.MEDIUM, models_pb.VideoQuality.HIGH)
    return ingress_pb.IngressVideoOptions(
        options=ingress_pb.IngressVideoEncodingOptions(
            frame_rate=frame_rate,
            layers=[
                models_pb.VideoLayer(quality=quality, width=w, height=h, bitrate=1_000_000)
                for quality, (w, h) in zip(qualities, sizes, strict=False)
            ],
        )
    )


EXPECTED_VIDEO = {
    "H264_540P_25FPS_2_LAYERS": (960, 540, 25, False),
    "H264_540P_25FPS_2_LAYERS_HIGH_MOTION": (960, 540, 25, True),
    "H264_720P_30FPS_3_LAYERS": (1280, 720, 30, False),
    "H264_720P_30FPS_1_LAYER": (1280, 720, 30, False),
    "H264_720P_30FPS_3_LAYERS_HIGH_MOTION": (1280, 720, 30, True),
    "H264_720P_30FPS_1_LAYER_HIGH_MOTION": (1280, 720, 30, True),
    "H264_1080P_30FPS_3_LAYERS": (1920, 1080, 30, False),
    "H264_1080P_30FPS_1_LAYER": (1920, 1080, 30, False),
    "H264_1080P_30FPS_3_LAYERS_HIGH_MOTION": (1920, 1080, 30, True),
    "H264_1080P_30FPS_1_LAYER_HIGH_MOTION": (1920, 1080, 30, True),
}


def test_every_video_preset_has_a_profile_of_its_size_and_rate() -> None:
    assert set(EXPECTED_VIDEO) == set(VideoPreset.keys())
    assert set(VIDEO_PRESET_PROFILES.values()) <= set(VIDEO_PROFILES)


@pytest.mark.parametrize("preset", sorted(EXPECTED_VIDEO))
@pytest.mark.parametrize("make", [rtmp, whip], ids=["rtmp", "whip-transcoded"])
def test_a_video_preset_gives_its_size_rate_and_motion(preset: str, make: object) -> None:
    info = make(video=ingress_pb.IngressVideoOptions(preset=VideoPreset.Value(preset)))  # type: ignore[operator]
    if info.input_type == ingress_pb.WHIP_INPUT:
        info.enable_transcoding = True
    profile = expected_profile(info)
    chosen = VIDEO_PROFILES[profile.video_profile]
    width, height, fps, high_motion = EXPECTED_VIDEO[preset]
    assert (chosen.width, chosen.height, chosen.fps) == (width, height, fps)
    assert profile.video_profile.endswith("-high-motion") is high_motion
    assert profile.transcoded and f"the ingress's video preset is {preset}" in profile.reason


def test_no_video_options_is_the_servers_default_preset() -> None:
    profile = expected_profile(rtmp())
    assert (profile.video_profile, profile.audio_profile) == ("720p30", "stereo-96k")
    assert profile.reason.startswith("the ingress uses the default video preset H264_720P_30FPS_3_LAYERS")
    assert "its audio the default OPUS_STEREO_96KBPS" in profile.reason


@pytest.mark.parametrize(
    ("preset", "audio_profile"), [("OPUS_STEREO_96KBPS", "stereo-96k"), ("OPUS_MONO_64KBS", "mono-64k")]
)
def test_every_audio_preset_has_its_profile(preset: str, audio_profile: str) -> None:
    assert {"OPUS_STEREO_96KBPS", "OPUS_MONO_64KBS"} == set(AudioPreset.keys())
    profile = expected_profile(rtmp(audio=ingress_pb.IngressAudioOptions(preset=AudioPreset.Value(preset))))
    assert profile.audio_profile == audio_profile and audio_profile in AUDIO_PROFILES
    assert f"its audio preset {preset}" in profile.reason


@pytest.mark.parametrize(
    ("channels", "bitrate", "audio_profile"),
    [(1, 64_000, "mono-64k"), (2, 96_000, "stereo-96k"), (2, 0, "stereo-96k"), (2, 128_000, "stereo")],
)
def test_custom_audio_options_pick_channels_and_bitrate(channels: int, bitrate: int, audio_profile: str) -> None:
    options = ingress_pb.IngressAudioEncodingOptions(channels=channels, bitrate=bitrate)
    profile = expected_profile(rtmp(audio=ingress_pb.IngressAudioOptions(options=options)))
    assert profile.audio_profile == audio_profile


@pytest.mark.parametrize(
    ("sizes", "video_profile"),
    [
        (((480, 270), (960, 540)), "540p25"),
        (((640, 360), (1280, 720)), "720p30"),
        (((320, 180), (640, 360), (1280, 720)), "720p30"),
        (((1000, 562),), "720p30"),  # above 540p: the next size up, so nothing is upscaled by the ingress
        (((1920, 1080),), "1080p30"),
        (((3840, 2160),), "1080p30"),  # above every profile: the largest
        (((400, 400),), "540p25"),  # square: 540p covers it
    ],
)
def test_custom_layers_pick_the_smallest_profile_covering_the_largest_layer(
    sizes: tuple[tuple[int, int], ...], video_profile: str
) -> None:
    profile = expected_profile(rtmp(video=layers(*sizes)))
    assert profile.video_profile == video_profile
    top = max(sizes, key=lambda size: size[0] * size[1])
    assert f"is {top[0]}x{top[1]}" in profile.reason


def test_custom_layers_at_another_frame_rate_say_so() -> None:
    profile = expected_profile(rtmp(video=layers((1280, 720), frame_rate=15)))
    assert profile.video_profile == "720p30" and "at 15 fps (the ingress changes the rate)" in profile.reason
    same = expected_profile(rtmp(video=layers((1280, 720), frame_rate=30)))
    assert "fps" not in same.reason


def test_custom_options_without_layers_fall_back_to_the_default_size() -> None:
    options = ingress_pb.IngressVideoOptions(options=ingress_pb.IngressVideoEncodingOptions(frame_rate=30))
    profile = expected_profile(rtmp(video=options))
    assert profile.video_profile == "720p30" and "no layer sizes" in profile.reason


def test_rtmp_target_is_url_and_stream_key_and_the_key_stays_out_of_repr() -> None:
    profile = expected_profile(rtmp())
    assert (profile.kind, profile.url, profile.key) == ("rtmp", "rtmp://h:1935/x", "KEY")
    assert "KEY" not in repr(profile)
    assert "RTMP carries H.264 and AAC" in profile.reason


@pytest.mark.parametrize("enable", [None, False])
def test_whip_without_transcoding_needs_baseline_and_opus_and_says_why(enable: bool | None) -> None:
    info = whip() if enable is None else whip(enable_transcoding=enable)
    profile = expected_profile(info)
    assert (profile.kind, profile.url, profile.key, profile.transcoded) == ("whip", "http://h:8080/w", "TOKEN", False)
    assert profile.reason == PASSTHROUGH_REASON
    assert profile.sentence == (
        "Encoder profile 720p30 with stereo audio: this WHIP ingress passes media through without transcoding, "
        "so viewers get exactly what is sent: WebRTC browsers need H.264 Constrained Baseline and Opus."
    )


def test_whip_with_transcoding_follows_its_presets() -> None:
    info = whip(
        enable_transcoding=True, video=ingress_pb.IngressVideoOptions(preset=VideoPreset.H264_1080P_30FPS_1_LAYER)
    )
    profile = expected_profile(info)
    assert profile.transcoded and profile.video_profile == "1080p30"
    assert "WHIP (WebRTC) carries H.264 Baseline and Opus" in profile.reason


def test_a_url_ingress_cannot_be_pushed_to() -> None:
    info = ingress_pb.IngressInfo(ingress_id="IN_url", input_type=ingress_pb.URL_INPUT, url="https://x.test/a.mp4")
    with pytest.raises(IngressNotPushable) as refused:
        expected_profile(info)
    assert refused.value.message == "Ingress IN_url is a URL ingress: it pulls its media itself."
