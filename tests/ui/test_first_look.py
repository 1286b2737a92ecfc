"""The window as a streamer first sees it, at 1280x800 and 1024x640: what fits, what each thing says."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from livekit.protocol import ingress as ingress_pb
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from ingress_studio.api.client import IngressClient
from ingress_studio.ui.ingress_table_model import COLUMNS, INGRESS_ID_COLUMN, STATUS_COLUMN
from ingress_studio.ui.main_window import MainWindow
from support.live_state import ffmpeg_publish
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually

Status = ingress_pb.IngressState.Status
COLUMN = {title: number for number, (title, _getter) in enumerate(COLUMNS)}


def request(name: str, kind: int = ingress_pb.RTMP_INPUT, room: str = "studio") -> ingress_pb.CreateIngressRequest:
    created = ingress_pb.CreateIngressRequest(input_type=kind, name=name, room_name=room)  # type: ignore[arg-type]
    created.participant_identity = name
    return created


def cell(window: MainWindow, ingress_id: str, title: str) -> str:
    row = window.model.row_of(ingress_id)
    assert row is not None
    return str(window.model.index(row, COLUMN[title]).data() or "")


def table_fits(window: MainWindow) -> bool:
    header = window.table.horizontalHeader()
    return header.length() <= window.table.viewport().width() and not window.table.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("size", [(1280, 800), (1024, 640)])
def test_the_table_and_the_details_fit_without_sideways_scrolling(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, size: tuple[int, int]
) -> None:
    window.resize(*size)

    async def scenario() -> None:
        async with IngressClient(fresh_sandbox.project()) as client:
            info = await client.create(request("A camera with a rather long name for the table", room="green-room"))
        window.connect_project(fresh_sandbox.project())
        await eventually(lambda: window.select_ingress(info.ingress_id), what="row")
        await asyncio.sleep(0.2)  # the splitter's first layout
        assert table_fits(window), (window.table.horizontalHeader().length(), window.table.viewport().width())
        header = window.table.horizontalHeader()
        shown = [title for number, (title, _g) in enumerate(COLUMNS) if not header.isSectionHidden(number)]
        assert shown == ["Name", "Type", "Room", "Participant", "Status", "Input video", "Input audio"]
        assert header.isSectionHidden(INGRESS_ID_COLUMN)  # in the details, and still found by the filter
        name_column = window.model.index(window.model.row_of(info.ingress_id) or 0, 0)
        assert name_column.data(0x03) == info.name  # the tooltip holds the whole (elided) name
        details = window.details
        assert details.widget().minimumSizeHint().width() <= details.viewport().width()
        assert not details.horizontalScrollBar().isVisible()
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_what_each_ingress_says_on_first_look(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "clip.mp4", 2.0, size=(640, 360), fps=30)
    window.resize(1280, 800)

    async def scenario() -> None:
        async with IngressClient(fresh_sandbox.project()) as client:
            camera = await client.create(request("camera"))
            disabled_request = request("backup")
            disabled_request.enabled = False
            backup = await client.create(disabled_request)
            guest = await client.create(request("guest", kind=ingress_pb.WHIP_INPUT))
            pulled = request("intro", kind=ingress_pb.URL_INPUT)
            pulled.url = "http://127.0.0.1:9/intro.mp4"
            intro = await client.create(pulled)
        window.connect_project(fresh_sandbox.project())
        await eventually(lambda: window.model.rowCount() == 4, what="four rows")
        details = window.details

        # A disabled ingress says so, in the table and in the details.
        assert cell(window, backup.ingress_id, "Status") == "Disabled"
        window.select_ingress(backup.ingress_id)
        assert details.status_badge.text().strip() == "Disabled"

        # A URL ingress shows where it pulls from under "Source", not under encoder settings.
        window.select_ingress(intro.ingress_id)
        assert details.encoder_box.title() == "Source" and details.server_label.text() == "Pulled from"

        # WHIP's secret is a bearer token, in the delete question and the copy action.
        window.select_ingress(guest.ingress_id)
        assert window.copy_key_action.text() == "Copy bearer token"
        box = window.delete_selected()
        assert isinstance(box, QMessageBox)
        assert "bearer token" in box.informativeText() and "stream key" not in box.informativeText()
        box.reject()

        # Copy buttons say they copied.
        window.select_ingress(camera.ingress_id)
        assert window.copy_key_action.text() == "Copy stream key"
        details.server_value.copy_button.click()
        assert QGuiApplication.clipboard().text() == camera.url
        assert details.server_value.copy_button.text() == "Copied ✓"
        await eventually(lambda: details.server_value.copy_button.text() == "Copy", what="the button back")

        # Typing in the filter keeps the selection while the row still matches.
        window.search.setText("cam")
        selected = window.selected_info()
        assert selected is not None and selected.ingress_id == camera.ingress_id
        window.search.clear()

        # Live: the row shows the input; tracks read "Video: H264 640x360"; once over, the row is blank and
        # the details say the numbers are the last session's.
        publisher = ffmpeg_publish(clip, f"{camera.url}/{camera.stream_key}")
        try:
            await eventually(lambda: "640x360" in cell(window, camera.ingress_id, "Input video"), what="live input")
            assert cell(window, camera.ingress_id, "Input audio").startswith("aac · 2 ch")
            await eventually(lambda: "Video: H264 640x360" in details.state_values["Tracks"].text(), what="tracks")
            assert "video video/" not in details.state_values["Tracks"].text()
            assert details.state_box.title() == "Live state"
            assert publisher.wait(timeout=30) == 0
        finally:
            publisher.kill()
        await eventually(lambda: cell(window, camera.ingress_id, "Status") == "Inactive", what="session over")
        assert cell(window, camera.ingress_id, "Input video") == "" == cell(window, camera.ingress_id, "Input audio")
        assert details.state_box.title() == "Last session"
        assert "640x360" in details.state_values["Input video"].text()
        assert window.model.index(window.model.row_of(camera.ingress_id) or 0, STATUS_COLUMN).data() == "Inactive"
        await window.shutdown()

    run_on_qt_loop(scenario())
