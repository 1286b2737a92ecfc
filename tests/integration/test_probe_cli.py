"""`ingress-studio probe` on real generated media, for RTMP and WHIP targets and real sandbox ingresses."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.media_files import make_media
from support.run_program import run_ingress_studio
from support.sandbox_process import SandboxServer
from support.silent_server import silent_server

RTMP = ("--rtmp", "rtmp://127.0.0.1:1935/x")
WHIP = ("--whip", "http://127.0.0.1:8080/w")


def probe(*args: str) -> subprocess.CompletedProcess[str]:
    return run_ingress_studio("probe", *args, timeout=60)


def probe_json(*args: str, expect_ok: bool = True) -> dict[str, Any]:
    result = probe(*args, "--json")
    assert result.returncode == (0 if expect_ok else 1), result.stderr
    assert len(result.stdout.splitlines()) == 1  # one object, one line
    report: dict[str, Any] = json.loads(result.stdout)
    assert report["ok"] is expect_ok and (report["problem"] is None) is expect_ok
    assert "Traceback" not in result.stderr
    return report


def refused(*args: str) -> str:
    """The one sentence a refused probe gives, after checking it is one line and no traceback."""
    result = probe(*args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("ingress-studio probe: ")
    return lines[0].removeprefix("ingress-studio probe: ")


def ffmpeg_file(path: Path, *args: str) -> Path:
    """A file made by the ffmpeg program, for what PyAV's helper does not make (mono, 44.1 kHz)."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(path)], check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("media")
    return {
        "baseline": make_media(folder / "baseline.mp4", 1, profile="baseline"),
        "b_frames": make_media(folder / "b_frames.mp4", 1, bframes=2, profile="high"),
        "big": make_media(folder / "big.mp4", 1, size=(1920, 1080), fps=60),
        "four_three": make_media(folder / "four_three.mp4", 1, size=(640, 480)),
        "video_only": make_media(folder / "video_only.mp4", 1, audio=None),
        "mono": ffmpeg_file(
            folder / "mono.mp4",
            *("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=sample_rate=44100"),
            *("-t", "1", "-ac", "1", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"),
        ),
    }


def test_baseline_and_aac_to_rtmp_is_a_remux(media: dict[str, Path]) -> None:
    report = probe_json(str(media["baseline"]), *RTMP)
    assert report["remux"] is True
    assert report["path"] == (
        "Sending the source as it is, without re-encoding: its H264 (Constrained Baseline) and AAC already fit RTMP."
    )
    (source,) = report["sources"]
    assert source["container"].startswith("mov,mp4") and source["duration"] == pytest.approx(1, abs=0.1)
    assert source["video"] == {
        "codec": "h264", "profile": "Constrained Baseline", "width": 640, "height": 360, "fps": 30.0, "b_frames": False,
    }  # fmt: skip
    assert source["audio"] == {"codec": "aac", "sample_rate": 48000, "channels": 2}
    assert report["profile"]["encoder"] is None
    assert report["steps"][-1].startswith("Sent unchanged: video H264 Constrained Baseline 640x360 at 30 fps")

    text = probe(str(media["baseline"]), *RTMP)
    assert text.returncode == 0 and text.stderr == ""
    assert "Plan:\n  Sending the source as it is, without re-encoding" in text.stdout


def test_b_frames_to_whip_are_transcoded_and_the_reason_says_so(media: dict[str, Path]) -> None:
    report = probe_json(str(media["b_frames"]), *WHIP)
    assert report["remux"] is False and report["sources"][0]["video"]["b_frames"] is True
    assert "WHIP (WebRTC) takes H.264 Baseline without B-frames" in report["path"]
    assert "with B-frames" in report["path"] and "WHIP needs Opus 48 kHz stereo, the source has aac" in report["path"]
    assert (
        report["profile"]["encoder"].startswith("H264 1280x720@30")
        and "OPUS 48 kHz 2 ch" in report["profile"]["encoder"]
    )


def test_1080p60_is_scaled_and_its_frame_rate_changed(media: dict[str, Path]) -> None:
    report = probe_json(str(media["big"]), *RTMP, "--transcode", "--profile", "720p30")
    assert report["path"] == "Transcoding: re-encoding was asked for."
    assert "Picture scaled from 1920x1080 to 1280x720." in report["steps"]
    assert "Frame rate changed from 60 to 30 fps." in report["steps"]
    kept = probe_json(str(media["big"]), *RTMP, "--transcode", "--profile", "1080p30")
    assert "Picture kept at 1920x1080." in kept["steps"]


def test_another_shape_is_fitted_with_black_bars(media: dict[str, Path]) -> None:
    report = probe_json(str(media["four_three"]), *WHIP)
    assert "Picture scaled from 640x480 to fit 1280x720, with black bars to keep its shape." in report["steps"]


def test_mono_44k_audio_is_resampled_and_its_channels_mixed(media: dict[str, Path]) -> None:
    report = probe_json(str(media["mono"]), *WHIP)
    assert report["sources"][0]["audio"] == {"codec": "aac", "sample_rate": 44100, "channels": 1}
    assert "Audio resampled from 44.1 kHz to 48 kHz." in report["steps"]
    assert "Audio channels mixed from mono to stereo." in report["steps"]
    assert "Picture kept at 1280x720." in report["steps"] and "Frame rate kept at 30 fps." in report["steps"]


def test_a_video_only_file_gets_a_silent_track(media: dict[str, Path]) -> None:
    report = probe_json(str(media["video_only"]), *RTMP)
    assert report["path"] == "Transcoding: the source has no audio, so the stream is encoded with a silent audio track."
    assert report["sources"][0]["audio"] is None
    assert "A silent audio track is added: the source has no sound." in report["steps"]


def test_a_playlist_says_what_happens_to_each_file(media: dict[str, Path]) -> None:
    report = probe_json(str(media["baseline"]), str(media["big"]), *RTMP, "--loop")
    assert report["remux"] is False  # a single file would remux: two cannot
    assert (
        report["path"]
        == "Transcoding: the files of a playlist are encoded as one stream, continuous from file to file."
    )
    assert [s["source"] for s in report["sources"]] == [str(media["baseline"]), str(media["big"])]
    assert f"{media['baseline']}: Picture scaled from 640x360 to 1280x720." in report["steps"]
    assert f"{media['big']}: Frame rate changed from 60 to 30 fps." in report["steps"]
    assert report["sources"][1]["steps"][0] == "Picture scaled from 1920x1080 to 1280x720."
    assert report["steps"][-1] == "The playlist starts again after its last file, until stopped."


def test_audio_from_another_source(media: dict[str, Path]) -> None:
    report = probe_json(str(media["video_only"]), "--audio", str(media["mono"]), *RTMP)
    assert report["audio_source"]["source"] == str(media["mono"]) and report["audio_source"]["video"] is None
    assert f"{media['video_only']}: The sound comes from {media['mono']} instead." in report["steps"]
    assert f"{media['mono']}: Audio resampled from 44.1 kHz to 48 kHz." in report["steps"]


def test_the_test_pattern_is_a_live_source() -> None:
    report = probe_json("test:", *WHIP)
    assert report["path"] == "Transcoding: the test pattern is a live source, encoded as its frames arrive."
    assert report["sources"][0]["live"] is True and report["sources"][0]["duration"] is None


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "missing"])
def test_a_broken_file_is_one_sentence(tmp_path: Path, media: dict[str, Path], damage: str) -> None:
    path = tmp_path / f"{damage}.mp4"
    if damage == "truncated":
        path.write_bytes(media["baseline"].read_bytes()[:4000])
    elif damage == "garbage":
        path.write_bytes(bytes(range(256)) * 40)
    elif damage == "empty":
        path.write_bytes(b"")
    sentence = refused(str(path), *RTMP)
    expected = {
        "truncated": f"{path} is not a media file FFmpeg can read (damaged, truncated, or not audio/video).",
        "garbage": f"{path} is not a media file FFmpeg can read (damaged, truncated, or not audio/video).",
        "empty": f"{path} is empty (0 bytes): there is nothing to stream.",
        "missing": f"File not found: {path}.",
    }
    assert sentence == expected[damage]
    report = probe_json(str(path), *RTMP, expect_ok=False)
    assert report["problem"] == expected[damage] and report["steps"] == [] and report["remux"] is None


def test_a_broken_file_later_in_a_playlist_keeps_the_facts_of_the_ones_before(
    tmp_path: Path, media: dict[str, Path]
) -> None:
    report = probe_json(str(media["baseline"]), str(tmp_path / "gone.mp4"), *RTMP, expect_ok=False)
    assert report["problem"] == f"File not found: {tmp_path / 'gone.mp4'}."
    assert [s["source"] for s in report["sources"]] == [str(media["baseline"])]


def test_a_still_picture_in_a_playlist_is_refused(tmp_path: Path, media: dict[str, Path]) -> None:
    picture = ffmpeg_file(tmp_path / "slate.png", "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1")
    assert refused(str(media["baseline"]), str(picture), *RTMP) == (
        f"{picture} is a still picture: push it on its own (it is held until --duration, or until stopped)."
    )
    alone = probe_json(str(picture), *RTMP)
    assert alone["sources"][0]["still"] is True
    assert "The still picture is held on screen as 30 fps video." in alone["steps"]


def test_a_url_that_never_answers_gives_up_in_time() -> None:
    with silent_server() as port:
        began = time.monotonic()
        sentence = refused(f"http://127.0.0.1:{port}/clip.mp4", *RTMP, "--open-timeout", "2")
        assert time.monotonic() - began < 20
    assert sentence == f"http://127.0.0.1:{port}/clip.mp4 did not answer within 2 seconds: check the address."


def test_bad_targets_are_one_sentence(media: dict[str, Path]) -> None:
    assert refused(str(media["baseline"]), "--rtmp", "ftp://x") == (
        "“ftp://x” is not an RTMP URL: it must start with rtmp:// or rtmps://."
    )
    assert refused(str(media["baseline"]), *RTMP, "--bypass-transcoding") == (
        "Only a WHIP ingress can pass media through: --bypass-transcoding goes with --whip."
    )
    missing_target = probe(str(media["baseline"]))
    assert missing_target.returncode == 2 and "one of the arguments --ingress --rtmp --whip is required" in (
        missing_target.stderr
    )


def test_whip_bypass_by_flag_says_why_baseline_and_opus(media: dict[str, Path]) -> None:
    report = probe_json(str(media["baseline"]), *WHIP, "--bypass-transcoding")
    assert report["target"]["passthrough"] is True
    assert (
        "Encoder profile 720p30 with stereo audio: this WHIP ingress passes media through without transcoding, so "
        "viewers get exactly what is sent: WebRTC browsers need H.264 Constrained Baseline and Opus."
    ) in report["steps"]


async def create(sandbox: SandboxServer, request: ingress_pb.CreateIngressRequest) -> ingress_pb.IngressInfo:
    async with IngressClient(sandbox.project()) as client:
        return await client.create(request)


def on_sandbox(sandbox: SandboxServer) -> tuple[str, ...]:
    return ("--sandbox", "--url", sandbox.url)


async def test_an_rtmp_ingress_gives_its_preset_and_url(sandbox: SandboxServer, media: dict[str, Path]) -> None:
    info = await create(
        sandbox,
        ingress_pb.CreateIngressRequest(
            input_type=ingress_pb.RTMP_INPUT, name="cam", room_name="r", participant_identity="p",
            video=ingress_pb.IngressVideoOptions(preset=ingress_pb.H264_540P_25FPS_2_LAYERS),
        ),
    )  # fmt: skip
    report = probe_json(str(media["big"]), "--ingress", info.ingress_id, *on_sandbox(sandbox), "--transcode")
    assert report["target"] == {"kind": "rtmp", "url": info.url, "ingress_id": info.ingress_id, "passthrough": False}
    assert report["profile"]["video"] == "540p25" and report["profile"]["audio"] == "stereo-96k"
    assert any(
        step.startswith("Encoder profile 540p25 with stereo-96k audio: the ingress's video preset is ")
        for step in report["steps"]
    )
    assert "Picture scaled from 1920x1080 to 960x540." in report["steps"]
    assert "Frame rate changed from 60 to 25 fps." in report["steps"]
    assert info.stream_key not in json.dumps(report)  # the probe needs no key and shows none

    remuxed = probe_json(str(media["baseline"]), "--ingress", info.ingress_id, *on_sandbox(sandbox))
    assert remuxed["remux"] is True


async def test_a_whip_bypass_ingress_explains_baseline_and_opus(sandbox: SandboxServer, media: dict[str, Path]) -> None:
    info = await create(
        sandbox,
        ingress_pb.CreateIngressRequest(
            input_type=ingress_pb.WHIP_INPUT, name="w", room_name="r", participant_identity="p2",
            enable_transcoding=False,
        ),
    )  # fmt: skip
    report = probe_json(str(media["b_frames"]), "--ingress", info.ingress_id, *on_sandbox(sandbox))
    assert report["target"]["kind"] == "whip" and report["target"]["passthrough"] is True
    assert report["remux"] is False and "WHIP (WebRTC) takes H.264 Baseline without B-frames" in report["path"]
    assert "this WHIP ingress passes media through without transcoding" in report["steps"][1]
    fits = probe_json("test:", "--ingress", info.ingress_id, *on_sandbox(sandbox))
    assert fits["profile"]["encoder"].startswith("H264 1280x720@30") and "OPUS" in fits["profile"]["encoder"]


async def test_a_url_ingress_an_unknown_one_and_a_disabled_one_are_refused(
    sandbox: SandboxServer, media: dict[str, Path]
) -> None:
    pulled = await create(
        sandbox,
        ingress_pb.CreateIngressRequest(
            input_type=ingress_pb.URL_INPUT, url="https://x.test/a.mp4", room_name="r", participant_identity="p3"
        ),
    )
    source = str(media["baseline"])
    assert refused(source, "--ingress", pulled.ingress_id, *on_sandbox(sandbox)) == (
        f"Ingress {pulled.ingress_id} is a URL ingress: it pulls its media itself."
    )
    assert refused(source, "--ingress", "IN_nothere", *on_sandbox(sandbox)).startswith("Not found:")
    disabled = await create(
        sandbox,
        ingress_pb.CreateIngressRequest(
            input_type=ingress_pb.RTMP_INPUT, room_name="r", participant_identity="p4", enabled=False
        ),
    )
    report = probe_json(source, "--ingress", disabled.ingress_id, *on_sandbox(sandbox), expect_ok=False)
    assert report["problem"] == (
        f"Ingress {disabled.ingress_id} is disabled, so it refuses every stream: enable it first."
    )
    assert report["target"] is None and report["sources"] == []


def test_the_streamers_encoder_settings_are_in_the_plan() -> None:
    report = probe_json("test:", "--rtmp", "rtmp://127.0.0.1:1/x", "--video-bitrate", "800",
                        "--keyframe-interval", "4", "--x264-preset", "ultrafast")  # fmt: skip
    assert report["profile"]["encoder"] == (
        "H264 1280x720@30 800 kbps, AAC 48 kHz 2 ch 128 kbps, keyframe every 4 s, x264 ultrafast"
    )
