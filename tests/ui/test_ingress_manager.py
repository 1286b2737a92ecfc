"""The main window managing ingresses on a real sandbox: details, filters, enable/disable, delete,
import/export, drop, live highlight, refresh paused while minimised, preferences kept."""

from __future__ import annotations

import asyncio
import json
import subprocess
from dataclasses import replace
from pathlib import Path

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ingress_studio.api.client import IngressClient
from ingress_studio.controllers.meter_scale import FLOOR_DB
from ingress_studio.display.encoder_settings import MASK
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.preferences import Preferences
from support.live_state import ffmpeg_publish
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually

Status = ingress_pb.IngressState.Status


def request(name: str, room: str = "studio", kind: int = ingress_pb.RTMP_INPUT) -> ingress_pb.CreateIngressRequest:
    created = ingress_pb.CreateIngressRequest(input_type=kind, name=name, room_name=room)  # type: ignore[arg-type]
    created.participant_identity = name
    return created


def visible_names(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return sorted(str(proxy.index(row, 0).data()) for row in range(proxy.rowCount()))


async def create_and_select(window: MainWindow, server: SandboxServer, name: str) -> ingress_pb.IngressInfo:
    """Create an RTMP ingress, show its project in the window and select it."""
    async with IngressClient(server.project()) as client:
        info = await client.create(request(name))
    window.connect_project(server.project())
    await eventually(lambda: window.select_ingress(info.ingress_id), what="row")
    return info


def publish_loop(clip: Path, info: ingress_pb.IngressInfo) -> subprocess.Popen[str]:
    return ffmpeg_publish(clip, f"{info.url}/{info.stream_key}", loop=True)


def shown_info(window: MainWindow, name: str) -> ingress_pb.IngressInfo:
    for row in range(window.model.rowCount()):
        info = window.model.info(window.model.view_at(row).ingress_id)
        if info is not None and info.name == name:
            return info
    raise AssertionError(f"no row named {name}")


def answer(box: QMessageBox | None, button_text: str) -> None:
    assert box is not None
    [button] = [b for b in box.buttons() if b.text() == button_text]
    button.click()


def test_details_filters_toggle_delete(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(fresh_sandbox.project()) as client:
            camera = await client.create(request("camera", room="studio"))
            await client.create(request("screen", room="studio"))
            await client.create(request("guest", room="green-room", kind=ingress_pb.WHIP_INPUT))
        window.connect_project(fresh_sandbox.project())
        await eventually(lambda: len(visible_names(window)) == 3, what="three rows")

        # Filters: by room, then by text.
        window.room_filter.setCurrentText("studio")
        assert visible_names(window) == ["camera", "screen"]
        window.search.setText("CAM")
        assert visible_names(window) == ["camera"]
        window.search.clear()
        window.room_filter.setCurrentText("All rooms")
        assert len(visible_names(window)) == 3

        # Details: the key is masked until revealed, and copied whole.
        assert window.select_ingress(camera.ingress_id)
        details = window.details
        assert details.server_value.value == camera.url and details.key_label.text() == "Stream Key"
        assert details.key_value.text.text() == MASK
        assert camera.stream_key not in details.example.toPlainText()
        details.key_value.reveal_button.click()
        assert details.key_value.text.text() == camera.stream_key
        assert camera.stream_key in details.example.toPlainText()
        window.copy_key_action.trigger()
        assert QGuiApplication.clipboard().text() == camera.stream_key
        window.copy_url_action.trigger()
        assert QGuiApplication.clipboard().text() == camera.url
        window.select_ingress(shown_info(window, "screen").ingress_id)
        assert details.key_value.text.text() == MASK  # a revealed key never carries over to another ingress
        window.select_ingress(camera.ingress_id)
        assert details.state_values["Status"].text() == "Inactive"

        # Disable, then enable: the row and the details follow, the selection stays.
        assert window.toggle_action.text() == "Disable"
        await window.toggle_enabled_selected()  # type: ignore[misc]
        await eventually(lambda: window.toggle_action.text() == "Enable", what="disabled")
        assert window.selected_info() is not None and window.selected_info().ingress_id == camera.ingress_id  # type: ignore[union-attr]
        assert details.setting_values["Enabled"].text() == "No (publishers are refused)"
        await window.toggle_enabled_selected()  # type: ignore[misc]
        await eventually(lambda: window.toggle_action.text() == "Disable", what="enabled again")

        # The Delete key in the search box edits the text; it deletes nothing.
        window.search.setText("cam")  # keeps the selected row visible
        window.search.setFocus()
        window.search.setCursorPosition(0)
        QTest.keyClick(window.search, Qt.Key.Key_Delete)
        assert window.search.text() == "am" and window.findChild(QMessageBox) is None
        window.search.clear()
        window.table.setFocus()

        # Delete asks first; Cancel keeps it, Delete removes it on the server.
        answer(window.delete_selected(), "Cancel")
        await asyncio.sleep(0.3)
        assert "camera" in visible_names(window)
        answer(window.delete_selected(), "Delete")
        await eventually(lambda: "camera" not in visible_names(window), what="deleted")
        async with IngressClient(fresh_sandbox.project()) as client:
            assert camera.ingress_id not in {info.ingress_id for info in await client.list()}
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_import_export_and_drop(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    content = {
        "input_type": "WHIP_INPUT",
        "name": "imported",
        "room_name": "studio",
        "participant_identity": "imp",
        "enable_transcoding": True,
        "video": {"preset": "H264_1080P_30FPS_3_LAYERS"},
    }
    spec = tmp_path / "ingress.json"
    spec.write_text(json.dumps(content))
    broken = tmp_path / "broken.json"
    broken.write_text('{"input_type": "RTMP_INPUT", "room_name": "x", "widht": 3}')

    async def scenario() -> None:
        window.connect_project(fresh_sandbox.project())
        await eventually(lambda: "0 ingresses" in window.connection_label.text(), what="connected")
        await window.import_file(spec)  # type: ignore[misc]
        await eventually(lambda: visible_names(window) == ["imported"], what="imported row")
        info = window.selected_info()
        assert info is not None and info.name == "imported" and info.enable_transcoding
        assert info.video.preset == ingress_pb.H264_1080P_30FPS_3_LAYERS

        exported = tmp_path / "out.json"
        assert window.export_to(exported)
        assert json.loads(exported.read_text()) == content  # the same ingress.json comes back out

        # A file with an unknown field is refused in one sentence; nothing is created.
        assert window.import_file(broken) is None
        box = window.findChild(QMessageBox)
        assert box is not None and "widht" in box.text() and "broken.json" in box.text()
        box.close()

        # Dropping the exported file on the window creates a second one like it.
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(exported))])
        no_button, no_modifier = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
        drop = QDropEvent(QPointF(QPoint(50, 50)), Qt.DropAction.CopyAction, mime, no_button, no_modifier)
        window.dropEvent(drop)
        await eventually(lambda: visible_names(window) == ["imported", "imported"], what="dropped")
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_a_live_ingress_is_highlighted_and_shows_its_input(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "clip.mp4", 3.0, size=(640, 360), fps=30)

    async def scenario() -> None:
        info = await create_and_select(window, fresh_sandbox, "live-cam")
        publisher = publish_loop(clip, info)
        try:
            await eventually(lambda: window.model.highlighted(info.ingress_id), what="status change highlighted")
            await eventually(
                lambda: (
                    window.details.state_values["Status"].text() == "Publishing"
                    and "640x360" in window.details.state_values["Input video"].text()
                ),
                what="publishing with its input",
            )
            assert "H264" in window.details.state_values["Input video"].text()
            assert "1 live" in window.connection_label.text()
            # Disabling a live ingress ends its stream: it asks first, and Cancel changes nothing.
            box = window.toggle_enabled_selected()
            assert isinstance(box, QMessageBox) and "is live" in box.text()
            answer(box, "Cancel")
            await asyncio.sleep(0.5)
            assert window.details.state_values["Status"].text() == "Publishing"
            await eventually(lambda: not window.model.highlighted(info.ingress_id), what="highlight fades")
        finally:
            publisher.kill()
            publisher.wait()
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_refresh_pauses_while_minimised_and_preferences_are_kept(
    qtbot: QtBot, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, preferences: Preferences
) -> None:
    window = MainWindow(preferences)
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        window.set_refresh_interval(1.0)
        window.connect_project(fresh_sandbox.project())
        await eventually(lambda: "0 ingresses" in window.connection_label.text(), what="connected")
        window.hide()  # what minimising does for the poller: nobody looks
        await asyncio.sleep(0.2)
        async with IngressClient(fresh_sandbox.project()) as client:
            await client.create(request("while-hidden"))
        await asyncio.sleep(2.5)
        assert visible_names(window) == []  # nothing fetched while hidden
        window.show()
        await eventually(lambda: visible_names(window) == ["while-hidden"], what="refreshed on show")
        window.resize(720, 520)
        window.save_layout()  # what closing the window does (closing it here would end the test's loop)
        await window.shutdown()

    run_on_qt_loop(scenario())
    assert preferences.refresh_s == 1.0 and preferences.project_name == fresh_sandbox.project().name
    again = MainWindow(preferences)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (720, 520)  # geometry restored


def test_create_edit_and_duplicate_from_the_window(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        window.connect_project(fresh_sandbox.project())
        await eventually(lambda: "0 ingresses" in window.connection_label.text(), what="connected")
        kinds = ((ingress_pb.URL_INPUT, "pulled"), (ingress_pb.WHIP_INPUT, "guest"), (ingress_pb.RTMP_INPUT, "cam"))
        for kind, name in kinds:
            dialog = window.new_ingress(kind)
            assert dialog is not None and dialog.input_type() == kind
            dialog.name_edit.setText(name)
            dialog.room_edit.setText("studio")
            dialog.identity_edit.setText(name)
            if kind == ingress_pb.URL_INPUT:
                dialog.url_edit.setText("http://127.0.0.1:9/nothing-here.mp4")
            dialog.save_button.click()
            await eventually(lambda name=name: name in visible_names(window), what=f"{name} in the table")
            selected = window.selected_info()
            assert selected is not None and selected.name == name  # the new one is selected
        # The URL ingress started pulling at once and failed: its error is shown prominently.
        pulled = shown_info(window, "pulled")
        window.select_ingress(pulled.ingress_id)
        await eventually(lambda: window.details.error_label.isVisible(), what="error shown")
        assert "Cannot open" in window.details.error_label.text()
        assert not window.edit_action.isEnabled()  # a URL ingress cannot be changed

        cam = shown_info(window, "cam")
        window.select_ingress(cam.ingress_id)
        dialog = window.edit_selected()
        assert dialog is not None and not dialog.type_combo.isEnabled()
        dialog.name_edit.setText("main cam")
        dialog.save_button.click()
        await eventually(lambda: "main cam" in visible_names(window), what="renamed in place")
        assert window.selected_info() is not None and window.selected_info().ingress_id == cam.ingress_id  # type: ignore[union-attr]

        dialog = window.duplicate_selected()
        assert dialog is not None and dialog.name_edit.text() == "main cam (copy)"
        dialog.save_button.click()
        await eventually(lambda: "main cam (copy)" in visible_names(window), what="duplicate")
        async with IngressClient(fresh_sandbox.project()) as client:
            names = sorted(info.name for info in await client.list())
        assert names == ["guest", "main cam", "main cam (copy)", "pulled"]
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_what_the_sandbox_receives_is_shown_next_to_the_state(
    window: MainWindow, run_on_qt_loop: Scenario, sandbox: SandboxServer, tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "clip.mp4", 3.0, size=(640, 360), fps=30)

    async def scenario() -> None:
        info = await create_and_select(window, sandbox, "previewed")
        preview = window.details.preview
        assert not preview.isVisible()  # not live: nothing to show
        publisher = publish_loop(clip, info)
        try:
            await eventually(lambda: preview.pictures_shown >= 5, what="pictures from the sandbox")
            pixmap = preview.picture.pixmap()
            assert (pixmap.width(), pixmap.height()) == (360, 203)  # 640x360 fitted to the panel
            assert preview.meter.readings[0].peak_db > FLOOR_DB  # the clip's tone moves the meter
        finally:
            publisher.kill()
            publisher.wait()
        await eventually(lambda: not preview.isVisible(), what="hidden when the stream ends")
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_switching_projects_starts_clean(
    window: MainWindow, run_on_qt_loop: Scenario, sandbox: SandboxServer, fresh_sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project()) as client:
            await client.create(request("in-a", room="only-in-a"))
        async with IngressClient(fresh_sandbox.project()) as client:
            await client.create(request("in-b", room="elsewhere"))
        window.connect_project(sandbox.project())
        await eventually(lambda: "in-a" in visible_names(window), what="project A")
        window.room_filter.setCurrentText("only-in-a")
        other = fresh_sandbox.project()
        window.connect_project(replace(other, name="Other sandbox"))
        await eventually(lambda: visible_names(window) == ["in-b"], what="project B, unfiltered")
        assert window.room_filter.currentText() == "All rooms"
        await window.shutdown()

    run_on_qt_loop(scenario())
