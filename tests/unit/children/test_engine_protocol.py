"""The engine's event lines read as typed events: strict types, unknown fields ignored, never an exception."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from ingress_studio.children.engine_events import (
    EngineError,
    EngineHello,
    Levels,
    Preview,
    PushEnded,
    PushPath,
    PushStarted,
    PushState,
    PushStats,
    SourceSwitched,
    TargetStats,
)
from ingress_studio.children.engine_protocol import ENGINE_PROTOCOL_VERSION, next_engine_lifecycle, read_engine_line
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.media.control import PROTOCOL_VERSION
from ingress_studio.media.stats import JobStats, SinkStats, SourcePlace
from ingress_studio.media.stats import PushState as EnginePushState


def line(event: str, **fields: Any) -> str:
    return json.dumps({"event": event, **fields})


def test_the_client_speaks_the_engines_version() -> None:
    assert ENGINE_PROTOCOL_VERSION == PROTOCOL_VERSION
    assert {s.value for s in PushState} == {s.value for s in EnginePushState}


def test_each_event_of_the_protocol_reads_into_its_dataclass() -> None:
    jpeg = b"\xff\xd8\xff\xe0 a picture"
    assert read_engine_line(line("hello", protocol=1, version="0.9")) == EngineHello(1, "0.9")
    assert read_engine_line(line("started", sources=["test:"], targets=["rtmp://h/x"])) == PushStarted(
        ("test:",), ("rtmp://h/x",)
    )
    assert read_engine_line(line("path", remux=False, reason="Transcoding: a test source.")) == PushPath(
        False, "Transcoding: a test source."
    )
    preview = read_engine_line(line("preview", t=1.5, width=640, height=360, jpeg=base64.b64encode(jpeg).decode()))
    assert preview == Preview(1.5, 640, 360, jpeg)
    assert "jpeg" not in repr(preview)  # tens of kilobytes have no place in a log line
    assert read_engine_line(line("levels", peak_db=[-18.1, -90], rms_db=[-21.0, -90.0])) == Levels(
        (-18.1, -90.0), (-21.0, -90.0)
    )
    assert read_engine_line(line("source", sources=["/clips/a.mp4"])) == SourceSwitched(("/clips/a.mp4",))
    assert read_engine_line(line("error", message="File not found: a.mp4.")) == EngineError("File not found: a.mp4.")
    assert read_engine_line(line("ended", ok=True, message="finished")) == PushEnded(True, "finished")


def test_a_stats_line_as_the_engine_writes_it() -> None:
    stats = JobStats(path="transcode")
    stats.sinks.append(SinkStats("rtmp://127.0.0.1/x", state=EnginePushState.LIVE, bytes_sent=1000))
    stats.sinks.append(SinkStats("whip", state=EnginePushState.RECONNECTING, reconnect_attempt=2, next_retry_s=3.0))
    event = read_engine_line(json.dumps({"event": "stats", **stats.snapshot()}))
    assert isinstance(event, PushStats)
    assert event.state is PushState.LIVE and event.path == "transcode" and event.bytes_sent == 1000
    assert event.reconnect_attempt == 2 and event.next_retry_s == 3.0 and event.next_retry_in_s is None
    assert event.targets == (
        TargetStats("rtmp://127.0.0.1/x", PushState.LIVE, 1000, 0, 0, ""),
        TargetStats("whip", PushState.RECONNECTING, 0, 0, 2, ""),
    )


def test_the_stats_panels_figures_as_the_engine_writes_them() -> None:
    stats = JobStats(frames_in=250, frames_skipped=3, target_fps=25.0, path="transcode")
    stats.sinks.append(SinkStats("rtmp://h/x", state=EnginePushState.LIVE, video_frames=247, packets_dropped=5))
    with stats.lock:
        stats.note_place(SourcePlace.of(1, ["/a.mp4", "/b.mp4"], [4.0, 6.0], 4.0, 0.0, None), 5.5)
    event = read_engine_line(json.dumps({"event": "stats", **stats.snapshot()}))
    assert isinstance(event, PushStats)
    assert (event.frames_skipped, event.frames_read, event.frames_lost, event.frames_output) == (3, 250, 5, 247)
    assert event.frames_dropped == 8 and event.targets[0].frames == 247 and event.targets[0].dropped == 5
    assert event.cpu_percent is not None and event.cpu_percent >= 0 and event.target_fps == 25.0
    assert (event.source_index, event.source_count, event.source_name) == (1, 2, "/b.mp4")
    assert (event.source_position, event.source_duration, event.playlist_remaining) == (1.5, 6.0, 4.5)


def test_a_stats_line_of_an_engine_before_the_panels_figures_still_reads() -> None:
    older = {
        "state": "live", "time": 3.0, "elapsed": 3.2, "fps_in": 30, "fps_out": 30, "bitrate": 2_000_000,
        "frames_encoded": 90, "frames_dropped": 0, "encode_ms_per_frame": 4.2, "speed": 1.0, "bytes_sent": 750_000,
        "reconnect_attempt": 0, "next_retry_s": None, "next_retry_in_s": None, "path": "transcode",
        "targets": [{"name": "t", "state": "live", "bytes_sent": 750_000, "dropped": 0, "reconnect_attempt": 0,
                     "error": ""}],
    }  # fmt: skip
    event = read_engine_line(json.dumps({"event": "stats", **older}))
    assert isinstance(event, PushStats) and event.bytes_sent == 750_000
    assert (event.frames_skipped, event.frames_read, event.frames_lost, event.frames_output) == (0, 0, 0, 0)
    assert event.cpu_percent is None and event.target_fps is None and event.targets[0].frames == 0
    assert (event.source_index, event.source_count, event.source_name) == (0, 0, "")
    assert event.source_position is None and event.source_duration is None and event.playlist_remaining is None


def test_a_panel_figure_of_the_wrong_type_is_unreadable() -> None:
    snapshot = JobStats().snapshot() | {"frames_lost": "many"}
    event = read_engine_line(json.dumps({"event": "stats", **snapshot}))
    assert isinstance(event, Unreadable) and event.reason == "stats: “frames_lost” must be an integer"


def test_unknown_fields_are_ignored() -> None:
    assert read_engine_line(line("ended", ok=False, message="m", added_in_a_later_minor="x")) == PushEnded(False, "m")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        (line("dance"), "unknown event 'dance'"),
        (json.dumps({"message": "no event"}), "unknown event None"),
        (line("ended", ok="yes", message="m"), "ended: “ok” must be true or false"),
        (line("ended", ok=True), "ended: “message” is missing (it must be a string)"),
        (line("hello", protocol=True, version="1"), "hello: “protocol” must be an integer"),
        (line("hello", protocol=1.0, version="1"), "hello: “protocol” must be an integer"),
        (line("levels", peak_db=[-1, "loud"], rms_db=[]), "levels: “peak_db” must be a list of numbers"),
        (line("started", sources="test:", targets=[]), "started: “sources” must be a list of strings"),
        (line("preview", t=0, width=1, height=1, jpeg="not base64!"), "preview: “jpeg” must be base64"),
    ],
)
def test_a_line_that_cannot_be_read_is_an_unreadable_event(text: str, reason: str) -> None:
    event = read_engine_line(text)
    assert event == Unreadable(text, reason)


def test_a_stats_line_with_an_unknown_state_is_unreadable() -> None:
    snapshot = JobStats().snapshot() | {"state": "dancing"}
    event = read_engine_line(json.dumps({"event": "stats", **snapshot}))
    assert isinstance(event, Unreadable)
    assert event.reason == "stats: “state” must be one of connecting, live, reconnecting, stopped"


def test_an_unreadable_preview_line_is_shortened_for_the_log() -> None:
    text = line("preview", t="late", width=640, height=360, jpeg="A" * 100_000)
    event = read_engine_line(text)
    assert isinstance(event, Unreadable) and len(event.line) < 400 and event.line.endswith("characters)")


def test_another_protocol_version_is_an_error_event_of_one_sentence() -> None:
    event = read_engine_line(line("hello", protocol=2, version="2.0"))
    assert event == EngineError(
        "The engine (Ingress Studio 2.0) speaks control protocol 2 and this window speaks 1: install matching versions."
    )


def test_the_engines_lifecycle() -> None:
    state = Lifecycle.STARTING
    for event, expected in [
        (EngineHello(1, "x"), Lifecycle.READY),
        (PushStarted(("test:",), ("t",)), Lifecycle.RUNNING),
        (EngineHello(1, "x"), Lifecycle.RUNNING),  # a hello on request changes nothing
        (EngineError("refused"), Lifecycle.RUNNING),
        (PushEnded(True, "finished"), Lifecycle.READY),
    ]:
        state = next_engine_lifecycle(state, event)
        assert state is expected
