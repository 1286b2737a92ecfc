"""The tray icon: its colour and tooltip say the live state, its menu starts or stops the push (the Go-live
panel's own action), shows or hides the window and quits the way the window does; desktop notifications go
through it (on Linux QSystemTrayIcon.showMessage reaches org.freedesktop.Notifications).

Without a system tray there is no icon: notifications are then only the status bar's line (the window binds
that itself), and `--minimize-to-tray` opens the window as usual, saying why.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ingress_studio.controllers.live_notifications import Notice, TrayLook
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.resources import app_icon
from ingress_studio.ui.tray_icon import badged_icon

APP_NAME = "Ingress Studio"
NOTICE_MS = 8000
NO_TRAY = "There is no system tray here, so --minimize-to-tray opened the window as usual."
STILL_RUNNING = "Ingress Studio is still running here: its menu shows the window again, or quits."


class Tray(QObject):
    def __init__(self, window: MainWindow, icon: QSystemTrayIcon | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._base = app_icon()
        self._told_still_running = False
        self.icon = icon if icon is not None else QSystemTrayIcon(self)
        panel = window.live.panel
        self.stream_action = panel.stream_action  # the panel's Start/Stop: enabled and named as the button is
        self.stream_action.triggered.connect(self._after_stream_action)  # after the panel's own slot
        self.show_action = QAction("Show window", self)
        self.show_action.triggered.connect(lambda _checked=False: self.toggle_window())
        self.keep_action = QAction("Keep running in the tray when closed", self)
        self.keep_action.setCheckable(True)
        self.keep_action.setChecked(window.close_to_tray)
        self.keep_action.toggled.connect(self._keep_running_toggled)
        self.quit_action = QAction("Quit", self)
        self.quit_action.triggered.connect(lambda _checked=False: window.quit())
        self.menu = QMenu(window)
        self.menu.addAction(self.stream_action)
        self.menu.addSeparator()
        self.menu.addActions([self.show_action, self.keep_action])
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.menu.aboutToShow.connect(self._name_show_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        notifications = window.notifications
        notifications.look_changed.connect(self._show_look)
        notifications.notice.connect(self.notify)
        window.hidden_to_tray.connect(self._tell_still_running_once)
        self._show_look(notifications.look)
        self._name_show_action()
        window.installEventFilter(self)  # Show or Hide, whoever showed or hid it

    def show(self) -> None:
        self.icon.show()
        self._window.set_in_tray(True)

    def toggle_window(self) -> None:
        if self._window.isVisible() and not self._window.isMinimized():
            self._window.hide()
        else:
            self._window.bring_to_front()
        self._name_show_action()

    def notify(self, notice: Notice) -> None:
        """A desktop notification, unless the window is the one in front (its status bar says it already)."""
        if self._window.isVisible() and self._window.isActiveWindow():
            return
        kind = QSystemTrayIcon.MessageIcon.Warning if notice.problem else QSystemTrayIcon.MessageIcon.Information
        self.icon.showMessage(notice.title, notice.body, kind, NOTICE_MS)

    def _keep_running_toggled(self, on: bool) -> None:
        self._window.close_to_tray = on
        self._window.preferences.close_to_tray = on

    def _show_look(self, look: TrayLook) -> None:
        self.icon.setIcon(badged_icon(self._base, look.tone))
        self.icon.setToolTip(f"{APP_NAME} — {look.words}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.WindowStateChange):
            self._name_show_action()
        return False

    def _name_show_action(self) -> None:
        shown = self._window.isVisible() and not self._window.isMinimized()
        self.show_action.setText("Hide window" if shown else "Show window")

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:  # a click; the context menu is the right button
            self.toggle_window()

    def _after_stream_action(self) -> None:
        """Start refused while the window hides (no source, a failed check): the panel says why, so show it."""
        panel = self._window.live.panel
        if not self._window.isVisible() and not panel.go_live.state.pushing and not panel.preflight.start_waiting:
            self._window.bring_to_front()

    def _tell_still_running_once(self) -> None:
        if not self._told_still_running:
            self._told_still_running = True
            self.icon.showMessage(APP_NAME, STILL_RUNNING, QSystemTrayIcon.MessageIcon.Information, NOTICE_MS)


def attach_tray(
    window: MainWindow, minimize_to_tray: bool, available: bool | None = None, icon: QSystemTrayIcon | None = None
) -> Tray | None:
    """The tray icon, and the window shown unless it starts hidden in the tray; None when there is no tray
    (then the window is shown and, if the tray was asked for, the status bar says why)."""
    if available is None:
        available = QSystemTrayIcon.isSystemTrayAvailable()
    if not available:
        window.show()  # first: a status bar message shown before its window would sit over the line under it
        if minimize_to_tray:
            window.show_notice(NO_TRAY)
        return None
    window.close_to_tray = minimize_to_tray or window.preferences.close_to_tray
    tray = Tray(window, icon)
    tray.show()
    if not minimize_to_tray:
        window.show()
    return tray
