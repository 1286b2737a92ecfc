"""Awkward and broken inputs, generated here: each streams correctly or fails with one clear line."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest

from support.media_files import make_media, read_back
from support.nginx_rtmp import NginxRtmp, available, free_port
from support.run_program import push

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")


def assert_clean_failure(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ingress-studio push: ") and message in last, last


def test_missing_and_zero_byte_and_folder(tmp_path: Path) -> None:
    target = ["--rtmp", f"rtmp://127.0.0.1:{free_port()}/x/k"]
    assert_clean_failure(push(str(tmp_path / "nope.mp4"), *target), f"File not found: {tmp_path / 'nope.mp4'}.")
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert_clean_failure(push(str(empty), *target), "is empty (0 bytes): there is nothing to stream.")
    assert_clean_failure(push(str(tmp_path), *target), "is a folder, not a media file.")


def test_not_media_and_truncated_mp4(tmp_path: Path) -> None:
    target = ["--rtmp", f"rtmp://127.0.0.1:{free_port()}/x/k"]
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 100)
    assert_clean_failure(push(str(text), *target), "is not a media file FFmpeg can read")
    whole = make_media(tmp_path / "whole.mp4", 2).read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[: len(whole) // 2])  # mp4 keeps its index at the end: half a file is unreadable
    assert_clean_failure(push(str(cut), *target), "is not a media file FFmpeg can read")


def test_truncated_matroska_streams_what_is_there(nginx: NginxRtmp, tmp_path: Path) -> None:
    whole = make_media(tmp_path / "whole.mkv", 4, container_format="matroska").read_bytes()
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(whole[: len(whole) // 2])
    result = push(str(cut), "--rtmp", f"{nginx.url}/cutmkv")
    assert result.returncode == 0, result.stderr
    [recording] = nginx.recordings("cutmkv")
    span = read_back(recording)["video_span"]
    assert 0.8 < span < 3.5  # type: ignore[operator]


def test_unknown_device_is_named(tmp_path: Path) -> None:
    result = push("camera:/dev/video77", "--rtmp", f"rtmp://127.0.0.1:{free_port()}/x/k")
    assert_clean_failure(result, "Cannot open the camera “/dev/video77”")
    assert "ingress-studio devices" in result.stderr


def test_audio_only_file(nginx: NginxRtmp, tmp_path: Path) -> None:
    source = make_media(tmp_path / "talk.mp3", 3, video=None, audio="libmp3lame", sample_rate=44100)
    result = push(str(source), "--rtmp", f"{nginx.url}/audioonly")
    assert result.returncode == 0, result.stderr
    info = read_back(nginx.recordings("audioonly")[0])
    assert "video_codec" not in info
    assert (info["audio_codec"], info["sample_rate"]) == ("aac", 48000)  # resampled from 44.1 kHz


def test_video_only_file_gets_a_silent_track(nginx: NginxRtmp, tmp_path: Path) -> None:
    source = make_media(tmp_path / "mute.mp4", 3, audio=None)
    result = push(str(source), "--rtmp", f"{nginx.url}/videoonly")
    assert result.returncode == 0, result.stderr
    assert "the source has no audio" in result.stderr
    info = read_back(nginx.recordings("videoonly")[0])
    assert info["audio_codec"] == "aac"
    audio_times = info["audio_times"]
    assert isinstance(audio_times, list) and audio_times[-1] - audio_times[0] == pytest.approx(3, abs=0.3)


def test_odd_size_is_scaled_with_aspect_kept(nginx: NginxRtmp, tmp_path: Path) -> None:
    # 4:2:0 needs even sizes, so the odd-sized source is lossless FFV1 in 4:4:4
    source = make_media(
        tmp_path / "odd.mkv", 2, size=(853, 479), container_format="matroska", video="ffv1", pix_fmt="yuv444p"
    )
    result = push(str(source), "--rtmp", f"{nginx.url}/odd", "--profile", "720p30")
    assert result.returncode == 0, result.stderr
    info = read_back(nginx.recordings("odd")[0])
    assert (info["width"], info["height"]) == (1280, 720)


def test_variable_frame_rate_becomes_constant(nginx: NginxRtmp, tmp_path: Path) -> None:
    source = make_media(tmp_path / "vfr.mkv", 3, container_format="matroska", vfr=True)
    remuxed = push(str(source), "--rtmp", f"{nginx.url}/asis")
    assert remuxed.returncode == 0 and "Sending the source as it is" in remuxed.stderr  # fits RTMP: untouched
    result = push(str(source), "--rtmp", f"{nginx.url}/vfr", "--profile", "540p25", "--transcode")
    assert result.returncode == 0, result.stderr
    info = read_back(nginx.recordings("vfr")[0])
    times = info["video_times"]
    assert isinstance(times, list)
    steps = {round(b - a, 3) for a, b in itertools.pairwise(times)}
    assert steps == {0.04}  # 25 fps exactly, whatever the source's spacing
