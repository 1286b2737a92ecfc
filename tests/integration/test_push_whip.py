"""`ingress-studio push` over WHIP to a real WebRTC peer (aiortc), which decodes what arrives."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.media_files import make_media
from support.run_program import push
from support.whip_peer import WhipPeer


@pytest.fixture
def peer() -> Iterator[WhipPeer]:
    server = WhipPeer().start()
    yield server
    server.stop()


def settle(peer: WhipPeer) -> None:
    deadline = time.monotonic() + 5
    while peer.received.deletes == 0 and time.monotonic() < deadline:
        time.sleep(0.05)


def test_frames_arrive_and_decode(peer: WhipPeer) -> None:
    result = push("test:", "--whip", peer.url, "--token", peer.token, "--duration", "4")
    assert result.returncode == 0, result.stderr
    settle(peer)
    got = peer.received
    assert got.errors == []
    assert got.video_frames >= 100  # ~4 s at 30 fps, decoded by the peer
    assert got.video_size == (1280, 720)
    assert got.audio_frames >= 150 and (got.audio_rate, got.audio_channels) == (48000, 2)
    assert got.deletes == 1  # the session was ended with DELETE on its Location


def test_a_codec_the_muxer_cannot_carry_is_one_clear_line(peer: WhipPeer) -> None:
    result = push("test:", "--whip", peer.url, "--token", peer.token, "--whip-codec", "vp8")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "ingress-studio push: WHIP (this FFmpeg's whip muxer) cannot carry VP8 video; choose another codec."
    )


def test_wrong_token_is_a_clear_401(peer: WhipPeer) -> None:
    result = push("test:", "--whip", peer.url, "--token", "not-the-token")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    # the peer's own words ("invalid token", its response body), which FFmpeg alone never reads
    expected = f"{peer.url} refused the stream: invalid token (401 Unauthorized). Check the key or token."
    assert last == f"ingress-studio push: {expected}"
    assert "not-the-token" not in result.stderr
    assert peer.received.unauthorized >= 1 and peer.received.sessions == 0


def test_sigterm_sends_delete(peer: WhipPeer) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ingress_studio", "push", "test:", "--whip", peer.url, "--token", peer.token],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while peer.received.video_frames < 30 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert peer.received.video_frames >= 30
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    settle(peer)
    assert peer.received.deletes == 1


def test_b_frames_are_why_a_file_is_transcoded_for_whip(peer: WhipPeer, tmp_path: Path) -> None:
    source = make_media(tmp_path / "bframes.mp4", 2, bframes=2, profile="high")
    result = push(str(source), "--whip", peer.url, "--token", peer.token)
    assert result.returncode == 0, result.stderr
    assert (
        "ingress-studio push: Transcoding: WHIP (WebRTC) takes H.264 Baseline without B-frames, "
        "and the source's H.264 is Main with B-frames; WHIP needs Opus 48 kHz stereo, the source has aac 48000 Hz."
    ) in result.stderr
    settle(peer)
    assert peer.received.video_frames >= 40
