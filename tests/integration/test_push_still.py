"""A still picture is streamed as a held picture (a "be right back" slate, as OBS's image source does it);
a source that gives nothing is one sentence and a non-zero exit, never a spinning loop."""

from __future__ import annotations

import fractions
import os
import shutil
import subprocess
from pathlib import Path

import av
import pytest

from support.media_files import read_back
from support.nginx_rtmp import NginxRtmp, available
from support.run_program import run_ingress_studio

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")


def write_picture(path: Path, codec: str, pix_fmt: str) -> Path:
    """One 640x360 test picture as an image file (PNG or JPEG)."""
    with av.open("testsrc2=size=640x360:rate=1", format="lavfi") as source:
        frame = next(source.decode(video=0)).reformat(format=pix_fmt)
    with av.open(str(path), "w", format="image2") as out:
        stream = out.add_stream(codec, rate=1)
        stream.width, stream.height, stream.pix_fmt = 640, 360, pix_fmt
        frame.pts = 0
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return path


def write_undecodable(path: Path) -> Path:
    """A Matroska file whose one H.264 track holds random bytes: it opens, and no picture comes out."""
    with av.open(str(path), "w", format="matroska") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        out.start_encoding()
        for index in range(30):
            packet = av.Packet(os.urandom(500))
            packet.stream, packet.time_base = stream, fractions.Fraction(1, 30)
            packet.pts = packet.dts = index
            out.mux(packet)
    return path


def push(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_ingress_studio("push", *args, env={"XDG_STATE_HOME": str(state)}, timeout=60)


def logged_lines(state: Path) -> int:
    return sum(len(path.read_text().splitlines()) for path in state.rglob("*.log*") if path.is_file())


@pytest.mark.parametrize("picture", ["slate.png", "slate.jpg", "png-renamed.mp4"])
def test_a_still_is_held_for_the_duration(nginx: NginxRtmp, tmp_path: Path, picture: str) -> None:
    if picture.endswith(".jpg"):
        source = write_picture(tmp_path / picture, "mjpeg", "yuvj420p")
    else:
        source = write_picture(tmp_path / "slate.png", "png", "rgb24")
        if picture != "slate.png":
            source = Path(shutil.copy(source, tmp_path / picture))
    key = picture.replace(".", "-")
    result = push(tmp_path / "state", str(source), "--loop", "--duration", "3", "--rtmp", f"{nginx.url}/{key}")
    assert result.returncode == 0, result.stderr
    assert f"Transcoding: {source} is a still picture, held on screen as a video stream." in result.stderr
    info = read_back(nginx.recordings(key)[0])
    assert (info["video_codec"], info["width"], info["height"]) == ("h264", 1280, 720)  # the profile's size
    assert info["fps"] == pytest.approx(30, rel=0.05)  # the profile's rate, repeated
    assert info["video_span"] == pytest.approx(3, abs=0.3)  # --duration honoured, with or without --loop
    assert info["audio_codec"] == "aac"  # with a silent track
    assert logged_lines(tmp_path / "state") < 30  # opened once, not a thousand times a second


def test_a_still_in_a_playlist_is_refused_once(tmp_path: Path) -> None:
    slate = write_picture(tmp_path / "slate.png", "png", "rgb24")
    result = push(tmp_path / "state", str(slate), str(slate), "--rtmp", "rtmp://127.0.0.1:9/x/k")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"ingress-studio push: {slate} is a still picture: push it on its own "
        "(it is held until --duration, or until stopped)."
    ]


@pytest.mark.parametrize("loop", [False, True])
def test_a_source_that_gives_nothing_never_exits_0_nor_spins(nginx: NginxRtmp, tmp_path: Path, loop: bool) -> None:
    source = write_undecodable(tmp_path / "garbage.mkv")
    flags = ["--loop"] if loop else []
    result = push(tmp_path / "state", str(source), *flags, "--rtmp", f"{nginx.url}/garbage")
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"ingress-studio push: {source} gave no picture or sound to send."
    assert logged_lines(tmp_path / "state") < 30
