"""Capture sources: the device list, and a screen (x11grab on Xvfb) with audio from another source."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import nginx_rtmp, xvfb
from support.media_files import make_media, read_back
from support.nginx_rtmp import NginxRtmp
from support.run_program import run_ingress_studio as run
from support.xvfb import Xvfb

pytestmark = pytest.mark.skipif(not xvfb.available(), reason="needs Xvfb (packaging/dev.sh installs it)")


@pytest.fixture(scope="module")
def screen() -> Iterator[Xvfb]:
    server = Xvfb(960, 540).start()
    yield server
    server.stop()


def test_devices_lists_the_screen_and_the_test_pattern(screen: Xvfb) -> None:
    result = run("devices", "--json", env=screen.env())
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    sources = {entry["source"]: entry for entry in entries}
    assert sources[f"screen:{screen.display}"]["name"].endswith("(960x540)")
    assert "test:" in sources and "mic:default" in sources
    text = run("devices", env=screen.env())
    assert f"screen:{screen.display}" in text.stdout and "Screens:" in text.stdout


def test_no_display_means_no_screen() -> None:
    entries = json.loads(run("devices", "--json", env={"DISPLAY": ""}).stdout)
    assert not [e for e in entries if e["kind"] == "screen"]


@pytest.mark.skipif(not nginx_rtmp.available(), reason="needs nginx with libnginx-mod-rtmp")
def test_screen_with_audio_from_another_source(screen: Xvfb, tmp_path: Path) -> None:
    nginx = NginxRtmp(tmp_path / "nginx").start()
    try:
        voice = make_media(tmp_path / "voice.wav", 6, video=None, audio="pcm_s16le", sample_rate=44100)
        result = run(
            "push", "screen:", "--audio", str(voice), "--duration", "4", "--profile", "540p25",
            "--rtmp", nginx.url, "--stream-key", "desk", env=screen.env(),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Transcoding: the screen is a live source, encoded as its frames arrive." in result.stderr
        info = read_back(nginx.recordings("desk")[0])
        assert (info["video_codec"], info["width"], info["height"]) == ("h264", 960, 540)
        assert info["fps"] == pytest.approx(25, rel=0.05)
        assert (info["audio_codec"], info["sample_rate"]) == ("aac", 48000)
        audio_times = info["audio_times"]
        assert isinstance(audio_times, list) and audio_times[-1] > 3
    finally:
        nginx.stop()
