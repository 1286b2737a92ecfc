"""`watch`'s line a second, from the stats event (the same words as the window's room view)."""

from __future__ import annotations

import json
from typing import Any

from ingress_studio.children.watch_events import WatchStats
from ingress_studio.children.watch_protocol import read_watch_line
from ingress_studio.commands.watch_line import watch_line

STATS: dict[str, Any] = {
    "event": "stats", "elapsed": 3.0, "present": True, "join_s": 0.2, "first_frame_s": 0.9,
    "video": {"width": 1280, "height": 720, "fps": 30.0, "bitrate": 2_400_000, "frames": 90},
    "audio": {"peak_db": [-18.0, -19.2], "rms_db": [-24.0, -25.0], "bitrate": 96_000, "sample_rate": 48000,
              "channels": 2},
    "since_last_frame_s": 0.03,
}  # fmt: skip


def line_of(event: dict[str, Any], name: str = "c") -> str:
    stats = read_watch_line(json.dumps(event))
    assert isinstance(stats, WatchStats)
    return watch_line(stats, name)


def test_the_line_of_a_live_ingress() -> None:
    assert line_of(STATS) == "video 1280x720 30.0 fps 2400 kbps · audio peak -18.0 dB · last frame 0.03 s ago"


def test_the_latency_from_clock_stamps() -> None:
    stamped = STATS | {"latency_ms": 120, "latency_p50_ms": 110, "latency_p95_ms": 180}
    assert line_of(stamped) == (
        "video 1280x720 30.0 fps 2400 kbps · audio peak -18.0 dB · last frame 0.03 s ago · latency 120 ms (p95 180)"
    )


def test_waiting_for_the_participant() -> None:
    assert line_of(STATS | {"present": False, "video": None, "audio": None}, "Camera") == "waiting for Camera…"


def test_audio_only_an_unknown_bitrate_silence_and_a_stall() -> None:
    assert line_of(STATS | {"video": None, "since_last_frame_s": None}) == "no video · audio peak -18.0 dB"
    low = STATS | {"video": STATS["video"] | {"bitrate": 640_000}, "audio": None}
    assert line_of(low) == "video 1280x720 30.0 fps 640 kbps · no audio · last frame 0.03 s ago"
    unknown = STATS | {"video": STATS["video"] | {"bitrate": None}, "since_last_frame_s": None}
    assert line_of(unknown) == "video 1280x720 30.0 fps · audio peak -18.0 dB · no picture yet"
    silent = STATS | {"audio": STATS["audio"] | {"peak_db": [-90.0, -90.0]}, "since_last_frame_s": 4.2}
    assert line_of(silent) == "video 1280x720 30.0 fps 2400 kbps · audio peak silent · no picture for 4 s"


def test_the_news_between_the_stats_lines() -> None:
    from ingress_studio.children.watch_events import RoomConnection, RoomState, WatchedParticipant, WatchedTrack
    from ingress_studio.commands.watch_line import WatchNews

    news = WatchNews("Camera")
    video = WatchedTrack("TR_v", "video", "video/H264", 640, 360, True)
    audio = WatchedTrack("TR_a", "audio", "audio/opus", 0, 0, True)
    assert news.line(RoomState(RoomConnection.CONNECTED, "")) == "in the room as a hidden viewer"
    assert news.line(WatchedParticipant("cam", "Camera", True, (video,))) == "Camera is in the room: video"
    assert news.line(WatchedParticipant("cam", "Camera", True, (video, audio))) is None  # still there
    assert news.line(WatchedParticipant("cam", "Camera", False, ())) == "Camera is not in the room"
    assert news.line(RoomState(RoomConnection.RECONNECTING, "")) == "the connection to the room dropped: reconnecting…"
