"""`watch`'s line a second, from the stats event."""

from __future__ import annotations

from typing import Any

from ingress_studio.commands.watch_line import watch_line

STATS: dict[str, Any] = {
    "present": True,
    "video": {"width": 1280, "height": 720, "fps": 30.0, "bitrate": 2_400_000, "frames": 90},
    "audio": {"peak_db": [-18.0, -19.2], "rms_db": [-24.0, -25.0], "bitrate": 96_000, "sample_rate": 48000,
              "channels": 2},
    "since_last_frame_s": 0.03,
}  # fmt: skip


def test_the_line_of_a_live_ingress() -> None:
    assert watch_line(STATS, "Camera") == "video 1280x720 30.0 fps 2.4 Mb/s · audio -18.0 dB · last frame 0.03 s ago"


def test_waiting_for_the_participant() -> None:
    assert watch_line({"present": False}, "Camera") == "waiting for Camera…"


def test_audio_only_and_an_unknown_bitrate() -> None:
    assert watch_line(STATS | {"video": None, "since_last_frame_s": None}, "c") == "no video · audio -18.0 dB"
    low = STATS | {"video": STATS["video"] | {"bitrate": 640_000}, "audio": None}
    assert watch_line(low, "c") == "video 1280x720 30.0 fps 640 kb/s · no audio · last frame 0.03 s ago"
    unknown = STATS | {"video": STATS["video"] | {"bitrate": None}, "since_last_frame_s": None}
    assert watch_line(unknown, "c") == "video 1280x720 30.0 fps ? Mb/s · audio -18.0 dB · no picture yet"
