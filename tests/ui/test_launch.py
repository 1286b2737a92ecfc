"""The window's command line carried out in the window: `--project Environment --ingress ID --start-streaming
FILE` goes live to a sandbox reached through LIVEKIT_*; an unknown project, ingress or file is a sentence in
the window and nothing starts."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ingress_studio.controllers.go_live import LiveState
from ingress_studio.controllers.launch_request import LaunchRequest
from ingress_studio.controllers.source_choice import SourceKind
from ingress_studio.ui.launch_binding import apply_launch
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.preferences import Preferences
from ingress_studio.ui.project_picker import ProjectPicker
from support.live_state import Status
from support.media_files import make_media
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually
from ui.test_go_live import create_rtmp, status_of


def environment_of(server: SandboxServer) -> dict[str, str]:
    return {"LIVEKIT_URL": server.url, "LIVEKIT_API_KEY": server.api_key, "LIVEKIT_API_SECRET": server.api_secret}


def window_with_picker(
    qtbot: QtBot, preferences: Preferences, environ: dict[str, str], tmp_path: Path
) -> tuple[MainWindow, ProjectPicker]:
    window = MainWindow(preferences)
    qtbot.addWidget(window)
    picker = ProjectPicker(environ=environ, lk_config=tmp_path / "no-lk.yaml")
    window.set_project_picker(picker)
    picker.project_chosen.connect(window.connect_project)
    window.show()
    return window, picker


def test_start_streaming_a_file_to_an_ingress_of_the_environments_project(
    qtbot: QtBot, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, preferences: Preferences, tmp_path: Path
) -> None:
    clip = make_media(tmp_path / "opening.mp4", 20, size=(854, 480), fps=25)
    window, picker = window_with_picker(qtbot, preferences, environment_of(fresh_sandbox), tmp_path)

    async def scenario() -> None:
        info = await create_rtmp(fresh_sandbox, "stage")
        request = LaunchRequest((clip,), "Environment", info.ingress_id, start_streaming=True)
        assert apply_launch(window, picker, request, with_sandbox=False)
        choice = window.live.panel.source.choice()
        assert (choice.kind, choice.files) == (SourceKind.FILES, (str(clip),))
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live")
        selected = window.selected_info()
        assert selected is not None and selected.ingress_id == info.ingress_id
        await eventually(lambda: status_of(window, info.ingress_id) == Status.ENDPOINT_PUBLISHING, 20, "publishing")
        row = window.model.info(info.ingress_id)
        assert row is not None and (row.state.video.width, row.state.video.height) == (854, 480)
        await window.shutdown()
        assert not window.live.engine.running

    run_on_qt_loop(scenario())


def test_an_unknown_project_is_a_sentence_and_nothing_starts(
    qtbot: QtBot, preferences: Preferences, tmp_path: Path
) -> None:
    window, picker = window_with_picker(qtbot, preferences, {}, tmp_path)
    request = LaunchRequest((), "Staging", "IN_x", start_streaming=True)
    assert not apply_launch(window, picker, request, with_sandbox=False)
    assert window.live.panel.status.text() == (
        "There is no project “Staging”: the projects are Sandbox. Nothing was started."
    )
    assert window.live.go_live.state is LiveState.OFF and not window.live.engine.running


def test_a_bad_file_is_a_sentence_and_nothing_starts(qtbot: QtBot, preferences: Preferences, tmp_path: Path) -> None:
    window, picker = window_with_picker(qtbot, preferences, {}, tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("not media")
    assert not apply_launch(window, picker, LaunchRequest((notes,), None, "IN_x", True), with_sandbox=False)
    assert window.live.panel.status.text() == (
        "“notes.txt” is not a video, audio or picture file Ingress Studio streams, nor an ingress .json. "
        "Nothing was started."
    )
    assert window.live.panel.source.choice().kind is not SourceKind.FILES


def test_an_unknown_ingress_is_a_sentence_once_the_list_arrives(
    qtbot: QtBot, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, preferences: Preferences, tmp_path: Path
) -> None:
    window, picker = window_with_picker(qtbot, preferences, environment_of(fresh_sandbox), tmp_path)

    async def scenario() -> None:
        assert apply_launch(window, picker, LaunchRequest((), "Environment", "IN_nope", True), with_sandbox=False)
        await eventually(lambda: "IN_nope" in window.live.panel.status.text(), 20, "the sentence")
        assert window.live.panel.status.text() == "Environment has no ingress IN_nope. Nothing was started."
        assert window.live.go_live.state is LiveState.OFF and window.isVisible()
        await window.shutdown()

    run_on_qt_loop(scenario())


def test_start_streaming_needs_an_ingress(qtbot: QtBot, preferences: Preferences, tmp_path: Path) -> None:
    window, picker = window_with_picker(qtbot, preferences, {}, tmp_path)
    apply_launch(window, picker, LaunchRequest((), None, None, True), with_sandbox=False)
    assert window.live.panel.status.text() == (
        "--start-streaming needs --ingress ID, the ingress to go live to. Nothing was started."
    )


def test_the_ingress_last_gone_live_to_is_selected_again(
    qtbot: QtBot, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, preferences: Preferences, tmp_path: Path
) -> None:
    window, picker = window_with_picker(qtbot, preferences, environment_of(fresh_sandbox), tmp_path)

    async def scenario() -> None:
        await create_rtmp(fresh_sandbox, "first")
        second = await create_rtmp(fresh_sandbox, "second")
        preferences.last_ingress = second.ingress_id  # as a push to it left it
        assert apply_launch(window, picker, LaunchRequest((), "Environment"), with_sandbox=False)
        await eventually(lambda: window.selected_info() is not None, 20, "a selection")
        selected = window.selected_info()
        assert selected is not None and selected.ingress_id == second.ingress_id
        assert window.live.panel.start_button.isEnabled()
        await window.shutdown()

    run_on_qt_loop(scenario())
