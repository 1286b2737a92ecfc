"""What the room sees, in the window: the real watcher child joins the real sandbox's room as a hidden viewer of
the selected ingress (published by Debian's ffmpeg CLI over RTMP), shows its picture, sound and figures, leaves
when the view is hidden or the ingress stops, and says in one sentence why it cannot join."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from ingress_studio.children.watch_events import RoomConnection
from ingress_studio.config.project import Project
from ingress_studio.controllers.room_preview import NOT_LIVE
from ingress_studio.ui.main_window import MainWindow
from support.live_state import Status, ffmpeg_publish
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually
from ui.test_go_live import row_of, selected_new_rtmp


def publishing(window: MainWindow, ingress_id: str) -> bool:
    row = row_of(window, ingress_id)
    return row is not None and row.state.status == Status.ENDPOINT_PUBLISHING


def test_the_room_view_shows_what_a_hidden_viewer_receives_and_leaves_when_hidden(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "clip.mp4", 30, size=(640, 360), fps=30)
    view = window.live.room_view
    connections: list[RoomConnection | None] = []
    window.live.room.connection.connect(connections.append)

    async def scenario() -> None:
        info = await selected_new_rtmp(window, fresh_sandbox, "camera")
        assert view.status.text() == NOT_LIVE
        publisher = ffmpeg_publish(clip, f"{info.url}/{info.stream_key}", loop=True)
        try:
            await eventually(lambda: publishing(window, info.ingress_id), 20, "PUBLISHING")
            await eventually(lambda: view.picture.pictures_shown >= 3, 30, "pictures from the room")
            assert view.picture.original is not None
            assert abs(view.picture.original.width() / view.picture.original.height() - 640 / 360) < 0.02
            await eventually(lambda: "video 640x360" in view.received.text(), 10, "the room's figures")
            assert "audio" in view.received.text() and "joined in" in view.timing.text()
            assert "Watching camera in room “studio”" in view.status.text()
            await eventually(lambda: any(reading.peak_db > -60 for reading in view.meter.readings), 10, "sound")
            assert RoomConnection.CONNECTED in connections
            watcher_pid = window.live.watcher.pid
            assert watcher_pid is not None and watcher_pid != QApplication.applicationPid()

            window.live.room_dock.hide()  # nobody looks: the viewer leaves the room
            await eventually(lambda: window.live.room.target is None, 5, "left when hidden")
            assert connections[-1] is None
            window.live.room_dock.show()
            shown_before = view.picture.pictures_shown
            await eventually(lambda: view.picture.pictures_shown > shown_before, 30, "joined again when shown")
        finally:
            publisher.terminate()
            publisher.wait(10)
        await eventually(lambda: view.status.text() == NOT_LIVE, 30, "the view follows the ingress off air")
        assert view.picture.original is None and view.received.text() == ""
        await window.shutdown()
        assert not window.live.watcher.running

    run_on_qt_loop(scenario())


def test_a_join_the_server_refuses_is_one_sentence(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "clip.mp4", 30, size=(320, 180), fps=15)
    # A token for another room: what a key restricted to other rooms would get from the server.
    from ingress_studio.api.viewer_token import viewer_token

    def other_room(project: Project, _room: str) -> str:
        return viewer_token(project.api_key, project.api_secret or "", "another-room")

    window.live.room._mint = other_room

    async def scenario() -> None:
        info = await selected_new_rtmp(window, fresh_sandbox, "slides")
        publisher = ffmpeg_publish(clip, f"{info.url}/{info.stream_key}", loop=True)
        try:
            await eventually(lambda: publishing(window, info.ingress_id), 20, "PUBLISHING")
            view = window.live.room_view
            await eventually(lambda: view.status.text().startswith("Could not watch room “studio”"), 30, "refusal")
            assert view.picture.pictures_shown == 0
            words = view.status.text()
            assert (
                'refused the join: requested room does not exist: no ingress of this sandbox is in room "another-room"'
                in words
            )
            assert "Traceback" not in words and "\n" not in words
        finally:
            publisher.terminate()
            publisher.wait(10)
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_while_pushing_the_room_view_stays_on_the_pushed_ingress_when_another_is_selected(
    window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:
    from ingress_studio.controllers.go_live import LiveState
    from ingress_studio.controllers.source_choice import SourceKind
    from ui.test_go_live import create_rtmp

    panel, view = window.live.panel, window.live.room_view

    async def scenario() -> None:
        other = await create_rtmp(fresh_sandbox, "backup")
        await selected_new_rtmp(window, fresh_sandbox, "pattern")
        panel.source.kind.setCurrentIndex(panel.source.kind.findData(SourceKind.TEST.value))
        assert panel.start() is None
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live")
        await eventually(lambda: view.picture.pictures_shown >= 2, 30, "pictures from the room")
        assert window.select_ingress(other.ingress_id)  # not live: the view stays with what is on air
        shown = view.picture.pictures_shown
        await eventually(lambda: view.picture.pictures_shown > shown + 2, 10, "still the pushed ingress")
        assert "Watching pattern in room “studio”" in view.status.text()
        panel.start_button.click()  # Stop
        await eventually(lambda: view.status.text() == NOT_LIVE, 20, "off air")
        await window.shutdown()

    run_on_qt_loop(scenario())
