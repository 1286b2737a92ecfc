"""Add or edit a saved project: fields checked as you type, a connection test, the secret kept in the keyring."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.api.errors import ApiError
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.config.saved_projects import SavedProjects
from ingress_studio.config.secrets import NO_KEYRING_MESSAGE

log = logging.getLogger(__name__)

URL_SCHEMES = ("http", "https", "ws", "wss")
ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"


def url_problem(url: str) -> str | None:
    """The sentence saying what is wrong with a server URL, or None if it is usable."""
    if not url:
        return "Enter the server URL, e.g. wss://my-project.livekit.cloud."
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme.lower() not in URL_SCHEMES:
        return "The URL must start with http://, https://, ws:// or wss://."
    if not host:
        return "The URL needs a host name after the scheme, e.g. wss://my-project.livekit.cloud."
    return None


def count_text(count: int) -> str:
    return f"{count} ingress" if count == 1 else f"{count} ingresses"


class ProjectDialog(QDialog):
    """Edits one saved project. `saved_project` holds the result after the dialog is accepted.

    Pass `project` to edit an existing saved project; `reserved_names` are names used by projects from
    other sources (sandbox, environment, lk), which a saved project may not take either.
    """

    def __init__(
        self,
        saved: SavedProjects,
        project: Project | None = None,
        parent: QWidget | None = None,
        reserved_names: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self._saved = saved
        self._original = project
        self._reserved = {name.lower() for name in reserved_names}
        # The stored secret is only used, never shown: an empty field keeps it.
        self._stored_secret = project.api_secret if project else None
        self._test_task: asyncio.Task[None] | None = None
        self._validate_live = False  # after the first failed Save, errors follow the typing
        self.saved_project: Project | None = None
        self.session_only = False

        self.setWindowTitle(f"Edit project “{project.name}”" if project else "Add project")
        self.setMinimumWidth(480)

        self.name_edit = QLineEdit(project.name if project else "")
        self.name_edit.setPlaceholderText("e.g. production")
        self.url_edit = QLineEdit(project.url if project else "")
        self.url_edit.setPlaceholderText("wss://my-project.livekit.cloud")
        self.key_edit = QLineEdit(project.api_key if project else "")
        self.key_edit.setPlaceholderText("API key, e.g. APIxxxxxxxx")
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if self._stored_secret:
            self.secret_edit.setPlaceholderText("Leave empty to keep the stored secret")
        else:
            self.secret_edit.setPlaceholderText("API secret")
        self.show_secret_box = QCheckBox("Show")
        self.show_secret_box.toggled.connect(self._show_secret)

        self.name_error = self._error_label()
        self.url_error = self._error_label()
        self.key_error = self._error_label()
        self.secret_error = self._error_label()

        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.show_secret_box)
        form = QFormLayout()
        form.addRow("Name", self._with_error(self.name_edit, self.name_error))
        form.addRow("URL", self._with_error(self.url_edit, self.url_error))
        form.addRow("API key", self._with_error(self.key_edit, self.key_error))
        secret_widget = QWidget()
        secret_column = QVBoxLayout(secret_widget)
        secret_column.setContentsMargins(0, 0, 0, 0)
        secret_column.addLayout(secret_row)
        secret_column.addWidget(self.secret_error)
        form.addRow("API secret", secret_widget)

        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result_label = QLabel()
        self.test_result_label.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result_label, 1)

        # Save problems (a disk error) show here, so the dialog and everything typed stay put.
        self.save_error_label = self._error_label()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert save_button is not None and cancel_button is not None
        self.save_button = save_button
        self.cancel_button = cancel_button
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.save_error_label)
        layout.addWidget(self.buttons)

        for edit in (self.name_edit, self.url_edit, self.key_edit, self.secret_edit):
            edit.textChanged.connect(self._fields_changed)

    @property
    def editing(self) -> bool:
        return self._original is not None

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    @staticmethod
    def _with_error(edit: QLineEdit, error: QLabel) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(edit)
        column.addWidget(error)
        return box

    def _show_secret(self, shown: bool) -> None:
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def _fields_changed(self) -> None:
        # A result for other values would mislead; errors are re-checked only once Save has complained.
        if self._test_task is None:
            self._set_test_result("", ok=None)
        if self._validate_live:
            self._show_errors(self.validation_errors())

    def _secret(self) -> str:
        return self.secret_edit.text().strip() or (self._stored_secret or "")

    def current_values(self) -> Project:
        """What the fields say now (secret: typed, else the stored one)."""
        return Project(
            name=self.name_edit.text().strip(),
            url=self.url_edit.text().strip(),
            api_key=self.key_edit.text().strip(),
            api_secret=self._secret() or None,
            source=ProjectSource.SAVED,
        )

    def validation_errors(self, connection_only: bool = False) -> dict[str, str]:
        """Field name ("name", "url", "key", "secret") -> sentence; empty when all is well."""
        values = self.current_values()
        errors: dict[str, str] = {}
        if not connection_only:
            name_problem = self._name_problem(values.name)
            if name_problem:
                errors["name"] = name_problem
        problem = url_problem(values.url)
        if problem:
            errors["url"] = problem
        if not values.api_key:
            errors["key"] = "Enter the API key."
        if not values.api_secret:
            errors["secret"] = "Enter the API secret."
        return errors

    def _name_problem(self, name: str) -> str | None:
        if not name:
            return "Enter a name for the project."
        renamed = self._original is None or self._original.name.lower() != name.lower()
        if not renamed:
            return None
        if any(p.name.lower() == name.lower() for p in self._saved.load()):
            return f"A saved project is already called “{name}”; pick another name."
        if name.lower() in self._reserved:
            return f"“{name}” is already the name of another project (sandbox, environment or lk); pick another name."
        return None

    def _show_errors(self, errors: dict[str, str]) -> None:
        for field, label in (
            ("name", self.name_error),
            ("url", self.url_error),
            ("key", self.key_error),
            ("secret", self.secret_error),
        ):
            label.setText(errors.get(field, ""))
            label.setVisible(field in errors)

    def _set_test_result(self, text: str, ok: bool | None) -> None:
        self.test_result_label.setText(text)
        self.test_result_label.setStyleSheet({True: OK_STYLE, False: ERROR_STYLE, None: ""}[ok])

    def test_connection(self) -> None:
        """List the ingresses with the typed credentials, in the background; the result shows beside the button."""
        errors = self.validation_errors(connection_only=True)
        if errors:
            self._validate_live = True
            self._show_errors({**errors, **self._name_errors_if_shown()})
            self._set_test_result("Fix the fields marked in red first.", ok=False)
            return
        if self._test_task is not None:
            self._test_task.cancel()
        project = self.current_values()
        self._set_test_result(f"Connecting to {project.url}…", ok=None)
        self.test_button.setEnabled(False)
        self._test_task = asyncio.ensure_future(self._run_test(project))

    def _name_errors_if_shown(self) -> dict[str, str]:
        # Testing does not need a name, so only keep a name error that was already on screen.
        if self.name_error.isVisible():
            problem = self._name_problem(self.name_edit.text().strip())
            return {"name": problem} if problem else {}
        return {}

    async def _run_test(self, project: Project) -> None:
        try:
            from ingress_studio.api.client import IngressClient

            async with IngressClient(project) as client:
                items = await client.list()
        except ApiError as exc:
            self._set_test_result(exc.message, ok=False)
        else:
            self._set_test_result(f"Connected: {count_text(len(items))}.", ok=True)
        finally:
            if self._test_task is asyncio.current_task():
                self._test_task = None
                self.test_button.setEnabled(True)

    @property
    def test_running(self) -> bool:
        return self._test_task is not None

    def save(self) -> None:
        """Check the fields, store the project (secret to the keyring) and close; on any problem stay open."""
        errors = self.validation_errors()
        self._show_errors(errors)
        if errors:
            self._validate_live = True
            return
        values = self.current_values()
        secret = values.api_secret or ""
        original = self._original
        try:
            # A new name or key is a new keyring entry: drop the old one so no secret is left behind.
            if original is not None and (original.name, original.api_key) != (values.name, values.api_key):
                self._saved.remove(original.name)
            persistent = self._saved.save(values.name, values.url, values.api_key, secret)
        except OSError as exc:
            log.warning("saving project %s failed: %s", values.name, exc.strerror or type(exc).__name__)
            self.save_error_label.setText(f"Could not save the project ({exc.strerror or exc}). Try again.")
            self.save_error_label.show()
            return
        self.saved_project = values
        if not persistent:
            self.session_only = True
        if not persistent and not self._saved.told_secrets_are_session_only:
            # Said once, in the parent's window, which stays open; the dialog's job is done.
            self._saved.told_secrets_are_session_only = True
            notice = QMessageBox(
                QMessageBox.Icon.Information,
                "Secret kept for this session",
                NO_KEYRING_MESSAGE,
                QMessageBox.StandardButton.Ok,
                self.parentWidget(),
            )
            notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            notice.open()
        self.accept()

    def done(self, result: int) -> None:
        # A test still running must not write into a closed dialog.
        if self._test_task is not None:
            self._test_task.cancel()
            self._test_task = None
        super().done(result)
