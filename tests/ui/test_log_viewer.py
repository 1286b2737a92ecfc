"""Help → Logs: the log viewer over files the real logging setup wrote, offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextCursor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ingress_studio.config.paths import user_log_dir
from ingress_studio.controllers.log_follower import LogFollower
from ingress_studio.display.stats_figures import Level
from ingress_studio.redaction import MASK
from ingress_studio.ui.level_colours import level_colour
from ingress_studio.ui.log_viewer import LogViewer
from ingress_studio.ui.main_window import MainWindow
from support.log_writer import numbered, write_log
from ui.conftest import Scenario, eventually

STREAM_KEY = "kxqzmvbhtrwp"


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user log folder, this test's own (platformdirs reads XDG_STATE_HOME at each call)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = user_log_dir()
    assert folder.is_relative_to(tmp_path)
    return folder


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """The viewer's parent, as the main window is: closing the viewer is then not closing the last window
    (which would quit the application, and stop the loop the test runs on)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    return parent


def viewer_on(host: QWidget, folder: Path) -> LogViewer:
    viewer = LogViewer(LogFollower(folder, poll_s=0.05), parent=host)
    viewer.show()
    return viewer


async def closed(viewer: LogViewer) -> None:
    viewer.close()
    await viewer.follower.closed()
    assert not viewer.follower.following


def lines(viewer: LogViewer) -> list[str]:
    return [line.split(": ", 1)[1] for line in viewer.view.toPlainText().splitlines() if ": " in line]


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_help_logs_opens_the_viewer_on_the_user_log_folder(
    window: MainWindow, run_on_qt_loop: Scenario, log_folder: Path
) -> None:
    write_log(log_folder, "gui", [("INFO", "window opened"), ("ERROR", "refresh failed")])
    (logs_action,) = [a for a in window.actions_.help_menu.actions() if a.text() == "Logs…"]

    async def scenario() -> None:
        logs_action.trigger()
        viewer = window.log_viewer
        assert viewer is not None and viewer.isVisible() and viewer.isWindow() and not viewer.isModal()
        await eventually(lambda: "refresh failed" in viewer.view.toPlainText(), what="the lines")
        assert viewer.folder.text() == f"Log files: {log_folder}"
        assert viewer.counts.text() == "Showing all 2 lines."
        logs_action.trigger()
        assert window.log_viewer is viewer  # one viewer, brought to the front
        viewer.close()
        assert not viewer.follower.following  # closed: nothing is polled
        logs_action.trigger()  # opened again: read again
        await eventually(lambda: viewer.follower.following and viewer.counts.text() != "", what="second read")
        await window.shutdown()
        assert not viewer.follower.following

    run_on_qt_loop(scenario())


def test_filters_change_what_is_shown(host: QWidget, run_on_qt_loop: Scenario, tmp_path: Path) -> None:
    write_log(tmp_path, "gui", [("DEBUG", "gui detail"), ("INFO", "gui ready"), ("ERROR", "gui broke")])
    write_log(tmp_path, "push", [("INFO", "push ready"), ("WARNING", "push slow")])
    write_log(tmp_path, "sandbox", [("exception", "sandbox request failed")])
    viewer = viewer_on(host, tmp_path)

    async def scenario() -> None:
        await eventually(lambda: "sandbox request failed" in viewer.view.toPlainText(), what="the lines")
        assert lines(viewer)[:4] == ["gui ready", "gui broke", "push ready", "push slow"]  # Info and up
        assert "KeyError: 'missing'" in viewer.view.toPlainText()  # the traceback under its record
        viewer.level.setCurrentText("Debug")
        assert lines(viewer)[0] == "gui detail"
        viewer.level.setCurrentText("Warning")
        assert lines(viewer)[:3] == ["gui broke", "push slow", "sandbox request failed"]
        viewer.program.setCurrentText("push")
        assert lines(viewer) == ["push slow"]
        assert viewer.counts.text() == "Showing 1 of 6 lines."
        viewer.program.setCurrentText("All programs")
        viewer.level.setCurrentText("Info")
        viewer.search.setText("READY")  # applied when typing pauses
        await eventually(lambda: lines(viewer) == ["gui ready", "push ready"], what="the search")
        viewer.search.setText("nothing like this")
        viewer.search.returnPressed.emit()  # or at once on Enter
        assert viewer.view.toPlainText() == ""
        assert viewer.view.placeholderText().startswith("No lines match")
        await closed(viewer)

    run_on_qt_loop(scenario())


def test_errors_and_their_tracebacks_are_coloured(host: QWidget, run_on_qt_loop: Scenario, tmp_path: Path) -> None:
    write_log(tmp_path, "engine", [("INFO", "started"), ("WARNING", "slow"), ("exception", "crashed")])
    viewer = viewer_on(host, tmp_path)

    async def scenario() -> None:
        await eventually(lambda: "KeyError" in viewer.view.toPlainText(), what="the lines")
        document = viewer.view.document()

        def colour(line: int) -> str | None:
            formats = document.findBlockByNumber(line).layout().formats()
            return formats[0].format.foreground().color().name() if formats else None

        red = level_colour(Level.DANGER, viewer.view.palette()).name()
        amber = level_colour(Level.WARNING, viewer.view.palette()).name()
        assert [colour(n) for n in range(document.blockCount())] == [None, amber] + [red] * (document.blockCount() - 2)
        await closed(viewer)

    run_on_qt_loop(scenario())


def test_new_lines_follow_until_the_user_scrolls_up(host: QWidget, run_on_qt_loop: Scenario, tmp_path: Path) -> None:
    write_log(tmp_path, "push", numbered(300, width=20))
    viewer = viewer_on(host, tmp_path)
    bar = viewer.view.verticalScrollBar()

    async def scenario() -> None:
        await eventually(lambda: len(lines(viewer)) == 300, what="the lines")
        assert bar.maximum() > 0 and bar.value() == bar.maximum()  # opens at the newest
        write_log(tmp_path, "push", [("INFO", "one more")])
        await eventually(lambda: lines(viewer)[-1] == "one more", what="a new line")
        assert bar.value() == bar.maximum()
        bar.setValue(10)  # the user reads further up
        write_log(tmp_path, "push", [("INFO", "and another")])
        await eventually(lambda: lines(viewer)[-1] == "and another", what="another line")
        assert bar.value() == 10 and not viewer.at_bottom()
        assert viewer.counts.text() == "Showing all 302 lines."
        await closed(viewer)

    run_on_qt_loop(scenario())


def test_copy_puts_redacted_text_on_the_clipboard(host: QWidget, run_on_qt_loop: Scenario, tmp_path: Path) -> None:
    secret_lines = [
        ("INFO", "before"),
        ("INFO", f"pushing to rtmp://live.example/x/{STREAM_KEY}"),
        ("INFO", "LIVEKIT_API_SECRET=Zq8vYt2mNp4rXs6w"),
    ]
    write_log(tmp_path, "push", secret_lines, unredacted=True)  # a process that did not know them
    assert STREAM_KEY in (tmp_path / "push.log").read_text()
    viewer = viewer_on(host, tmp_path)

    async def scenario() -> None:
        await eventually(lambda: len(lines(viewer)) == 3, what="the lines")
        viewer.copy_button.click()
        copied = QGuiApplication.clipboard().text()
        assert copied == viewer.view.toPlainText() and copied.count("\n") == 2
        assert STREAM_KEY not in copied and "Zq8vYt2mNp4rXs6w" not in copied and copied.count(MASK) == 2
        cursor = viewer.view.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Down)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        viewer.view.setTextCursor(cursor)
        viewer.copy_button.click()
        assert QGuiApplication.clipboard().text().endswith(f"pushing to rtmp://live.example/x/{MASK}")
        assert "\n" not in QGuiApplication.clipboard().text()  # the selection alone
        await closed(viewer)

    run_on_qt_loop(scenario())


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def file_urls() -> Iterator[UrlCatcher]:
    """file:// URLs opened by the app come here instead of to a file manager."""
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


def test_open_folder_opens_the_log_folder(
    host: QWidget, run_on_qt_loop: Scenario, tmp_path: Path, file_urls: UrlCatcher
) -> None:
    folder = tmp_path / "not yet written"
    viewer = viewer_on(host, folder)

    async def scenario() -> None:
        await eventually(lambda: viewer.view.placeholderText().startswith("No log lines yet"), what="empty")
        assert str(folder) in viewer.view.placeholderText() and viewer.counts.text() == "No lines."
        viewer.open_folder_button.click()
        assert [url.toLocalFile() for url in file_urls.opened] == [str(folder)]
        assert folder.is_dir()
        await closed(viewer)

    run_on_qt_loop(scenario())


def test_a_file_that_cannot_be_read_is_one_sentence(host: QWidget, run_on_qt_loop: Scenario, tmp_path: Path) -> None:
    (tmp_path / "gui.log").mkdir()  # root reads any file: a folder in its place cannot be read by anyone
    write_log(tmp_path, "sandbox", [("INFO", "sandbox ready")])
    viewer = viewer_on(host, tmp_path)

    async def scenario() -> None:
        await eventually(lambda: lines(viewer) == ["sandbox ready"], what="the readable lines")
        assert viewer.problems.isVisible()
        assert viewer.problems.text() == "Cannot read gui.log (Is a directory): its lines are not shown."
        await closed(viewer)

    run_on_qt_loop(scenario())


def test_escape_closes_the_viewer_and_the_programs_say_whose_lines(
    host: QWidget, run_on_qt_loop: Scenario, tmp_path: Path, qtbot: QtBot
) -> None:
    from PySide6.QtCore import Qt

    viewer = viewer_on(host, tmp_path)
    labels = [viewer.program.itemText(index) for index in range(viewer.program.count())]
    assert "watch, watcher" in labels and "ingress, devices, probe" in labels

    async def scenario() -> None:
        qtbot.keyClick(viewer, Qt.Key.Key_Escape)
        assert not viewer.isVisible()
        await viewer.follower.closed()
        assert not viewer.follower.following

    run_on_qt_loop(scenario())
