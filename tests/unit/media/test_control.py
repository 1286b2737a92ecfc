"""The engine's `start` command read into push options: the streamer's encoder settings and their refusals."""

from __future__ import annotations

from typing import Any

import pytest

from ingress_studio.media.control import CommandError, options_from_command
from ingress_studio.media.profiles import EncoderTuning, TargetKind, settings_for

START: dict[str, Any] = {"cmd": "start", "sources": ["test:"], "targets": [{"kind": "rtmp", "url": "rtmp://h/a"}]}


def test_tuning_defaults_to_each_kinds_keyframe_interval_and_veryfast() -> None:
    options = options_from_command(START)
    assert options.tuning == EncoderTuning(None, "veryfast")
    rtmp = settings_for(TargetKind.RTMP, options.video_profile, options.audio_profile, tuning=options.tuning)
    whip = settings_for(TargetKind.WHIP, options.video_profile, options.audio_profile, tuning=options.tuning)
    assert (rtmp.keyframe_interval_s, whip.keyframe_interval_s) == (2.0, 1.0)


def test_the_streamers_keyframe_interval_and_preset_reach_the_encoder_settings() -> None:
    options = options_from_command(START | {"keyframe_interval": 3, "x264_preset": "faster"})
    settings = settings_for(TargetKind.WHIP, options.video_profile, options.audio_profile, tuning=options.tuning)
    assert (settings.keyframe_interval_s, settings.x264_preset, settings.gop_frames) == (3.0, "faster", 90)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("keyframe_interval", 0.1, "from 0.5 to 10 seconds"),
        ("keyframe_interval", "2", "from 0.5 to 10 seconds"),
        ("keyframe_interval", True, "from 0.5 to 10 seconds"),
        ("x264_preset", "placebo", "Unknown x264 preset “placebo”"),
    ],
)
def test_settings_that_cannot_work_are_one_sentence(field: str, value: object, words: str) -> None:
    with pytest.raises(CommandError, match=words):
        options_from_command(START | {field: value})
