"""A toolbar combo of every project (sandbox, environment, lk, saved) with a status dot, plus add/edit/remove."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMenu, QMessageBox, QToolButton, QWidget

from ingress_studio.config.project import DEFAULT_SANDBOX_URL, Project, ProjectSource
from ingress_studio.config.projects import all_projects
from ingress_studio.config.saved_projects import SavedProjects
from ingress_studio.config.secrets import SecretStore

if TYPE_CHECKING:  # loaded when a project is added or edited, not at the window's start
    from ingress_studio.ui.project_dialog import ProjectDialog

log = logging.getLogger(__name__)

SOURCE_LABELS = {
    ProjectSource.SANDBOX: "",
    ProjectSource.ENVIRONMENT: "env",
    ProjectSource.LK_CLI: "lk",
    ProjectSource.SAVED: "saved",
}
READ_ONLY_REASONS = {
    ProjectSource.SANDBOX: "The built-in sandbox runs on this computer with fixed dev credentials.",
    ProjectSource.ENVIRONMENT: (
        "This project comes from LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET; "
        "change those variables and restart."
    ),
    ProjectSource.LK_CLI: "This project comes from ~/.livekit/cli-config.yaml; change it with the lk CLI.",
}
STATUS_COLOURS = {None: "#9e9e9e", True: "#2e7d32", False: "#c62828"}


def project_label(project: Project) -> str:
    suffix = SOURCE_LABELS[project.source]
    return f"{project.name} — {suffix}" if suffix else project.name


def status_dot(colour: str, size: int = 10) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class ProjectPicker(QWidget):
    """Choosing a project only emits `project_chosen`; connecting is the caller's job, so switching is instant.

    `environ` and `lk_config` default to the real environment and ~/.livekit/cli-config.yaml, re-read on reload().
    """

    project_chosen = Signal(object)  # Project

    def __init__(
        self,
        sandbox_url: str = DEFAULT_SANDBOX_URL,
        saved: SavedProjects | None = None,
        parent: QWidget | None = None,
        environ: Mapping[str, str] | None = None,
        lk_config: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._sandbox_url = sandbox_url
        self.saved = saved if saved is not None else SavedProjects(SecretStore())
        self._environ = environ
        self._lk_config = lk_config
        self._projects: list[Project] = []
        self._status: dict[str, tuple[bool | None, str]] = {}
        self._icons = {ok: status_dot(colour) for ok, colour in STATUS_COLOURS.items()}
        self.dialog: ProjectDialog | None = None

        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(12)
        # activated fires only for the user's own picks, never for reloads or select().
        self.combo.activated.connect(self._user_picked)
        self.combo.currentIndexChanged.connect(self._update_actions)

        self.add_action = QAction("Add project…", self)
        self.add_action.triggered.connect(self.add_project)
        self.edit_action = QAction("Edit project…", self)
        self.edit_action.triggered.connect(self.edit_project)
        self.remove_action = QAction("Remove project", self)
        self.remove_action.triggered.connect(self.remove_project)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)  # the disabled entries explain themselves
        menu.addAction(self.add_action)
        menu.addAction(self.edit_action)
        menu.addAction(self.remove_action)
        self.manage_button = QToolButton()
        # The style's corner arrow overlaps the text of an instant-popup button: an arrow in the text instead.
        self.manage_button.setText("Projects ▾")
        self.manage_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.manage_button.setToolTip("Add, edit or remove saved projects")
        self.manage_button.setMenu(menu)
        self.manage_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.manage_button)
        self.reload()

    @property
    def projects(self) -> list[Project]:
        return list(self._projects)

    def set_sandbox_url(self, url: str) -> None:
        self._sandbox_url = url
        self.reload()

    def reload(self) -> None:
        """Re-read every source; the selection stays on the same name if that project still exists."""
        current = self.current_project()
        self._projects = all_projects(self.saved, self._sandbox_url, self._environ, self._lk_config)
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            for project in self._projects:
                self.combo.addItem(project_label(project))
            for index in range(len(self._projects)):
                self._paint_status(index)
            index = self._index_of(current.name) if current else -1
            self.combo.setCurrentIndex(max(index, 0))
        finally:
            self.combo.blockSignals(False)
        self._update_actions()

    def current_project(self) -> Project | None:
        index = self.combo.currentIndex()
        return self._projects[index] if 0 <= index < len(self._projects) else None

    def select(self, name: str) -> bool:
        """Show this project as current without emitting project_chosen; False if there is none by that name."""
        index = self._index_of(name)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        return True

    def set_status(self, project_name: str, ok: bool | None, text: str) -> None:
        """Grey (unknown), green (connected) or red (failing) dot; `text` becomes the tooltip."""
        self._status[project_name] = (ok, text)
        index = self._index_of(project_name)
        if index >= 0:
            self._paint_status(index)

    def status(self, project_name: str) -> tuple[bool | None, str]:
        return self._status.get(project_name, (None, ""))

    def _index_of(self, name: str) -> int:
        # Exact match first: lk and saved names may differ only in case.
        for index, project in enumerate(self._projects):
            if project.name == name:
                return index
        lowered = name.lower()
        return next((i for i, p in enumerate(self._projects) if p.name.lower() == lowered), -1)

    def _paint_status(self, index: int) -> None:
        project = self._projects[index]
        ok, text = self.status(project.name)
        self.combo.setItemIcon(index, self._icons[ok])
        self.combo.setItemData(index, text or project.url, Qt.ItemDataRole.ToolTipRole)
        if index == self.combo.currentIndex():
            self.combo.setToolTip(text or project.url)

    def _user_picked(self, index: int) -> None:
        if 0 <= index < len(self._projects):
            self.project_chosen.emit(self._projects[index])

    def _update_actions(self) -> None:
        project = self.current_project()
        editable = project is not None and project.source == ProjectSource.SAVED
        reason = "" if project is None or editable else READ_ONLY_REASONS[project.source]
        if project is not None:
            self.combo.setToolTip(self.status(project.name)[1] or project.url)
        self.edit_action.setEnabled(editable)
        self.remove_action.setEnabled(editable)
        self.edit_action.setToolTip(reason or "Change this project's URL, key or secret")
        self.remove_action.setToolTip(reason or "Forget this project and delete its secret from the keyring")

    def _reserved_names(self) -> list[str]:
        return [p.name for p in self._projects if p.source != ProjectSource.SAVED]

    def add_project(self) -> ProjectDialog:
        """Open the add dialog (not blocking); once saved, the new project is selected and chosen."""
        return self._open_dialog(None)

    def edit_project(self) -> ProjectDialog | None:
        project = self.current_project()
        if project is None or project.source != ProjectSource.SAVED:
            return None
        return self._open_dialog(project)

    def _open_dialog(self, project: Project | None) -> ProjectDialog:
        from ingress_studio.ui.project_dialog import ProjectDialog

        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        dialog = ProjectDialog(self.saved, project, parent=self, reserved_names=self._reserved_names())
        dialog.accepted.connect(lambda: self._dialog_saved(dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_saved(self, dialog: ProjectDialog) -> None:
        project = dialog.saved_project
        self.reload()
        if project is not None and self.select(project.name):
            chosen = self.current_project()
            if chosen is not None:
                self.project_chosen.emit(chosen)

    def _dialog_closed(self, dialog: ProjectDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def remove_project(self) -> QMessageBox | None:
        """Ask to remove the current saved project (without a nested event loop); on Yes it goes,
        with its secret, and the sandbox becomes current. Returns the question box, or None."""
        project = self.current_project()
        if project is None or project.source != ProjectSource.SAVED:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove project",
            f"Remove the project “{project.name}”? Its API secret is deleted from the keyring too.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda result: self._remove(project) if result == QMessageBox.StandardButton.Yes else None)
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    def _remove(self, project: Project) -> None:
        try:
            self.saved.remove(project.name)
        except OSError as exc:
            log.warning("removing project %s failed: %s", project.name, exc)
            warning = QMessageBox(
                QMessageBox.Icon.Warning,
                "Remove project",
                f"Could not remove “{project.name}” ({exc.strerror or exc}).",
                QMessageBox.StandardButton.Ok,
                self,
            )
            warning.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            warning.open()
            return
        self._status.pop(project.name, None)
        self.reload()
        self.combo.setCurrentIndex(0)
        chosen = self.current_project()
        if chosen is not None:
            self.project_chosen.emit(chosen)
