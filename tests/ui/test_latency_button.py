"""Go live ▸ Test latency, in the window: pressed against a real sandbox ingress, the real engine child pushes the
stamped test pattern, the real watcher child reads the stamps in the room, the sandbox reads them on arrival,
and the line under Start reports both, then the push is over. And what cannot be tested is one sentence."""

from __future__ import annotations

import logging
import re

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ingress_studio.controllers.go_live import LiveState
from ingress_studio.controllers.latency_test import LatencyPhase
from ingress_studio.ui.main_window import MainWindow
from support.live_state import Status
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually
from ui.test_go_live import row_of, selected_new_rtmp

RESULT = re.compile(
    r"Latency to the room: p50 (\d+) ms, p95 (\d+) ms · sandbox received: p50 (\d+) ms, p95 (\d+) ms \(“camera”\)\."
)


def test_test_latency_pushes_a_stamped_pattern_and_reports_the_room_and_the_sandbox(
    window: MainWindow,
    qtbot: QtBot,
    run_on_qt_loop: Scenario,
    fresh_sandbox: SandboxServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    controls, latency = window.live.latency_controls, window.live.latency
    window.live.room_dock.hide()  # the test brings the room view back: its viewer joins only while on screen
    seen: list[str] = []
    latency.progress.connect(seen.append)

    async def scenario() -> None:
        info = await selected_new_rtmp(window, fresh_sandbox, "camera")
        assert controls.button.text() == "Test latency" and not controls.report.isVisible()
        with caplog.at_level(logging.INFO, logger="ingress_studio.controllers.latency_test"):
            qtbot.mouseClick(controls.button, Qt.MouseButton.LeftButton)
            assert window.live.room_dock.isVisible()
            assert controls.button.text() == "Cancel test"
            assert controls.report.text() == "Starting a stamped test pattern to “camera”…"
            await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "the pattern on air")
            assert window.live.go_live.plan is not None and window.live.go_live.plan.stamp_clock
            assert window.live.panel.title.text() == "Testing the latency to “camera” with a stamped test pattern"
            await eventually(lambda: controls.report.text().startswith("Measuring…"), 40, "a stamp in the room")
            row = row_of(window, info.ingress_id)
            assert row is not None and row.state.status == Status.ENDPOINT_PUBLISHING
            await eventually(lambda: RESULT.fullmatch(controls.report.text()) is not None, 30, "the figures")
        figures = RESULT.fullmatch(controls.report.text())
        assert figures is not None
        room_p50, room_p95, sandbox_p50, sandbox_p95 = map(int, figures.groups())
        assert 0 < room_p50 <= room_p95 < 5000 and 0 < sandbox_p50 <= sandbox_p95 < 5000
        assert any(re.fullmatch(r"Measuring… \d+ s left", line) for line in seen)
        assert any("latency test of “camera”: Latency to the room: p50" in line for line in caplog.messages)
        await eventually(lambda: window.live.go_live.state is LiveState.OFF, 20, "the push stopped")
        assert latency.phase is LatencyPhase.IDLE and controls.button.text() == "Test latency"
        assert window.live.panel.status.text() == "Stopped."  # by the test: not "the source ended"
        assert window.live.panel.title.text() == "Go live to “camera” (RTMP)"
        assert RESULT.fullmatch(controls.report.text()) is not None  # the figures stay said
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_while_live_the_button_says_why_it_cannot_test(
    window: MainWindow, qtbot: QtBot, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:
    controls, panel = window.live.latency_controls, window.live.panel

    async def scenario() -> None:
        await selected_new_rtmp(window, fresh_sandbox, "pattern")
        assert panel.start() is None
        await eventually(lambda: window.live.go_live.state.pushing, 20, "a push")
        qtbot.mouseClick(controls.button, Qt.MouseButton.LeftButton)
        assert controls.report.text() == "Something is live already: stop it before testing the latency."
        assert window.live.latency.phase is LatencyPhase.IDLE
        panel.stop()
        await eventually(lambda: window.live.go_live.state is LiveState.OFF, 20, "stopped")
        await window.shutdown()

    run_on_qt_loop(scenario())
