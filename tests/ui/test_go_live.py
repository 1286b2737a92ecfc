"""Going live from the window: a file dropped on it, Start, the ingress publishing in the table, Stop — with
the real engine child and a real sandbox; and what is not taken from a drop, or a dead engine, explained."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ingress_studio.api.client import IngressClient
from ingress_studio.controllers.go_live import LiveState
from ingress_studio.controllers.source_choice import SourceKind
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.preferences import Preferences
from support.live_state import Status, ffmpeg_publish
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually


def drop_on(window: MainWindow, mime: QMimeData) -> None:
    """A real drag enter then drop, as Qt delivers them from a file manager."""
    target = window.centralWidget()
    where = QPoint(target.width() // 2, target.height() // 2)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(where, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted(), "the window refused the drag at the door"
    drop = QDropEvent(QPointF(where), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)


def file_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def row_of(window: MainWindow, ingress_id: str) -> ingress_pb.IngressInfo | None:
    return window.model.info(ingress_id)


def status_of(window: MainWindow, ingress_id: str) -> int | None:
    row = row_of(window, ingress_id)
    return row.state.status if row is not None else None


async def selected_new_rtmp(window: MainWindow, server: SandboxServer, name: str) -> ingress_pb.IngressInfo:
    """A new RTMP ingress, listed and selected in the window connected to `server`."""
    info = await create_rtmp(server, name)
    window.connect_project(server.project())
    await eventually(lambda: row_of(window, info.ingress_id) is not None, what="the row")
    assert window.select_ingress(info.ingress_id)
    return info


async def create_rtmp(server: SandboxServer, name: str) -> ingress_pb.IngressInfo:
    async with IngressClient(server.project()) as client:
        request = ingress_pb.CreateIngressRequest(input_type=ingress_pb.RTMP_INPUT, name=name, room_name="studio")
        request.participant_identity = name
        return await client.create(request)


def test_a_dropped_file_goes_live_and_stops(
    qtbot: QtBot, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, preferences: Preferences, tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "clip.mp4", 20, size=(640, 360), fps=30)
    window = MainWindow(preferences)
    qtbot.addWidget(window)
    window.show()
    panel = window.live.panel

    async def scenario() -> None:
        info = await selected_new_rtmp(window, fresh_sandbox, "camera")
        assert panel.title.text() == "Go live to “camera” (RTMP)"
        drop_on(window, file_mime(clip))
        choice = panel.source.choice()
        assert (choice.kind, choice.files) == (SourceKind.FILES, (str(clip),))
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live")
        assert panel.start_button.text() == "Stop" and panel.title.text() == "Live to “camera”"

        def publishing() -> bool:
            row = row_of(window, info.ingress_id)
            return row is not None and row.state.status == Status.ENDPOINT_PUBLISHING and row.state.video.width > 0

        await eventually(publishing, 20, "PUBLISHING in the table")
        row = row_of(window, info.ingress_id)
        assert row is not None and (row.state.video.width, row.state.video.height) == (640, 360)  # sent as it is
        assert "without re-encoding" in panel.plan.text()
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        await eventually(lambda: window.live.go_live.state is LiveState.OFF, 20, "stopped")
        await eventually(lambda: status_of(window, info.ingress_id) == Status.ENDPOINT_INACTIVE, 20, "INACTIVE")
        assert panel.start_button.text() == "Start"
        await window.shutdown()
        assert not window.live.engine.running

    run_on_qt_loop(scenario())


def test_what_a_drop_does_not_take_is_explained(window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "Clips"
    folder.mkdir()
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    before = window.live.panel.source.choice()
    drop_on(window, file_mime(folder, notes))
    words = window.statusBar().currentMessage()
    assert "“Clips” is a folder: drop the files inside it instead." in words
    assert "“notes.txt” is not a video, audio or picture file" in words
    assert window.live.panel.status.text() == words
    assert window.live.panel.source.choice() == before  # nothing changed


def test_a_dropped_url_becomes_the_source(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("https://example.com/live/stream.m3u8")
    drop_on(window, mime)
    choice = window.live.panel.source.choice()
    assert (choice.kind, choice.url) == (SourceKind.URL, "https://example.com/live/stream.m3u8")


def test_a_killed_engine_is_told_and_restart_goes_live_again(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:
    panel = window.live.panel

    async def scenario() -> None:
        await selected_new_rtmp(window, fresh_sandbox, "pattern")
        panel.source.kind.setCurrentIndex(panel.source.kind.findData(SourceKind.TEST.value))
        assert panel.start() is None
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live")
        pid = window.live.engine.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        await eventually(lambda: panel.start_button.text() == "Restart", 15, "Restart offered")
        assert panel.status.text().startswith("The engine crashed")
        assert panel.status.text().endswith("Press Restart to go live again.")
        assert window.isVisible()
        assert window.live.stats.status.text() != "LIVE"  # a dead engine's last figures are gone
        panel.start_button.click()
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live again")
        assert window.live.engine.pid not in (None, pid)
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_preflight_shows_the_plan_and_a_file_that_cannot_work_never_connects(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    panel = window.live.panel
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\0\0\0\x18ftypisom" + b"garbage" * 200)
    clip = make_media(tmp_path / "high.mp4", 3, size=(1920, 1080), fps=60)

    async def scenario() -> None:
        await selected_new_rtmp(window, fresh_sandbox, "checked")
        window.live.take_files([clip])
        await eventually(lambda: panel.plan.text().startswith("•"), 30, "the plan")
        plan = panel.plan.text()
        # An RTMP ingress re-encodes what it receives, so a file of H.264 and AAC goes as it is.
        assert "without re-encoding" in plan and "1920x1080 at 60 fps" in plan, plan
        window.live.take_files([broken])
        assert panel.start() is None  # the check of the new file is still running: Start waits for it
        assert panel.status.text() == "Checking the source before going live…"
        await eventually(lambda: "broken.mp4" in panel.status.text(), 30, "the refusal")
        assert window.live.go_live.state is LiveState.OFF
        assert not window.live.engine.running  # nothing connected, no engine started
        assert "Traceback" not in panel.status.text()
        assert not panel.start_button.isEnabled() and "broken.mp4" in panel.start_button.toolTip()
        window.live.take_files([clip])  # fixed: checked again, and Start is offered again
        await eventually(lambda: panel.start_button.isEnabled(), 30, "Start offered again")

    run_on_qt_loop(scenario())


def test_the_devices_a_child_lists_are_offered(window: MainWindow, qtbot: QtBot) -> None:
    """Listed by `ingress-studio devices` in a child, the first time a device source is wanted."""
    picker = window.live.panel.source
    picker.kind.setCurrentIndex(picker.kind.findData(SourceKind.SCREEN.value))
    qtbot.waitUntil(lambda: not window.live.devices.running, timeout=30_000)
    qtbot.waitUntil(lambda: picker.device.count() > 1 or picker.audio.count() > 2, timeout=5_000)
    offered = [picker.device.itemText(index) for index in range(picker.device.count())]
    assert offered[0] == "System default"
    if os.environ.get("DISPLAY"):
        assert len(offered) > 1, offered  # the X display this test runs on is a screen to send
    microphones = [picker.audio.itemText(index) for index in range(picker.audio.count())]
    assert microphones[:2] == ["The source's own audio", "Test tone"]


def test_switching_the_source_while_live_keeps_one_publish(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    panel = window.live.panel
    clip = make_media(tmp_path / "next.mp4", 20, size=(640, 360), fps=30)

    async def scenario() -> None:
        info = await selected_new_rtmp(window, fresh_sandbox, "switching")
        panel.source.kind.setCurrentIndex(panel.source.kind.findData(SourceKind.TEST.value))
        assert panel.start() is None
        await eventually(lambda: status_of(window, info.ingress_id) == Status.ENDPOINT_PUBLISHING, 40, "live")
        first = row_of(window, info.ingress_id)
        assert first is not None and panel.switch_button.isVisible()
        window.live.take_files([clip])
        panel.switch_button.click()
        await eventually(
            lambda: window.live.go_live.plan is not None and window.live.go_live.plan.sources == (str(clip),),
            5,
            "switch sent",
        )
        await eventually(lambda: "next.mp4" in window.live.sending.position_words.text(), 20, "the file playing")
        now = row_of(window, info.ingress_id)
        assert now is not None and now.state.status == Status.ENDPOINT_PUBLISHING
        assert now.state.started_at == first.state.started_at  # the same session: it never reconnected
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_closing_the_window_while_live_asks_first(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:
    panel = window.live.panel

    async def scenario() -> None:
        QApplication.setQuitOnLastWindowClosed(False)  # the test's loop goes on after the window closes
        await selected_new_rtmp(window, fresh_sandbox, "asked")
        panel.source.kind.setCurrentIndex(panel.source.kind.findData(SourceKind.TEST.value))
        assert panel.start() is None
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live")
        assert not window.close()  # refused: a question instead
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        assert box.text() == "You are live to “asked”."
        box.reject()  # Cancel: still live
        await asyncio.sleep(0.2)
        assert window.isVisible() and window.live.go_live.state is LiveState.LIVE
        window.close()
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        next(b for b in box.buttons() if b.text() == "Stop streaming and quit").click()
        await eventually(lambda: not window.isVisible(), 5, "closed")
        await window.shutdown()
        assert not window.live.engine.running

    try:
        run_on_qt_loop(scenario())
    finally:
        QApplication.setQuitOnLastWindowClosed(True)


def test_the_wheel_scrolls_the_form_and_changes_no_setting_in_passing(window: MainWindow) -> None:
    combo = window.live.panel.encoding.audio_profile
    before = combo.currentIndex()
    assert not combo.hasFocus()
    wheel = QWheelEvent(
        QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(combo, wheel)
    assert combo.currentIndex() == before


def test_the_advanced_settings_are_kept_for_the_next_session(qtbot: QtBot, preferences: Preferences) -> None:
    first = MainWindow(preferences)
    qtbot.addWidget(first)
    first.live.panel.encoding.bitrate.setValue(800)
    first.live.panel.encoding.keyframe.setValue(4)
    first.live.panel.encoding.preset.setCurrentText("ultrafast")
    again = MainWindow(preferences)
    qtbot.addWidget(again)
    kept = again.live.panel.encoding.encoding()
    assert (kept.video_bitrate, kept.keyframe_interval, kept.x264_preset) == (800, 4.0, "ultrafast")


def test_also_send_to_a_second_ingress_with_one_encode(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:
    panel = window.live.panel

    async def scenario() -> None:
        second = await create_rtmp(fresh_sandbox, "backup")
        first = await selected_new_rtmp(window, fresh_sandbox, "main")
        await eventually(lambda: len(panel.also_menu.actions()) == 1, 10, "the other ingress offered")
        [action] = panel.also_menu.actions()
        assert action.text() == "backup (RTMP)"
        action.setChecked(True)
        assert panel.also_button.text() == "Also send to (1)"
        panel.source.kind.setCurrentIndex(panel.source.kind.findData(SourceKind.TEST.value))
        assert panel.start() is None
        for info in (first, second):
            await eventually(lambda info=info: status_of(window, info.ingress_id) == Status.ENDPOINT_PUBLISHING, 40)
        assert panel.title.text() == "Live to “main” + “backup”"
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_preflight_runs_while_another_publisher_keeps_the_selected_ingress_refreshing(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    """A live selected ingress is refreshed every 0.5 s; that must neither restart the pre-flight's wait
    for the last edit forever nor rebuild the encoding boxes under the pointer."""
    panel = window.live.panel
    clip = make_media(tmp_path / "obs.mp4", 4, size=(640, 360))

    async def scenario() -> None:
        info = await selected_new_rtmp(window, fresh_sandbox, "from-obs")
        publisher = ffmpeg_publish(clip, f"{info.url}/{info.stream_key}", loop=True)
        try:
            await eventually(lambda: status_of(window, info.ingress_id) == Status.ENDPOINT_PUBLISHING, 20, "live")
            combo = panel.encoding.profile
            window.live.take_files([clip])
            await eventually(lambda: panel.plan.text().startswith("•"), 20, "the plan")
            rebuilt: list[int] = []
            combo.model().modelReset.connect(lambda: rebuilt.append(1))
            combo.model().rowsRemoved.connect(lambda *_: rebuilt.append(1))
            await asyncio.sleep(2)  # four fast refreshes of the live selection
            assert rebuilt == []
        finally:
            publisher.kill()
            publisher.wait()
        await window.shutdown()

    run_on_qt_loop(scenario())
