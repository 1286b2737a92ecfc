"""The stats panel: figures and their colours at OBS's thresholds, a recorded real push (live, the server gone,
back), the ingress's side, and what fits in a dock of 420 x 260."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from livekit.protocol import ingress as ingress_pb
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ingress_studio.children.engine_events import PushState, PushStats
from ingress_studio.children.engine_protocol import read_engine_line
from ingress_studio.children.watch_events import WatchStats
from ingress_studio.display.stats_figures import Level
from ingress_studio.ui.level_colours import ON_DARK, ON_LIGHT
from ingress_studio.ui.stats_panel import ENGINE_ROWS, INGRESS_ROWS, StatsPanel
from support.push_stats import HEALTHY_PUSH as LIVE

RECORDING = Path(__file__).with_name("recorded_push_stats.jsonl")  # `push test: --stats-json`, nginx stopped at 4 s

PUBLISHING = ingress_pb.IngressInfo(
    ingress_id="IN_abcdefghijkl",
    state=ingress_pb.IngressState(
        status=ingress_pb.IngressState.Status.ENDPOINT_PUBLISHING,
        video=ingress_pb.InputVideoState(
            mime_type="video/H264", width=1280, height=720, framerate=30.0, average_bitrate=1_880_000
        ),
        audio=ingress_pb.InputAudioState(
            mime_type="audio/aac", channels=2, sample_rate=48_000, average_bitrate=128_000
        ),
    ),
)


@pytest.fixture
def panel(qtbot: QtBot) -> StatsPanel:
    shown = StatsPanel()
    qtbot.addWidget(shown)
    shown.resize(420, 260)  # the dock the lead gives it
    shown.show()
    return shown


def value(panel: StatsPanel, name: str) -> QLabel:
    label = panel.findChild(QLabel, f"stats.{name}")
    assert isinstance(label, QLabel), name
    return label


def colour_of(label: QLabel) -> QColor:
    return label.palette().color(QPalette.ColorRole.WindowText)


def plain_text_colour(panel: StatsPanel) -> QColor:
    return panel.palette().color(QPalette.ColorRole.WindowText)


def test_a_healthy_push_in_plain_text_and_live_in_green(panel: StatsPanel) -> None:
    panel.show_stats(LIVE)
    assert (
        value(panel, "engine.status").text() == "LIVE"
        and colour_of(value(panel, "engine.status")) == ON_LIGHT[Level.OK]
    )
    expected = {
        "fps": "30.0 / 30 fps",
        "skipped": "0 / 2000 (0.0 %)",
        "lost": "0 / 2000 (0.0 %)",
        "encode_lag": "7.5 ms of 33.3 ms",
        "cpu": "38.4 %",
        "data_sent": "30.0 MiB",
        "bitrate": "1950 kbps",
        "uptime": "0:02:05",
    }
    assert {name: value(panel, f"engine.{name}").text() for name, _t, _tip in ENGINE_ROWS} == expected
    for name in expected:  # OBS leaves healthy figures uncoloured
        assert colour_of(value(panel, f"engine.{name}")) == plain_text_colour(panel), name
    assert not value(panel, "engine.problem").isVisible()


@pytest.mark.parametrize(
    ("lost", "level"),
    [(20, Level.OK), (21, Level.WARNING), (100, Level.WARNING), (101, Level.DANGER)],  # of 2000: 1 % and 5 %
)
def test_dropped_frames_at_the_thresholds(panel: StatsPanel, lost: int, level: Level) -> None:
    panel.show_stats(replace(LIVE, frames_lost=lost))
    label = value(panel, "engine.lost")
    assert label.text() == f"{lost} / 2000 ({lost / 20:.1f} %)"
    assert panel.level_of(label) is level
    assert colour_of(label) == (plain_text_colour(panel) if level is Level.OK else ON_LIGHT[level])


@pytest.mark.parametrize(("skipped", "level"), [(20, Level.OK), (21, Level.WARNING), (101, Level.DANGER)])
def test_skipped_frames_at_the_thresholds(panel: StatsPanel, skipped: int, level: Level) -> None:
    panel.show_stats(replace(LIVE, frames_skipped=skipped))
    label = value(panel, "engine.skipped")
    assert panel.level_of(label) is level and panel.level_of(value(panel, "engine.lost")) is Level.OK
    assert colour_of(label) == (plain_text_colour(panel) if level is Level.OK else ON_LIGHT[level])
    advice = value(panel, "engine.advice")
    assert advice.isVisibleTo(panel) is (level is Level.DANGER)  # what to do, once it is in danger
    if level is Level.DANGER:
        assert "smaller Encoding" in advice.text() and colour_of(advice) == ON_LIGHT[Level.WARNING]


@pytest.mark.parametrize(
    ("fps", "level"), [(28.5, Level.OK), (28.4, Level.WARNING), (24.0, Level.WARNING), (23.9, Level.DANGER)]
)
def test_fps_at_the_thresholds(panel: StatsPanel, fps: float, level: Level) -> None:
    panel.show_stats(replace(LIVE, fps_out=fps))
    label = value(panel, "engine.fps")
    assert panel.level_of(label) is level
    assert colour_of(label) == (plain_text_colour(panel) if level is Level.OK else ON_LIGHT[level])


def test_a_recorded_push_through_losing_its_server_and_getting_it_back(panel: StatsPanel) -> None:
    events = [read_engine_line(line) for line in RECORDING.read_text().splitlines()]
    assert all(isinstance(event, PushStats) for event in events)
    statuses = []
    for event in events:
        assert isinstance(event, PushStats)
        panel.show_stats(event)
        status = value(panel, "engine.status")
        statuses.append((status.text(), panel.level_of(status)))
        if event.state is PushState.RECONNECTING:
            assert colour_of(status) == ON_LIGHT[Level.DANGER]
            assert value(panel, "engine.problem").isVisible() and value(panel, "engine.problem").text()
    assert statuses[0] == ("LIVE", Level.OK) and statuses[-1] == ("Stopped", Level.NONE)
    assert ("Reconnecting in 2 s (attempt 1 of 25)", Level.DANGER) in statuses
    assert ("Reconnecting in 3 s (attempt 2 of 25)", Level.DANGER) in statuses
    assert ("LIVE", Level.OK) in statuses[statuses.index(("Reconnecting in 3 s (attempt 2 of 25)", Level.DANGER)) :]
    # the frames a live source made while the server was gone were lost to the network: far above 5 %
    assert value(panel, "engine.lost").text() == "156 / 354 (44.1 %)"
    assert panel.level_of(value(panel, "engine.lost")) is Level.DANGER
    assert value(panel, "engine.skipped").text() == "0 / 355 (0.0 %)"  # one frame read never reached the encoder
    assert len(panel.graph.points) == len(events) and panel.graph.scale.top_kbps == 2500


def test_the_reconnect_tries_the_push_was_started_with(panel: StatsPanel) -> None:
    panel.set_reconnect_tries(5)
    panel.show_stats(replace(LIVE, state=PushState.RECONNECTING, reconnect_attempt=2, next_retry_in_s=2.2))
    assert value(panel, "engine.status").text() == "Reconnecting in 3 s (attempt 2 of 5)"


def test_the_ingress_side(panel: StatsPanel) -> None:
    assert {name: value(panel, f"ingress.{name}").text() for name, _t, _tip in INGRESS_ROWS} == dict.fromkeys(
        ("status", "input_size", "fps", "bitrate", "audio", "latency"), "—"
    )
    panel.show_stats(LIVE)
    panel.show_ingress(PUBLISHING)
    assert value(panel, "ingress.status").text() == "Publishing"
    assert colour_of(value(panel, "ingress.status")) == ON_LIGHT[Level.OK]
    assert value(panel, "ingress.input_size").text() == "1280x720 · H264"
    assert value(panel, "ingress.fps").text() == "30.0 / 30 fps"
    assert value(panel, "ingress.bitrate").text() == "2008 kbps"
    assert value(panel, "ingress.audio").text() == "aac · 2 ch · 128 kbps"
    slow = ingress_pb.IngressInfo()
    slow.CopyFrom(PUBLISHING)
    slow.state.video.framerate = 23.0
    panel.show_ingress(slow)
    assert colour_of(value(panel, "ingress.fps")) == ON_LIGHT[Level.DANGER]  # what arrives, against what we send
    failed = ingress_pb.IngressInfo(
        state=ingress_pb.IngressState(status=ingress_pb.IngressState.Status.ENDPOINT_ERROR, error="session is disabled")
    )
    panel.show_ingress(failed)
    assert colour_of(value(panel, "ingress.status")) == ON_LIGHT[Level.DANGER]
    assert (
        value(panel, "ingress.problem").isVisible() and value(panel, "ingress.problem").text() == "session is disabled"
    )
    panel.show_ingress(None)
    assert value(panel, "ingress.status").text() == "—" and not value(panel, "ingress.problem").isVisible()


def test_the_latency_the_room_view_measures_from_clock_stamps(panel: StatsPanel) -> None:
    room = WatchStats(5.0, True, None, None, 0.03, 0.1, 0.5, latency_ms=70, latency_p50_ms=65, latency_p95_ms=98)
    panel.show_room(room)
    assert value(panel, "ingress.latency").text() == "p50 65 ms · p95 98 ms"
    unstamped = replace(room, latency_ms=None, latency_p50_ms=None, latency_p95_ms=None)
    panel.show_room(unstamped)  # pictures arrive, without the clock stamp: the tooltip says how to add it
    assert value(panel, "ingress.latency").text() == "— (picture not stamped)"
    panel.show_room(replace(unstamped, first_frame_s=None))  # joined, no picture yet
    assert value(panel, "ingress.latency").text() == "—"
    panel.show_room(room)
    panel.show_room(None)  # the room view watches nothing now
    assert value(panel, "ingress.latency").text() == "—"


def test_clear_when_no_push_runs(panel: StatsPanel) -> None:
    panel.show_stats(LIVE)
    panel.show_ingress(PUBLISHING)
    panel.clear()
    assert value(panel, "engine.status").text() == "Not live"
    assert all(value(panel, f"engine.{name}").text() == "—" for name, _t, _tip in ENGINE_ROWS)
    assert value(panel, "ingress.status").text() == "Publishing"  # the ingress is still there
    assert panel.graph.points == ()


def test_a_dark_theme_gets_the_lighter_colours(panel: StatsPanel) -> None:
    panel.show_stats(replace(LIVE, frames_lost=30, frames_skipped=200))
    dark = QPalette(panel.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    panel.setPalette(dark)
    assert colour_of(value(panel, "engine.lost")) == ON_DARK[Level.WARNING]
    assert colour_of(value(panel, "engine.skipped")) == ON_DARK[Level.DANGER]
    assert colour_of(value(panel, "engine.status")) == ON_DARK[Level.OK]
    assert colour_of(value(panel, "engine.fps")) == QColor("#e8eaed")  # healthy: the theme's own text colour


def test_long_figures_fit_a_dock_of_420_by_260(panel: StatsPanel) -> None:
    panel.show_stats(
        replace(
            LIVE,
            frames_lost=12_345,
            frames_output=123_456,
            frames_skipped=1_234,
            frames_read=123_456,
            encode_ms_per_frame=123.4,
            bytes_sent=1536 * 1024 * 1024,
            elapsed=36_000.0,
        )
    )
    wide = ingress_pb.IngressInfo()
    wide.CopyFrom(PUBLISHING)
    wide.state.video.width, wide.state.video.height, wide.state.video.framerate = 1920, 1080, 29.97
    wide.state.audio.mime_type = "audio/opus"
    panel.show_ingress(wide)
    assert panel.minimumSizeHint().height() <= 260 and panel.minimumSizeHint().width() <= 420
    for name, _title, _tip in ENGINE_ROWS:
        label = value(panel, f"engine.{name}")
        assert label.sizeHint().width() <= label.width(), (name, label.text(), label.width())
    for name, _title, _tip in INGRESS_ROWS:
        label = value(panel, f"ingress.{name}")
        assert label.sizeHint().width() <= label.width(), (name, label.text(), label.width())
    assert panel.graph.height() >= 40
