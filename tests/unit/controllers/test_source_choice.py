"""The source the streamer picked: the engine's names for it, why Start cannot go ahead, and its saved form."""

from __future__ import annotations

from pathlib import Path

from ingress_studio.controllers.push_plan import PushEncoding
from ingress_studio.controllers.source_choice import SourceChoice, SourceKind


def test_each_kind_becomes_the_engines_source_names(tmp_path: Path) -> None:
    assert SourceChoice().sources() == ("test:",)
    assert SourceChoice(SourceKind.SCREEN).sources() == ("screen:",)
    assert SourceChoice(SourceKind.CAMERA, device="/dev/video2").sources() == ("camera:/dev/video2",)
    assert SourceChoice(SourceKind.MIC, device="default").sources() == ("mic:default",)
    assert SourceChoice(SourceKind.URL, url=" https://a/live.m3u8 ").sources() == ("https://a/live.m3u8",)
    paths = [tmp_path / "a.mp4", tmp_path / "b.mp4"]
    assert SourceChoice().with_files(paths).sources() == (str(paths[0]), str(paths[1]))


def test_what_stops_a_start_is_one_sentence(tmp_path: Path) -> None:
    assert SourceChoice(SourceKind.FILES).problem() == "Add a file, or drop one on the window."
    gone = SourceChoice().with_files([tmp_path / "gone.mp4"])
    assert gone.problem() == "“gone.mp4” is no longer there: remove it or add it again."
    assert SourceChoice(SourceKind.URL, url="live").problem() is not None
    echo = SourceChoice(SourceKind.MIC, device="default", audio="mic:default")
    assert echo.problem() == "The audio source is the source itself: choose “The source's own audio”."
    assert SourceChoice(SourceKind.CAMERA, audio="mic:default").problem() is None


def test_the_words_for_a_playlist(tmp_path: Path) -> None:
    three = SourceChoice(loop=True).with_files([tmp_path / "a.mp4", tmp_path / "b.mp4", tmp_path / "c.mp4"])
    assert three.describe() == "a.mp4 and 2 more files, looped"
    assert SourceChoice().with_files([tmp_path / "a.mp4", tmp_path / "b.mp4"]).describe() == "a.mp4 and 1 more file"
    assert SourceChoice(SourceKind.CAMERA, device="/dev/video0").describe() == "Camera (/dev/video0)"


def test_the_saved_choice_comes_back_and_a_damaged_one_is_the_test_pattern(tmp_path: Path) -> None:
    choice = SourceChoice(SourceKind.FILES, files=(str(tmp_path / "a.mp4"),), loop=True, audio="mic:default")
    assert SourceChoice.from_json(choice.to_json()) == choice
    for damaged in ("", "{", '{"kind": "hologram"}', "[]", '{"kind": "files", "files": 3}'):
        assert SourceChoice.from_json(damaged) == SourceChoice()


def test_saved_advanced_encoder_settings_come_back_and_damaged_ones_are_the_defaults() -> None:
    kept = PushEncoding(video_bitrate=800, keyframe_interval=4.0, x264_preset="fast")
    assert PushEncoding.from_advanced_json(kept.advanced_json()) == kept
    for damaged in ("", "[]", '{"video_bitrate": -5, "x264": "placebo"}', '{"keyframe_interval": "4"}'):
        assert PushEncoding.from_advanced_json(damaged) == PushEncoding()
