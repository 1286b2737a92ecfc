"""The watcher's event lines read as typed events: strict types, unknown fields ignored, never an exception."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.children.watch_events import (
    AudioReceived,
    EndReason,
    RoomConnection,
    RoomState,
    VideoReceived,
    WatchedParticipant,
    WatchedTrack,
    WatchEnded,
    WatcherError,
    WatcherHello,
    WatchLevels,
    WatchPreview,
    WatchStats,
)
from ingress_studio.children.watch_protocol import WATCH_PROTOCOL_VERSION, next_watch_lifecycle, read_watch_line


def line(event: str, **fields: Any) -> str:
    return json.dumps({"event": event, **fields})


STATS: dict[str, Any] = {
    "elapsed": 3.02,
    "present": True,
    "video": {"width": 1280, "height": 720, "fps": 29.97, "bitrate": 2_400_000, "frames": 61},
    "audio": {"peak_db": [-12.5, -13], "rms_db": [-18.0, -19.5], "bitrate": 96_000, "sample_rate": 48000,
              "channels": 2},
    "since_last_frame_s": 0.03,
    "join_s": 0.12,
    "first_frame_s": 0.9,
}  # fmt: skip


def test_each_event_of_the_protocol_reads_into_its_dataclass() -> None:
    jpeg = b"\xff\xd8\xff\xe0 a picture"
    assert read_watch_line(line("hello", protocol=1, version="0.9")) == WatcherHello(1, "0.9")
    assert read_watch_line(line("state", state="connecting", message="")) == RoomState(RoomConnection.CONNECTING, "")
    tracks = [
        {"sid": "TR_v", "kind": "video", "mime_type": "video/H264", "width": 1280, "height": 720, "subscribed": True},
        {"sid": "TR_a", "kind": "audio", "mime_type": "audio/opus", "width": 0, "height": 0, "subscribed": False},
    ]
    assert read_watch_line(line("participant", identity="ing", name="Cam", present=True, tracks=tracks)) == (
        WatchedParticipant(
            "ing",
            "Cam",
            True,
            (
                WatchedTrack("TR_v", "video", "video/H264", 1280, 720, True),
                WatchedTrack("TR_a", "audio", "audio/opus", 0, 0, False),
            ),
        )
    )
    preview = read_watch_line(line("preview", width=640, height=360, jpeg=base64.b64encode(jpeg).decode()))
    assert preview == WatchPreview(640, 360, jpeg)
    assert "jpeg" not in repr(preview)  # tens of kilobytes have no place in a log line
    assert read_watch_line(line("levels", peak_db=[-18.1, -90], rms_db=[-21.0, -90.0])) == WatchLevels(
        (-18.1, -90.0), (-21.0, -90.0)
    )
    assert read_watch_line(line("error", message="Already joining.")) == WatcherError("Already joining.")
    assert read_watch_line(line("ended", ok=False, reason="no_ice", message="Only loopback.")) == WatchEnded(
        False, EndReason.NO_ICE, "Only loopback."
    )


def test_a_stats_line_with_video_and_audio() -> None:
    assert read_watch_line(line("stats", **STATS)) == WatchStats(
        elapsed=3.02,
        present=True,
        video=VideoReceived(1280, 720, 29.97, 2_400_000, 61),
        audio=AudioReceived((-12.5, -13.0), (-18.0, -19.5), 96_000, 48000, 2),
        since_last_frame_s=0.03,
        join_s=0.12,
        first_frame_s=0.9,
    )


def test_a_stats_line_while_waiting_for_the_participant() -> None:
    waiting = {"elapsed": 1.0, "present": False, "video": None, "audio": None, "since_last_frame_s": None,
               "join_s": None, "first_frame_s": None}  # fmt: skip
    assert read_watch_line(line("stats", **waiting)) == WatchStats(1.0, False, None, None, None, None, None)


def test_a_bitrate_the_sdk_did_not_give_is_none() -> None:
    stats = STATS | {"video": STATS["video"] | {"bitrate": None}}
    event = read_watch_line(line("stats", **stats))
    assert isinstance(event, WatchStats) and event.video is not None and event.video.bitrate is None


def test_unknown_fields_are_ignored() -> None:
    event = read_watch_line(line("ended", ok=True, reason="stopped", message="", added_in_a_later_minor="x"))
    assert event == WatchEnded(True, EndReason.STOPPED, "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        (line("dance"), "unknown event 'dance'"),
        (line("state", state="dancing", message=""),
         "state: “state” must be one of connecting, connected, reconnecting, disconnected"),
        (line("ended", ok=False, reason="bored", message="m"),
         "ended: “reason” must be one of stopped, refused, no_permission, no_ice, unreachable, disconnected, failed"),
        (line("ended", ok="no", reason="failed", message="m"), "ended: “ok” must be true or false"),
        (line("stats", **(STATS | {"video": "big"})), "stats: “video” must be an object or null"),
        (line("stats", **(STATS | {"video": {"width": 1}})), "stats: “height” is missing (it must be an integer)"),
        (line("participant", identity="i", name="n", present=True, tracks=[{"sid": "s", "kind": "data",
              "subscribed": False}]), "participant: “kind” must be video or audio"),
        (line("preview", width=1, height=1, jpeg="not base64!"), "preview: “jpeg” must be base64"),
        (line("levels", peak_db=[-1, "loud"], rms_db=[]), "levels: “peak_db” must be a list of numbers"),
    ],
)  # fmt: skip
def test_a_line_that_cannot_be_read_is_an_unreadable_event(text: str, reason: str) -> None:
    assert read_watch_line(text) == Unreadable(text, reason)


def test_another_protocol_version_is_an_error_event_of_one_sentence() -> None:
    assert read_watch_line(line("hello", protocol=2, version="2.0")) == WatcherError(
        "The watcher (Ingress Studio 2.0) speaks watch protocol 2 and this window speaks 1: install matching versions."
    )


def test_the_watchers_lifecycle() -> None:
    state = Lifecycle.STARTING
    for event, expected in [
        (WatcherHello(1, "x"), Lifecycle.READY),
        (RoomState(RoomConnection.CONNECTING, ""), Lifecycle.RUNNING),
        (WatcherHello(1, "x"), Lifecycle.RUNNING),  # a hello on request changes nothing
        (RoomState(RoomConnection.CONNECTED, ""), Lifecycle.RUNNING),
        (WatcherError("Already joining."), Lifecycle.RUNNING),
        (WatchEnded(False, EndReason.REFUSED, "The server refused the token."), Lifecycle.READY),
        (RoomState(RoomConnection.DISCONNECTED, ""), Lifecycle.RUNNING),
    ]:
        state = next_watch_lifecycle(state, event)
        assert state is expected


def test_the_client_speaks_the_watchers_version_and_reasons() -> None:
    from ingress_studio.room_watch.ending import Reason
    from ingress_studio.room_watch.serve import PROTOCOL_VERSION

    assert WATCH_PROTOCOL_VERSION == PROTOCOL_VERSION
    assert {r.value for r in EndReason} == {r.value for r in Reason}


def test_a_stats_line_with_a_latency_from_clock_stamps() -> None:
    stamped = STATS | {"latency_ms": 120, "latency_p50_ms": 110, "latency_p95_ms": 180}
    event = read_watch_line(line("stats", **stamped))
    assert isinstance(event, WatchStats)
    assert (event.latency_ms, event.latency_p50_ms, event.latency_p95_ms) == (120, 110, 180)
    unstamped = read_watch_line(line("stats", **STATS))  # a watcher of before the stamp: no such fields
    assert isinstance(unstamped, WatchStats) and unstamped.latency_ms is None
