"""The create/edit form for one ingress: every field the API has, checked with the server's own rules as you type.

The dialog builds a CreateIngressRequest or UpdateIngressRequest from the form, runs the client-side port of
the server's validation on it and shows the server's exact message before anything is sent. Sending runs on
the qasync loop (`asyncio.ensure_future`); an ApiError stays in the dialog with every field kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.api.errors import ApiError
from ingress_studio.controllers.ingress_edit import CreateSubmit, IngressEdit, UpdateSubmit
from ingress_studio.display.validation_messages import Field, explain
from ingress_studio.ui.form_errors import ERROR_STYLE
from ingress_studio.ui.form_widgets import select_data
from ingress_studio.ui.ingress_form_fields import RTMP_INPUT, WHIP_INPUT, IngressFormFields

log = logging.getLogger(__name__)

LIVE_WARNING = "This ingress is live: saving ends the current session and the encoder must reconnect."
SAVING = "Saving…"
VALIDATION_DELAY_MS = 250


class IngressDialog(QDialog, IngressFormFields):
    """Create or edit one ingress. Build it with `for_create` or `for_edit`, then `open()` it.

    `saved` carries the IngressInfo the server returned; the dialog then accepts. Use `open()`/`show()`,
    not `exec()`: the request runs on the qasync loop and must not sit under a nested event loop.
    """

    saved = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        *,
        original: ingress_pb.IngressInfo | None,
        prefill: ingress_pb.IngressInfo | None,
        input_type: int,
        submit_create: CreateSubmit | None,
        submit_update: UpdateSubmit | None,
        live: bool,
    ) -> None:
        super().__init__(parent)
        self.edit = IngressEdit(original, submit_create, submit_update)
        self.original = self.edit.original
        self.editing = self.edit.editing
        self.live = live
        self.result_info: ingress_pb.IngressInfo | None = None
        self._pending: asyncio.Future[None] | None = None
        self._loading = True
        self._touched = False  # no complaints before the user has done anything
        self._whip_transcoding = False  # WHIP's own choice, restored when switching back from RTMP/URL
        self._build()
        self._validation_timer = QTimer(self)
        self._validation_timer.setSingleShot(True)
        self._validation_timer.setInterval(VALIDATION_DELAY_MS)
        self._validation_timer.timeout.connect(self.validate_now)
        source = original if original is not None else prefill
        if source is not None:
            self._load(source, copy=original is None)
        else:
            select_data(self.type_combo, input_type, ingress_pb.IngressInput.Name)
        self._loading = False
        self._connect_changes()
        self._refresh_dependent_state()
        self.validate_now()

    # -- constructors -------------------------------------------------------------------------------------------

    @classmethod
    def for_create(
        cls,
        parent: QWidget | None,
        submit_create: CreateSubmit,
        initial: ingress_pb.IngressInfo | None = None,
        input_type: int = RTMP_INPUT,
    ) -> IngressDialog:
        """A "New ingress" form; `initial` pre-fills every field (Duplicate), its name marked " (copy)"."""
        return cls(
            parent,
            original=None,
            prefill=initial,
            input_type=initial.input_type if initial is not None else input_type,
            submit_create=submit_create,
            submit_update=None,
            live=False,
        )

    @classmethod
    def for_edit(
        cls, parent: QWidget | None, info: ingress_pb.IngressInfo, submit_update: UpdateSubmit, live: bool
    ) -> IngressDialog:
        """Edit a reusable ingress; `live` shows that saving ends its current session."""
        return cls(
            parent,
            original=info,
            prefill=None,
            input_type=info.input_type,
            submit_create=None,
            submit_update=submit_update,
            live=live,
        )

    # -- layout -------------------------------------------------------------------------------------------------

    def _build(self) -> None:
        title = self.original.name or self.original.ingress_id
        self.setWindowTitle(f"Edit “{title}”" if self.editing else "New ingress")
        self.setMinimumSize(920, 620)
        self.setSizeGripEnabled(True)

        self.live_banner = QLabel(LIVE_WARNING)
        self.live_banner.setWordWrap(True)
        self.live_banner.setStyleSheet(
            "QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e0c060; border-radius: 4px;"
            " padding: 6px; }"
        )
        self.live_banner.setVisible(self.live)
        self._build_fields()

        self.clear_hint_label = QLabel()
        self.clear_hint_label.setWordWrap(True)
        self.clear_hint_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert save is not None and cancel is not None
        self.save_button: QPushButton = save
        self.cancel_button: QPushButton = cancel
        self.save_button.setToolTip("Save (Ctrl+Enter)")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error_label, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.live_banner)
        layout.addWidget(self.form_area, 1)
        layout.addWidget(self.clear_hint_label)
        layout.addLayout(bottom)
        # Only once the button is inside the dialog does it become the dialog's default (Enter saves).
        self.save_button.setDefault(True)

        # Ctrl+Enter saves from anywhere, including the multi-line metadata field where Enter is a newline.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.save)

    def _connect_changes(self) -> None:
        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.transcoding_check.toggled.connect(self._on_transcoding_toggled)
        for edit in (self.url_edit, self.name_edit, self.room_edit, self.identity_edit, self.participant_name_edit):
            edit.textChanged.connect(self._on_changed)
        self.metadata_edit.textChanged.connect(self._on_changed)
        self.enabled_check.toggled.connect(self._on_changed)
        self.audio_group.changed.connect(self._on_changed)
        self.video_group.changed.connect(self._on_changed)

    # -- state --------------------------------------------------------------------------------------------------

    def _on_type_changed(self) -> None:
        self._refresh_dependent_state()
        self._on_changed()

    def _on_transcoding_toggled(self, checked: bool) -> None:
        if self.input_type() == WHIP_INPUT:
            self._whip_transcoding = checked
        self._refresh_dependent_state()
        self._on_changed()

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._touched = True
        self._update_clear_hint()
        self._validation_timer.start()

    def _update_clear_hint(self) -> None:
        if not self.editing:
            return
        cleared = self.edit.cleared_fields(self.form_values())
        if cleared:
            names = ", ".join(cleared)
            self.clear_hint_label.setText(
                f"The API cannot clear a field: {names} will keep {'its' if len(cleared) == 1 else 'their'} current "
                "value if left empty."
            )
        self.clear_hint_label.setVisible(bool(cleared))

    # -- requests -----------------------------------------------------------------------------------------------

    def build_create_request(self) -> ingress_pb.CreateIngressRequest:
        return self.edit.create_request(self.form_values())

    def build_update_request(self) -> ingress_pb.UpdateIngressRequest:
        return self.edit.update_request(self.form_values())

    def current_error(self) -> str:
        """The server's message for the request the form would send now, or "" when it would be accepted."""
        return self.edit.server_words(self.form_values())

    # -- validation display -------------------------------------------------------------------------------------

    def validate_now(self) -> str:
        """Validate at once (typing does it after a short pause); shows and returns the message or ""."""
        self._validation_timer.stop()
        message = self.current_error()
        if self._touched and self._pending is None:
            self._show_validation(message)
        return message

    def _widget_for(self, field: Field) -> QWidget | None:
        """The widget a validation message is about, so it can be marked and focused."""
        return {
            Field.INPUT_TYPE: self.type_combo,
            Field.URL: self.url_edit,
            Field.ROOM: self.room_edit,
            Field.IDENTITY: self.identity_edit,
            Field.ENABLED: self.enabled_check,
            Field.TRANSCODING: self.transcoding_check,
            Field.AUDIO: self.audio_group,
            Field.VIDEO: self.video_group,
        }.get(field)

    def _show_validation(self, server_words: str) -> None:
        """A person's sentence at the field it is about; the server's words as a tooltip."""
        if not server_words:
            self._show_error("")
            return
        problem = explain(server_words)
        self.errors.show(problem.sentence, self._widget_for(problem.field), server_words)

    def _show_error(self, message: str) -> None:
        self.errors.show(message)

    @property
    def invalid_widget(self) -> QWidget | None:
        return self.errors.invalid_widget

    def field_error(self) -> str:
        """The sentence shown at a field, or "" (for tests and accessibility)."""
        return self.errors.at_field()

    # -- saving -------------------------------------------------------------------------------------------------

    @property
    def saving(self) -> bool:
        return self._pending is not None

    def save(self) -> None:
        """Validate; if the server would accept it, send it without blocking the GUI."""
        if self._pending is not None:
            return
        self._touched = True
        message = self.validate_now()
        if message:
            if self.invalid_widget is not None:
                self.invalid_widget.setFocus()
            return
        self._pending = asyncio.ensure_future(self._finish(self.edit.save(self.form_values())))
        self._set_saving(True)

    def _set_saving(self, saving: bool) -> None:
        self.save_button.setEnabled(not saving)
        self.save_button.setText(SAVING if saving else "Save")
        self.form_area.setEnabled(not saving)  # children keep their own enabled state for afterwards
        if saving:
            self._show_error("")
            self.error_label.setStyleSheet("QLabel { color: palette(text); }")
            self.error_label.setText(SAVING)
            self.error_label.show()
        else:
            self.error_label.setStyleSheet(ERROR_STYLE)

    async def _finish(self, call: Awaitable[ingress_pb.IngressInfo]) -> None:
        try:
            info = await call
        except asyncio.CancelledError:
            raise
        except ApiError as exc:
            self._failed(exc.message)
            if IngressEdit.refusal(exc) is not None:
                self._show_validation(exc.server_words)  # the field the server refused, said for a person
            return
        except Exception as exc:  # a bug below us must not leave the dialog stuck on "Saving…"
            log.exception("saving the ingress failed")
            self._failed(f"Saving failed unexpectedly: {type(exc).__name__}: {exc}")
            return
        self._pending = None
        self._set_saving(False)
        self.result_info = info
        self.saved.emit(info)
        self.accept()

    def _failed(self, message: str) -> None:
        self._pending = None
        self._set_saving(False)
        self._show_error(message)

    def done(self, result: int) -> None:
        # Closing while a request is out: stop waiting for it (the server may still apply it).
        if self._pending is not None and not self._pending.done():
            self._pending.cancel()
            self._pending = None
        self._validation_timer.stop()
        super().done(result)
