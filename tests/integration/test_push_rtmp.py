"""`ingress-studio push` to a real nginx-rtmp, read back from its recordings with PyAV."""

from __future__ import annotations

import itertools
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from support.media_files import make_media, read_back
from support.nginx_rtmp import NginxRtmp, available
from support.run_program import push

pytestmark = pytest.mark.skipif(
    not available(), reason="needs nginx with libnginx-mod-rtmp (packaging/dev.sh installs it)"
)


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[NginxRtmp]:
    server = NginxRtmp(tmp_path / "nginx").start()
    yield server
    server.stop()


def stats_lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def only_recording(nginx: NginxRtmp, key: str) -> Path:
    [recording] = nginx.recordings(key)
    return recording


def test_test_pattern_is_h264_aac_at_the_profile(nginx: NginxRtmp) -> None:
    result = push("test:", "--rtmp", nginx.url, "--stream-key", "pattern", "--duration", "6.5", "--stats-json")
    assert result.returncode == 0, result.stderr
    info = read_back(only_recording(nginx, "pattern"))
    assert (info["video_codec"], info["width"], info["height"]) == ("h264", 1280, 720)
    assert info["fps"] == pytest.approx(30, rel=0.05)
    keyframes = info["keyframes"]
    assert isinstance(keyframes, list) and len(keyframes) >= 3
    gaps = [b - a for a, b in itertools.pairwise(keyframes)]
    assert all(abs(g - 2.0) < 0.05 for g in gaps), gaps  # a keyframe every 2 s, nothing in between
    assert (info["audio_codec"], info["sample_rate"], info["channels"]) == ("aac", 48000, 2)
    assert info["video_span"] == pytest.approx(6.5, abs=0.5)
    lines = stats_lines(result)
    assert lines[-1]["state"] == "stopped"
    assert any(line["state"] == "live" and line["fps_out"] > 25 for line in lines)
    assert "transcode" in str(lines[-1]["path"])


def test_transcoded_file_is_scaled_and_paced(nginx: NginxRtmp, tmp_path: Path) -> None:
    source = make_media(tmp_path / "bframes.mp4", 3, bframes=2, size=(854, 480), fps=25)
    args = ["--rtmp", f"{nginx.url}/file1", "--profile", "540p25", "--transcode", "--stats-json"]
    result = push(str(source), *args)
    assert result.returncode == 0, result.stderr
    assert "ingress-studio push: Transcoding: re-encoding was asked for." in result.stderr
    info = read_back(only_recording(nginx, "file1"))
    assert (info["width"], info["height"]) == (960, 540)
    assert info["fps"] == pytest.approx(25, rel=0.05)
    lines = stats_lines(result)
    assert lines[-1]["speed"] == pytest.approx(1.0, abs=0.35)  # real time, not as fast as possible


def test_remux_when_the_file_already_fits(nginx: NginxRtmp, tmp_path: Path) -> None:
    source = make_media(tmp_path / "fits.mp4", 4, bframes=0, size=(640, 360), gop=60)
    result = push(str(source), "--rtmp", nginx.url, "--stream-key", "remux", "--stats-json")
    assert result.returncode == 0, result.stderr
    assert (
        "ingress-studio push: Sending the source as it is, without re-encoding: "
        "its H264 (Constrained Baseline) and AAC already fit RTMP."
    ) in result.stderr
    info = read_back(only_recording(nginx, "remux"))
    assert (info["video_codec"], info["width"], info["height"]) == ("h264", 640, 360)  # untouched size
    assert info["video_span"] == pytest.approx(4, abs=0.3)
    assert stats_lines(result)[-1]["path"].startswith("remux")  # type: ignore[union-attr]


def test_no_remux_when_asked_to_transcode_or_codecs_do_not_fit(nginx: NginxRtmp, tmp_path: Path) -> None:
    fits = make_media(tmp_path / "fits.mp4", 1, bframes=0)
    forced = push(str(fits), "--rtmp", f"{nginx.url}/forced", "--transcode")
    assert forced.returncode == 0 and "Transcoding: re-encoding was asked for." in forced.stderr
    mp3_audio = make_media(tmp_path / "mp3.mkv", 1, audio="libmp3lame", container_format="matroska")
    other = push(str(mp3_audio), "--rtmp", f"{nginx.url}/mp3")
    assert other.returncode == 0 and "RTMP needs AAC audio, the source has mp3" in other.stderr
    vp9 = make_media(tmp_path / "vp9.webm", 1, video="libvpx-vp9", audio="libopus")
    webm = push(str(vp9), "--rtmp", f"{nginx.url}/vp9")
    assert webm.returncode == 0
    assert "Transcoding: the source's video is VP9, and only H.264 can be sent as it is;" in webm.stderr
    assert read_back(only_recording(nginx, "vp9"))["video_codec"] == "h264"


def test_h264_with_b_frames_goes_to_rtmp_as_it_is(nginx: NginxRtmp, tmp_path: Path) -> None:
    # An RTMP ingress decodes what it receives (the server refuses to bypass transcoding for RTMP), so
    # B-frames are no reason to re-encode; the recording keeps them (pts ahead of dts) and plays whole.
    source = make_media(tmp_path / "bframes.mp4", 3, bframes=2, profile="high")
    result = push(str(source), "--rtmp", f"{nginx.url}/bframes")
    assert result.returncode == 0, result.stderr
    assert (
        "ingress-studio push: Sending the source as it is, without re-encoding: "
        "its H264 (Main) and AAC already fit RTMP."  # x264 ultrafast makes Main of "high" (no 8x8 transform)
    ) in result.stderr
    recording = only_recording(nginx, "bframes")
    info = read_back(recording)
    assert info["video_span"] == pytest.approx(3, abs=0.3) and info["max_video_gap"] < 0.1
    with av.open(str(recording)) as container:
        reordered = sum(
            1 for p in container.demux(video=0) if p.pts is not None and p.dts is not None and p.pts > p.dts
        )
        container.seek(0)
        decoded = sum(1 for _ in container.decode(video=0))
    assert reordered > 10  # B-frames arrived as B-frames
    assert decoded == pytest.approx(90, abs=3)  # and every picture decodes


def test_playlist_and_loop_are_one_continuous_stream(nginx: NginxRtmp, tmp_path: Path) -> None:
    a = make_media(tmp_path / "a.mp4", 2, size=(640, 360))
    b = make_media(tmp_path / "b.mkv", 2, size=(320, 240), fps=24, container_format="matroska")
    playlist = push(str(a), str(b), "--rtmp", f"{nginx.url}/playlist")
    assert playlist.returncode == 0, playlist.stderr
    info = read_back(only_recording(nginx, "playlist"))  # one publish: no reconnect between files
    assert info["video_span"] == pytest.approx(4, abs=0.3)
    assert info["max_video_gap"] < 0.1
    times = info["video_times"]
    assert isinstance(times, list) and times == sorted(times)
    looped = push(str(a), "--loop", "--duration", "5", "--rtmp", f"{nginx.url}/looped")
    assert looped.returncode == 0, looped.stderr
    info = read_back(only_recording(nginx, "looped"))
    assert info["video_span"] == pytest.approx(5, abs=0.3)
    assert info["max_video_gap"] < 0.1


def test_start_and_duration(nginx: NginxRtmp, tmp_path: Path) -> None:
    source = make_media(tmp_path / "long.mp4", 6)
    result = push(str(source), "--start", "3", "--duration", "2", "--transcode", "--rtmp", f"{nginx.url}/cut")
    assert result.returncode == 0, result.stderr
    assert read_back(only_recording(nginx, "cut"))["video_span"] == pytest.approx(2, abs=0.25)


def test_start_cuts_only_the_first_file_of_a_playlist(nginx: NginxRtmp, tmp_path: Path) -> None:
    a = make_media(tmp_path / "a.mp4", 3)
    b = make_media(tmp_path / "b.mp4", 2)
    result = push(str(a), str(b), "--start", "2", "--rtmp", f"{nginx.url}/startlist")
    assert result.returncode == 0, result.stderr
    # 1 s left of the first file, then all 2 s of the second
    assert read_back(only_recording(nginx, "startlist"))["video_span"] == pytest.approx(3, abs=0.3)


def test_two_targets_share_one_encoder(nginx: NginxRtmp) -> None:
    result = push(
        "test:", "--duration", "3", "--stats-json",
        "--rtmp", nginx.url, "--stream-key", "one", "--rtmp", nginx.url, "--stream-key", "two",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    one, two = read_back(only_recording(nginx, "one")), read_back(only_recording(nginx, "two"))
    assert one["video_times"] == two["video_times"]
    last = stats_lines(result)[-1]
    # one encoder: frames encoded once, not once per target
    assert last["frames_encoded"] == pytest.approx(90, abs=8)


def test_refused_connection_is_one_line_and_nonzero(tmp_path: Path) -> None:
    from support.nginx_rtmp import free_port

    port = free_port()
    result = push("test:", "--rtmp", f"rtmp://127.0.0.1:{port}/x", "--stream-key", "k", timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"ingress-studio push: Cannot connect to rtmp://127.0.0.1:{port}/x: connection refused. Is the server running?"
    )
    assert "Traceback" not in result.stderr


def _x264_options_in(recording: Path) -> str:
    """x264 writes the options it ran with into the stream (an SEI message in its first keyframe)."""
    with av.open(str(recording)) as container:
        for packet in container.demux(video=0):
            data = bytes(packet)
            start = data.find(b"x264 - core")
            if start >= 0:
                return data[start : data.index(b"\0", start)].decode("ascii", "replace")
    raise AssertionError("no x264 options in the stream")


def test_keyframe_interval_and_x264_preset_are_the_streamers(nginx: NginxRtmp) -> None:
    args = ["--rtmp", nginx.url, "--stream-key", "tuned", "--duration", "4.5"]
    result = push("test:", *args, "--keyframe-interval", "1", "--x264-preset", "ultrafast")
    assert result.returncode == 0, result.stderr
    recording = only_recording(nginx, "tuned")
    keyframes = read_back(recording)["keyframes"]
    assert isinstance(keyframes, list) and len(keyframes) >= 4
    gaps = [b - a for a, b in itertools.pairwise(keyframes)]
    assert all(abs(g - 1.0) < 0.05 for g in gaps), gaps
    options = _x264_options_in(recording)
    assert "subme=0" in options and "keyint=30" in options, options  # ultrafast's motion search, 1 s at 30 fps


def test_a_keyframe_interval_out_of_range_is_one_sentence(nginx: NginxRtmp) -> None:
    result = push("test:", "--rtmp", nginx.url, "--keyframe-interval", "60", "--duration", "1")
    assert result.returncode == 2
    assert "60 is too large: it must be at most 10" in result.stderr and "Traceback" not in result.stderr
