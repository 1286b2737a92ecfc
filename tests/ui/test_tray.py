"""The tray icon bound to the window: its colour and tooltip per live state, its menu (the Go-live panel's
Start/Stop, Show/Hide, Quit), notifications, `--minimize-to-tray`, and the window without a tray.

Offscreen Qt has no system tray (isSystemTrayAvailable() is False, the first test checks it), so the no-tray
path runs for real, and the tray's tests hand the binding a QSystemTrayIcon that records instead of showing:
offscreen, showing a real one logs a Qt warning (which fails a test here), and no notification daemon exists
to read back what showMessage sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from ingress_studio.controllers.go_live import LiveState
from ingress_studio.controllers.launch_request import LaunchRequest
from ingress_studio.controllers.live_notifications import Notice, Tone, TrayLook
from ingress_studio.controllers.source_choice import SourceKind
from ingress_studio.ui.app import _take_handed
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.preferences import Preferences
from ingress_studio.ui.project_picker import ProjectPicker
from ingress_studio.ui.tray import NO_TRAY, STILL_RUNNING, Tray, attach_tray
from ingress_studio.ui.tray_icon import dot_rect, tone_colour
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually
from ui.test_go_live import create_rtmp, selected_new_rtmp


@dataclass(frozen=True)
class Shown:
    title: str
    body: str
    icon: QSystemTrayIcon.MessageIcon


class RecordingTrayIcon(QSystemTrayIcon):
    """A real QSystemTrayIcon (icon, tooltip, menu, activated signal) whose show and showMessage are recorded
    instead of reaching a tray host or a notification daemon, of which offscreen Qt has neither."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = False
        self.messages: list[Shown] = []

    def show(self) -> None:
        self.shown = True

    def showMessage(  # type: ignore[override]
        self, title: str, body: str, icon: QSystemTrayIcon.MessageIcon, _ms: int = 10000
    ) -> None:
        self.messages.append(Shown(title, body, icon))


@pytest.fixture
def hidden_window(qtbot: QtBot, preferences: Preferences) -> MainWindow:
    made = MainWindow(preferences)
    qtbot.addWidget(made)
    return made


@pytest.fixture
def tray(hidden_window: MainWindow) -> Iterator[Tray]:
    made = attach_tray(hidden_window, minimize_to_tray=False, available=True, icon=RecordingTrayIcon())
    assert made is not None and hidden_window.isVisible()
    yield made


def recorded(tray: Tray) -> RecordingTrayIcon:
    assert isinstance(tray.icon, RecordingTrayIcon)
    return tray.icon


def dot_colour(tray: Tray, size: int = 32) -> QColor:
    centre = dot_rect(size).center()
    return tray.icon.icon().pixmap(size, size).toImage().pixelColor(int(centre.x()), int(centre.y()))


def test_without_a_tray_the_window_opens_and_says_why(hidden_window: MainWindow) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen: what this file's seam stands in for
    assert attach_tray(hidden_window, minimize_to_tray=True) is None
    assert hidden_window.isVisible()
    assert hidden_window.statusBar().currentMessage() == NO_TRAY
    hidden_window.notifications.notice.emit(Notice("“cam” failed: boom", problem=True))
    assert hidden_window.statusBar().currentMessage() == "“cam” failed: boom"  # the only place, then


@pytest.mark.parametrize("tone", list(Tone))
def test_the_colour_and_tooltip_follow_the_look(tray: Tray, tone: Tone) -> None:
    tray._window.notifications.look_changed.emit(TrayLook(tone, "Words for it."))
    assert dot_colour(tray) == tone_colour(tone)
    assert tray.icon.toolTip() == "Ingress Studio — Words for it."


def test_the_tray_starts_grey_with_start_disabled_until_an_ingress_is_chosen(tray: Tray) -> None:
    assert dot_colour(tray) == tone_colour(Tone.IDLE)
    assert tray.icon.toolTip() == "Ingress Studio — Not live."
    texts = [action.text() for action in tray.menu.actions() if not action.isSeparator()]
    assert texts == ["Start streaming", "Hide window", "Keep running in the tray when closed", "Quit"]
    assert tray.stream_action is tray._window.live.panel.stream_action  # the panel's, not a second one
    assert not tray.stream_action.isEnabled() and not tray._window.live.panel.start_button.isEnabled()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_a_click_and_the_menu_toggle_the_window(tray: Tray) -> None:
    window = tray._window
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert not window.isVisible() and tray.show_action.text() == "Show window"
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Context)  # the right button opens the menu only
    assert not window.isVisible()
    tray.show_action.trigger()
    assert window.isVisible() and tray.show_action.text() == "Hide window"
    window.showMinimized()
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert window.isVisible() and not window.isMinimized()


def test_notifications_go_to_the_desktop_unless_the_window_is_in_front(tray: Tray, qtbot: QtBot) -> None:
    window = tray._window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.notifications.notice.emit(Notice("“cam” is live"))
    assert recorded(tray).messages == []
    assert window.statusBar().currentMessage() == "“cam” is live"
    window.hide()
    window.notifications.notice.emit(Notice("“a” is live (and 1 more)", "“a” is live\n“b” failed: x", True))
    assert recorded(tray).messages == [
        Shown("“a” is live (and 1 more)", "“a” is live\n“b” failed: x", QSystemTrayIcon.MessageIcon.Warning)
    ]


def test_closing_quits_unless_the_streamer_keeps_it_in_the_tray(tray: Tray, preferences: Preferences) -> None:
    window = tray._window
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    tray.keep_action.setChecked(True)
    assert preferences.close_to_tray  # remembered for the next start
    assert not window.close()
    assert not window.isVisible() and closed == []
    window.show()
    window.close()
    assert [m.body for m in recorded(tray).messages] == [STILL_RUNNING]  # told once, not at every close
    tray.quit_action.trigger()
    assert closed == [True]
    tray.keep_action.setChecked(False)
    window.show()
    assert window.close() and closed == [True, True]


def test_minimize_to_tray_starts_hidden_and_keeps_the_list_fresh(
    hidden_window: MainWindow, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer, qtbot: QtBot
) -> None:
    tray = attach_tray(hidden_window, minimize_to_tray=True, available=True, icon=RecordingTrayIcon())
    assert tray is not None and recorded(tray).shown and not hidden_window.isVisible()
    assert hidden_window.close_to_tray and tray.keep_action.isChecked()

    async def scenario() -> None:
        info = await create_rtmp(fresh_sandbox, "while-hidden")
        hidden_window.connect_project(fresh_sandbox.project())
        await eventually(lambda: hidden_window.model.info(info.ingress_id) is not None, 10, "rows while hidden")
        assert not hidden_window.isVisible()

    run_on_qt_loop(scenario())


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_second_launch_shows_the_window_hidden_in_the_tray(tray: Tray, tmp_path: Path) -> None:
    window = tray._window
    window.hide()
    picker = ProjectPicker(environ={}, lk_config=tmp_path / "no-lk.yaml")
    assert _take_handed(window, picker, LaunchRequest(), with_sandbox=False) is None
    assert window.isVisible()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_going_live_from_the_tray_colours_it_notifies_and_quit_asks_first(
    tray: Tray, run_on_qt_loop: Scenario, fresh_sandbox: SandboxServer
) -> None:
    window = tray._window
    panel = window.live.panel

    async def scenario() -> None:
        QApplication.setQuitOnLastWindowClosed(False)  # the test's loop goes on after the window closes
        info = await selected_new_rtmp(window, fresh_sandbox, "tray-cam")
        panel.source.kind.setCurrentIndex(panel.source.kind.findData(SourceKind.TEST.value))
        await eventually(tray.stream_action.isEnabled, 10, "Start enabled")
        window.hide()  # in the tray from now on: the notifications are the desktop's
        tray.stream_action.trigger()
        await eventually(lambda: window.live.go_live.state is LiveState.LIVE, 40, "live")
        assert tray.stream_action.text() == "Stop streaming"
        assert dot_colour(tray) == tone_colour(Tone.LIVE)
        assert tray.icon.toolTip() == "Ingress Studio — Live to “tray-cam”."
        await eventually(lambda: bool(recorded(tray).messages), 20, "a notification")
        assert recorded(tray).messages == [Shown("“tray-cam” is live", "", QSystemTrayIcon.MessageIcon.Information)]
        assert not window.isVisible()

        tray.quit_action.trigger()  # while live: the window comes forward to ask
        assert window.isVisible()
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        assert box.text() == "You are live to “tray-cam”."
        box.reject()
        await asyncio.sleep(0.2)
        assert window.live.go_live.state is LiveState.LIVE

        tray.stream_action.trigger()
        await eventually(lambda: window.live.go_live.state is LiveState.OFF, 20, "stopped")
        assert tray.stream_action.text() == "Start streaming"
        assert dot_colour(tray) == tone_colour(Tone.IDLE)
        assert window.model.info(info.ingress_id) is not None
        assert len(recorded(tray).messages) == 1  # INACTIVE again is no news
        await window.shutdown()

    try:
        run_on_qt_loop(scenario())
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
