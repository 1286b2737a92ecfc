"""macOS's Open With and a drop on the Dock icon: real QFileOpenEvents sent to the application become the
Go-live source as the same files on the command line do — those that came before the window once it is
ready, a burst of them one playlist, a non-media file the command line's sentence, a URL left alone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ingress_studio.controllers.launch_request import LaunchRequest
from ingress_studio.controllers.source_choice import SourceKind
from ingress_studio.ui.app import _take_opened
from ingress_studio.ui.file_open_events import BURST_MS, FileOpenEvents
from ingress_studio.ui.launch_binding import TITLE, apply_launch
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.preferences import Preferences
from ingress_studio.ui.project_picker import ProjectPicker
from support.media_files import make_media
from ui.conftest import Scenario, eventually

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking


@pytest.fixture
def opener(qapp: QApplication) -> Iterator[FileOpenEvents]:
    """Installed as run_gui installs it, right after the application is made."""
    events = FileOpenEvents(qapp)
    yield events
    qapp.removeEventFilter(events)
    events.deleteLater()


def open_in_finder(qapp: QApplication, *files: Path) -> list[bool]:
    """One event per file, as Finder sends them; whether each was taken."""
    return [QApplication.sendEvent(qapp, QFileOpenEvent(str(path))) for path in files]


def ready_window(qtbot: QtBot, preferences: Preferences, tmp_path: Path) -> tuple[MainWindow, ProjectPicker]:
    window = MainWindow(preferences)
    qtbot.addWidget(window)
    picker = ProjectPicker(environ={}, lk_config=tmp_path / "no-lk.yaml")
    window.set_project_picker(picker)
    window.show()
    return window, picker


def deliver_as_run_gui(opener: FileOpenEvents, window: MainWindow, picker: ProjectPicker) -> list[LaunchRequest]:
    """The window's side, as run_gui binds it (without the embedded sandbox); the requests handed over."""
    handed: list[LaunchRequest] = []

    def deliver(request: LaunchRequest) -> None:
        handed.append(request)
        _take_opened(window, picker, request, False)

    opener.deliver_to(deliver)
    return handed


def test_files_opened_before_the_window_is_ready_are_its_source_once_it_is(
    qtbot: QtBot,
    qapp: QApplication,
    opener: FileOpenEvents,
    run_on_qt_loop: Scenario,
    preferences: Preferences,
    tmp_path: Path,
) -> None:
    clip = make_media(tmp_path / "launched.mp4", 1)
    assert open_in_finder(qapp, clip) == [True]  # the launch's odoc, before the window exists
    qtbot.wait(BURST_MS * 2)  # and its burst over before the window is ready
    window, picker = ready_window(qtbot, preferences, tmp_path)
    handed = deliver_as_run_gui(opener, window, picker)

    async def scenario() -> None:
        await eventually(lambda: window.live.panel.source.choice().files == (str(clip),), 5, "the opened file")
        assert window.live.panel.source.choice().kind is SourceKind.FILES
        assert handed == [LaunchRequest((clip,))]  # the request the command line makes of `ingress-studio FILE`

    run_on_qt_loop(scenario())


def test_two_files_opened_in_quick_succession_are_one_playlist_of_two(
    qtbot: QtBot,
    qapp: QApplication,
    opener: FileOpenEvents,
    run_on_qt_loop: Scenario,
    preferences: Preferences,
    tmp_path: Path,
) -> None:
    first, second = make_media(tmp_path / "first.mp4", 1), make_media(tmp_path / "second.mkv", 1)
    window, picker = ready_window(qtbot, preferences, tmp_path)
    handed = deliver_as_run_gui(opener, window, picker)
    by_command_line, other_picker = ready_window(qtbot, preferences, tmp_path)
    apply_launch(by_command_line, other_picker, LaunchRequest((first, second)), with_sandbox=False)

    async def scenario() -> None:
        assert open_in_finder(qapp, first, second) == [True, True]
        await eventually(lambda: len(window.live.panel.source.choice().files) == 2, 5, "the opened files")
        choice = window.live.panel.source.choice()
        assert (choice.kind, choice.files) == (SourceKind.FILES, (str(first), str(second)))
        assert choice == by_command_line.live.panel.source.choice()
        assert len(handed) == 1

    run_on_qt_loop(scenario())


def test_a_non_media_file_is_the_command_lines_sentence(
    qtbot: QtBot,
    qapp: QApplication,
    opener: FileOpenEvents,
    run_on_qt_loop: Scenario,
    preferences: Preferences,
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not media")
    window, picker = ready_window(qtbot, preferences, tmp_path)
    deliver_as_run_gui(opener, window, picker)

    async def scenario() -> None:
        assert open_in_finder(qapp, notes) == [True]
        await eventually(lambda: "notes.txt" in window.live.panel.status.text(), 5, "the sentence")
        assert window.live.panel.status.text() == (
            "“notes.txt” is not a video, audio or picture file Ingress Studio streams, nor an ingress .json. "
            "Nothing was started."
        )
        assert window.live.panel.source.choice().kind is not SourceKind.FILES
        boxes = [(box.windowTitle(), box.text()) for box in window.findChildren(QMessageBox) if box.isVisible()]
        assert boxes == [(TITLE, window.live.panel.status.text())]  # and said in a box, as at launch

    run_on_qt_loop(scenario())


def test_an_event_naming_a_url_and_no_file_is_left_alone(
    qtbot: QtBot,
    qapp: QApplication,
    opener: FileOpenEvents,
    run_on_qt_loop: Scenario,
    preferences: Preferences,
    tmp_path: Path,
) -> None:
    window, picker = ready_window(qtbot, preferences, tmp_path)
    handed = deliver_as_run_gui(opener, window, picker)
    before = window.live.panel.source.choice()
    stream = QFileOpenEvent(QUrl("https://example.com/live/index.m3u8"))
    assert stream.file() == ""  # what Qt makes of a URL that is no local file

    async def scenario() -> None:
        assert not QApplication.sendEvent(qapp, stream)  # not taken: left to whoever else may want it
        await asyncio.sleep(BURST_MS * 2 / 1000)
        assert handed == []
        assert window.live.panel.source.choice() == before

    run_on_qt_loop(scenario())
