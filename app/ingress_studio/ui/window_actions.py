"""The main window's actions, menus and toolbar, and which of them apply to the selected ingress."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTableView, QToolBar, QToolButton, QWidget

from ingress_studio.display.encoder_settings import credential_name
from ingress_studio.domain.ingress_kinds import INPUT_TYPE_LABELS, is_enabled
from ingress_studio.ui.preferences import REFRESH_CHOICES_S

NOT_REUSABLE = "A URL ingress runs once and cannot be changed."


class ActionTarget(Protocol):
    """What the actions call: the main window."""

    def new_ingress(self, input_type: int = ...) -> Any: ...
    def edit_selected(self) -> Any: ...
    def duplicate_selected(self) -> Any: ...
    def toggle_enabled_selected(self) -> Any: ...
    def delete_selected(self) -> Any: ...
    def copy_url(self) -> None: ...
    def copy_key(self) -> None: ...
    def choose_import_file(self) -> None: ...
    def choose_export_file(self) -> None: ...
    def refresh_now(self) -> None: ...
    def set_refresh_interval(self, seconds: float) -> None: ...
    def quit(self) -> bool: ...
    def show_logs(self) -> Any: ...
    def show_licences(self) -> Any: ...
    def show_about(self) -> Any: ...


class WindowActions:
    def __init__(self, window: QMainWindow, target: ActionTarget, table: QTableView, refresh_s: float) -> None:
        self._window = window

        def action(
            text: str, slot: Callable[[], Any], shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
        ) -> QAction:
            made = QAction(text, window)
            if shortcut is not None:
                made.setShortcut(QKeySequence(shortcut))
            made.triggered.connect(lambda _checked=False: slot())
            window.addAction(made)  # shortcuts work wherever the focus is
            return made

        self.new = {
            kind: action(f"New {name} ingress…", functools.partial(target.new_ingress, kind))
            for kind, name in INPUT_TYPE_LABELS.items()
        }
        self.new[ingress_pb.RTMP_INPUT].setShortcut(QKeySequence.StandardKey.New)
        self.edit = action("Edit…", target.edit_selected, "Ctrl+E")
        self.duplicate = action("Duplicate…", target.duplicate_selected, "Ctrl+D")
        self.toggle = action("Disable", target.toggle_enabled_selected, "Ctrl+Shift+E")
        self.delete = action("Delete…", target.delete_selected)
        # The Delete key deletes only from the table: in the search box or a combo it means something else.
        self.delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.removeAction(self.delete)
        table.addAction(self.delete)
        self.copy_url = action("Copy URL", target.copy_url, "Ctrl+Shift+C")
        self.copy_key = action("Copy stream key", target.copy_key, "Ctrl+Shift+K")
        self.import_file = action("Import ingress.json…", target.choose_import_file, "Ctrl+O")
        self.export_file = action("Export ingress.json…", target.choose_export_file, "Ctrl+Shift+S")
        self.refresh = action("Refresh", target.refresh_now, QKeySequence.StandardKey.Refresh)
        self.quit = action("Quit", target.quit, QKeySequence.StandardKey.Quit)
        self.logs = action("Logs…", target.show_logs)
        self.licences = action("Licences…", target.show_licences)
        self.about = action("About Ingress Studio", target.show_about)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)  # macOS puts it in the application menu
        self._build_menus(target, refresh_s)

    def _build_menus(self, target: ActionTarget, refresh_s: float) -> None:
        bar = self._window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.import_file, self.export_file])
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        ingress_menu = bar.addMenu("&Ingress")
        ingress_menu.addActions(list(self.new.values()))
        ingress_menu.addSeparator()
        ingress_menu.addActions([self.edit, self.duplicate, self.toggle, self.delete])
        ingress_menu.addSeparator()
        ingress_menu.addActions([self.copy_url, self.copy_key])
        view_menu = self.view_menu = bar.addMenu("&View")
        view_menu.addAction(self.refresh)
        interval_menu = view_menu.addMenu("Refresh every")
        self.interval_group = QActionGroup(self._window)
        for seconds in REFRESH_CHOICES_S:
            choice = QAction(f"{seconds:g} s", self._window, checkable=True)
            choice.setChecked(seconds == refresh_s)
            choice.triggered.connect(lambda _checked=False, s=seconds: target.set_refresh_interval(s))
            self.interval_group.addAction(choice)
            interval_menu.addAction(choice)
        help_menu = self.help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.logs)
        help_menu.addSeparator()
        help_menu.addActions([self.licences, self.about])

    def add_panels(self, docks: list[QDockWidget]) -> None:
        """View → one check item per dock: a closed dock comes back from here (or the docks' context menu)."""
        self.view_menu.addSeparator()
        for dock in docks:
            self.view_menu.addAction(dock.toggleViewAction())

    def build_toolbar(self, filters: list[QWidget]) -> QToolBar:
        toolbar = self._window.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        # Not offered in the docks' context menu: without it there is no project picker, New or filter.
        toolbar.toggleViewAction().setVisible(False)
        new_button = self.new_button = QToolButton()
        new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        for made in self.new.values():
            new_button.addAction(made)
        # After addAction: re-adding the default action would remove it first, and that clears the default.
        # The button shows its action's icon text (kept in step with the action), the menu its full text.
        self.new[ingress_pb.RTMP_INPUT].setIconText("New")
        new_button.setDefaultAction(self.new[ingress_pb.RTMP_INPUT])
        toolbar.addWidget(new_button)
        toolbar.addActions([self.edit, self.duplicate, self.toggle, self.delete])
        toolbar.addSeparator()
        toolbar.addAction(self.refresh)
        toolbar.addSeparator()
        for widget in filters:
            toolbar.addWidget(widget)
        return toolbar

    def update(self, info: ingress_pb.IngressInfo | None, can_create: bool) -> None:
        """Enable what applies: creating needs a project that answers; the rest, a selected ingress."""
        for made in (*self.new.values(), self.import_file):
            made.setEnabled(can_create)
        for made in (self.duplicate, self.delete, self.export_file, self.copy_url):
            made.setEnabled(info is not None)
        reusable = info is not None and info.reusable
        self.edit.setEnabled(reusable)
        self.toggle.setEnabled(reusable)
        self.edit.setToolTip("" if info is None or reusable else NOT_REUSABLE)
        self.toggle.setText("Disable" if info is None or is_enabled(info) else "Enable")
        self.copy_key.setEnabled(info is not None and bool(info.stream_key))
        self.copy_key.setText(f"Copy {(credential_name(info) if info else '') or 'stream key'}")
