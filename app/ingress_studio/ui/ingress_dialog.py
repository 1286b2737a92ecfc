"""The create/edit form for one ingress: every field the API has, checked with the server's own rules as you type.

The dialog builds a CreateIngressRequest or UpdateIngressRequest from the form, runs the client-side port of
the server's validation on it and shows the server's exact message before anything is sent. Sending runs on
the qasync loop (`asyncio.ensure_future`); an ApiError stays in the dialog with every field kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.api.errors import ApiError
from ingress_studio.display.validation_messages import Field, explain
from ingress_studio.domain.ingress_kinds import INPUT_TYPE_LABELS
from ingress_studio.domain.proto_fields import merge_update
from ingress_studio.domain.validation import (
    IngressValidationError,
    transcoding_enabled,
    validate_create_request,
    validate_info,
    validate_update_request,
)
from ingress_studio.ui.encoding_options_editor import AudioOptionsEditor, VideoOptionsEditor
from ingress_studio.ui.form_widgets import combo_value, hint_label, make_combo, select_data

log = logging.getLogger(__name__)

RTMP_INPUT = ingress_pb.IngressInput.RTMP_INPUT
WHIP_INPUT = ingress_pb.IngressInput.WHIP_INPUT
URL_INPUT = ingress_pb.IngressInput.URL_INPUT

CreateSubmit = Callable[[ingress_pb.CreateIngressRequest], Awaitable[ingress_pb.IngressInfo]]
UpdateSubmit = Callable[[ingress_pb.UpdateIngressRequest], Awaitable[ingress_pb.IngressInfo]]

LIVE_WARNING = "This ingress is live: saving ends the current session and the encoder must reconnect."
ALWAYS_TRANSCODED = "RTMP and URL inputs are always transcoded"
WHIP_TRANSCODING_HINT = "Optional for WHIP: when off, the publisher's tracks are forwarded as they are"
ENCODING_NEEDS_TRANSCODING = "Encoding settings apply only when transcoding is on; they are not sent now."
SAVING = "Saving…"
VALIDATION_DELAY_MS = 250

TYPE_HINTS: dict[int, str] = {
    RTMP_INPUT: "Push from OBS or a hardware encoder to the server URL with a stream key.",
    WHIP_INPUT: "Push over WebRTC (WHIP) from OBS or a browser; lowest latency.",
    URL_INPUT: "The server pulls a file or stream (http, https or srt) and starts at once.",
}

# (request/info field, label) of the plain strings; update can overwrite them but never clear them.
STRING_FIELDS = (
    ("name", "Name"),
    ("room_name", "Room"),
    ("participant_identity", "Participant identity"),
    ("participant_name", "Participant name"),
    ("participant_metadata", "Participant metadata"),
)


def _present(message: Any) -> bool:
    return bool(message.ListFields())


class IngressDialog(QDialog):
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
        self.original = ingress_pb.IngressInfo()
        self.editing = original is not None
        if original is not None:
            self.original.CopyFrom(original)
        self.live = live
        self._submit_create = submit_create
        self._submit_update = submit_update
        self.result_info: ingress_pb.IngressInfo | None = None
        self._pending: asyncio.Future[None] | None = None
        self._loading = True
        self._touched = False  # no complaints before the user has done anything
        self._whip_transcoding = False  # WHIP's own choice, restored when switching back from RTMP/URL
        self.invalid_widget: QWidget | None = None
        self._warning_actions: dict[QLineEdit, QAction] = {}
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

        general = QGroupBox("Ingress")
        general_box = QVBoxLayout(general)
        self.form = QFormLayout()
        general_box.addLayout(self.form)
        general_box.addStretch(1)  # spare height goes below the fields, not between them
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type_combo = make_combo(tuple((label, kind) for kind, label in INPUT_TYPE_LABELS.items()))
        self.type_combo.setToolTip("How media reaches the server; it cannot be changed later")
        self.type_hint_label = hint_label()
        type_box = QVBoxLayout()
        type_box.addWidget(self.type_combo)
        type_box.addWidget(self.type_hint_label)
        self.form.addRow("Input type:", type_box)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://example.com/stream.m3u8 or srt://host:port")
        self.form.addRow("&URL:", self.url_edit)
        self.stream_key_edit = QLineEdit()
        self.stream_key_edit.setReadOnly(True)
        self.stream_key_edit.setEchoMode(QLineEdit.EchoMode.Password)  # masked, as in the details panel
        self.stream_key_edit.setToolTip("It never changes: delete and recreate the ingress for a new one")
        self.show_key_button = QToolButton()
        self.show_key_button.setText("Show")
        self.show_key_button.setCheckable(True)
        self.show_key_button.toggled.connect(self._reveal_key)
        self.stream_key_row = QWidget()
        key_row = QHBoxLayout(self.stream_key_row)
        key_row.setContentsMargins(0, 0, 0, 0)
        key_row.addWidget(self.stream_key_edit, 1)
        key_row.addWidget(self.show_key_button)
        self.form.addRow("Stream key:", self.stream_key_row)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Studio camera")
        self.form.addRow("&Name:", self.name_edit)
        self.room_edit = QLineEdit()
        self.room_edit.setPlaceholderText("The room the ingress publishes into")
        self.form.addRow("&Room:", self.room_edit)
        self.identity_edit = QLineEdit()
        self.identity_edit.setPlaceholderText("Required, e.g. studio-camera")
        self.form.addRow("Participant &identity:", self.identity_edit)
        self.participant_name_edit = QLineEdit()
        self.participant_name_edit.setPlaceholderText("Shown to others (optional)")
        self.form.addRow("Participant na&me:", self.participant_name_edit)
        self.metadata_edit = QPlainTextEdit()
        self.metadata_edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.metadata_edit.setPlaceholderText("Free text or JSON for your app (optional)")
        self.metadata_edit.setFixedHeight(72)
        self.form.addRow("Participant metad&ata:", self.metadata_edit)
        self.transcoding_check = QCheckBox("Enable transcoding")
        self.transcoding_reason_label = hint_label()
        transcoding_box = QVBoxLayout()
        transcoding_box.addWidget(self.transcoding_check)
        transcoding_box.addWidget(self.transcoding_reason_label)
        self.form.addRow("Transcoding:", transcoding_box)
        self.enabled_check = QCheckBox("Enabled (accepts publishers)")
        self.enabled_check.setChecked(True)
        self.form.addRow("State:", self.enabled_check)
        self._field_errors: dict[QWidget, QLabel] = {}
        for field in (self.url_edit, self.room_edit, self.identity_edit, self.enabled_check):
            self._add_field_error(field)
        self._add_field_error(self.transcoding_check, anchor=transcoding_box)

        self.encoding_reason_label = hint_label(ENCODING_NEEDS_TRANSCODING)
        self.audio_group = AudioOptionsEditor()
        self.video_group = VideoOptionsEditor()
        media = QVBoxLayout()
        media.addWidget(self.encoding_reason_label)
        media.addWidget(self.audio_group)
        media.addWidget(self.video_group)
        media.addStretch(1)

        columns = QHBoxLayout()
        columns.addWidget(general, 1)
        columns.addLayout(media, 1)
        self.form_area = QWidget()
        self.form_area.setLayout(columns)

        self.clear_hint_label = QLabel()
        self.clear_hint_label.setWordWrap(True)
        self.clear_hint_label.hide()
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # a server's words (a URL, say) are never markup
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("QLabel { color: #c62828; }")
        self.error_label.hide()
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

        # Aliases so callers and tests can reach the media widgets directly.
        self.audio_name_edit = self.audio_group.name_edit
        self.audio_source_combo = self.audio_group.source_combo
        self.audio_mode_combo = self.audio_group.mode_combo
        self.audio_preset_combo = self.audio_group.preset_combo
        self.audio_codec_combo = self.audio_group.codec_combo
        self.audio_bitrate_spin = self.audio_group.bitrate_spin
        self.audio_dtx_check = self.audio_group.dtx_check
        self.audio_channels_combo = self.audio_group.channels_combo
        self.video_name_edit = self.video_group.name_edit
        self.video_source_combo = self.video_group.source_combo
        self.video_mode_combo = self.video_group.mode_combo
        self.video_preset_combo = self.video_group.preset_combo
        self.video_codec_combo = self.video_group.codec_combo
        self.video_frame_rate_spin = self.video_group.frame_rate_spin
        self.layers_table = self.video_group.layers_table
        self.add_layer_button = self.video_group.add_layer_button

        if self.editing:
            self.type_combo.setEnabled(False)
            self.url_edit.setReadOnly(True)
            self.url_edit.setToolTip("The URL never changes")
            self.name_edit.setFocus()

    def _string_edits(self) -> list[tuple[str, str, QLineEdit | QPlainTextEdit]]:
        edits: tuple[QLineEdit | QPlainTextEdit, ...] = (
            self.name_edit,
            self.room_edit,
            self.identity_edit,
            self.participant_name_edit,
            self.metadata_edit,
        )
        return [(field, label, edit) for (field, label), edit in zip(STRING_FIELDS, edits, strict=True)]

    @staticmethod
    def _text(edit: QLineEdit | QPlainTextEdit) -> str:
        # Stray spaces in a room or identity would silently name another room; metadata is kept verbatim.
        if isinstance(edit, QPlainTextEdit):
            return edit.toPlainText()
        return edit.text().strip()

    def _load(self, info: ingress_pb.IngressInfo, copy: bool) -> None:
        select_data(self.type_combo, info.input_type, ingress_pb.IngressInput.Name)
        self.url_edit.setText(info.url)
        self.stream_key_edit.setText(info.stream_key)
        for field, _, edit in self._string_edits():
            value = getattr(info, field)
            if isinstance(edit, QPlainTextEdit):
                edit.setPlainText(value)
            else:
                edit.setText(value)
        if copy and info.name:
            self.name_edit.setText(f"{info.name} (copy)")
        effective = transcoding_enabled(info)
        self._whip_transcoding = effective if info.input_type == WHIP_INPUT else False
        self.transcoding_check.setChecked(effective)
        self.enabled_check.setChecked(info.enabled if info.HasField("enabled") else True)
        self.audio_group.load(info.audio)
        self.video_group.load(info.video)

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

    def _reveal_key(self, revealed: bool) -> None:
        self.stream_key_edit.setEchoMode(QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password)
        self.show_key_button.setText("Hide" if revealed else "Show")

    def input_type(self) -> ingress_pb.IngressInput:
        return combo_value(self.type_combo, ingress_pb.IngressInput)

    def _on_type_changed(self) -> None:
        self._refresh_dependent_state()
        self._on_changed()

    def _on_transcoding_toggled(self, checked: bool) -> None:
        if self.input_type() == WHIP_INPUT:
            self._whip_transcoding = checked
        self._refresh_dependent_state()
        self._on_changed()

    def _refresh_dependent_state(self) -> None:
        kind = self.input_type()
        self.type_hint_label.setText(TYPE_HINTS.get(kind, ""))
        # Editing shows the (read-only) URL for every type: for RTMP/WHIP it is where the encoder pushes.
        self.form.setRowVisible(self.url_edit, kind == URL_INPUT or self.editing)
        self.form.setRowVisible(self.stream_key_row, self.editing and kind != URL_INPUT)
        # The server takes an RTMP/WHIP ingress without a room, then refuses every publish until it has one.
        self.room_edit.setPlaceholderText(
            "Required: the room the ingress publishes into" if kind == URL_INPUT else "Needed before anyone can publish"
        )
        key_label = self.form.labelForField(self.stream_key_row)
        if isinstance(key_label, QLabel):
            key_label.setText("Bearer token:" if kind == WHIP_INPUT else "Stream key:")
        self.transcoding_check.blockSignals(True)
        if kind == WHIP_INPUT:
            self.transcoding_check.setEnabled(True)
            self.transcoding_check.setChecked(self._whip_transcoding)
            self.transcoding_reason_label.setText(WHIP_TRANSCODING_HINT)
        else:
            self.transcoding_check.setEnabled(False)
            self.transcoding_check.setChecked(True)
            self.transcoding_reason_label.setText(ALWAYS_TRANSCODED)
        self.transcoding_check.blockSignals(False)
        allowed = self.transcoding_check.isChecked()
        self.audio_group.set_encoding_allowed(allowed)
        self.video_group.set_encoding_allowed(allowed)
        self.encoding_reason_label.setVisible(not allowed)

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._touched = True
        self._update_clear_hint()
        self._validation_timer.start()

    def _update_clear_hint(self) -> None:
        if not self.editing:
            return
        cleared = [
            label
            for field, label, edit in self._string_edits()
            if getattr(self.original, field) and not self._text(edit)
        ]
        if cleared:
            names = ", ".join(cleared)
            self.clear_hint_label.setText(
                f"The API cannot clear a field: {names} will keep {'its' if len(cleared) == 1 else 'their'} current "
                "value if left empty."
            )
        self.clear_hint_label.setVisible(bool(cleared))

    # -- requests -----------------------------------------------------------------------------------------------

    def build_create_request(self) -> ingress_pb.CreateIngressRequest:
        kind = self.input_type()
        request = ingress_pb.CreateIngressRequest(input_type=kind)
        for field, _, edit in self._string_edits():
            setattr(request, field, self._text(edit))
        if kind == URL_INPUT:
            request.url = self.url_edit.text().strip()
        if kind == WHIP_INPUT:
            # RTMP/URL leave it unset (the server's "on"); WHIP states the choice either way.
            request.enable_transcoding = self.transcoding_check.isChecked()
        request.enabled = self.enabled_check.isChecked()
        audio = self.audio_group.options()
        if _present(audio):
            request.audio.CopyFrom(audio)
        video = self.video_group.options()
        if _present(video):
            request.video.CopyFrom(video)
        return request

    def build_update_request(self) -> ingress_pb.UpdateIngressRequest:
        """Only what changed: strings that differ (an empty one cannot clear), options whole, flags if changed."""
        original = self.original
        request = ingress_pb.UpdateIngressRequest(ingress_id=original.ingress_id)
        for field, _, edit in self._string_edits():
            value = self._text(edit)
            if value and value != getattr(original, field):
                setattr(request, field, value)
        if original.input_type == WHIP_INPUT and self.transcoding_check.isChecked() != transcoding_enabled(original):
            request.enable_transcoding = self.transcoding_check.isChecked()
        stored_enabled = original.enabled if original.HasField("enabled") else True
        if self.enabled_check.isChecked() != stored_enabled:
            request.enabled = self.enabled_check.isChecked()
        # An empty-but-present message is sent when the form drops options the ingress has: that clears them.
        audio = self.audio_group.options()
        if audio != original.audio:
            request.audio.SetInParent()
            request.audio.CopyFrom(audio)
        video = self.video_group.options()
        if video != original.video:
            request.video.SetInParent()
            request.video.CopyFrom(video)
        return request

    def _needs_transcoding_first(self, request: ingress_pb.UpdateIngressRequest) -> bool:
        """A WHIP ingress made without transcoding keeps the deprecated bypass flag, which the server checks
        before it looks at enable_transcoding: turning transcoding on *and* choosing encoding in one update is
        refused, so that takes two updates."""
        if not (self.original.bypass_transcoding and request.HasField("enable_transcoding")):
            return False
        if not request.enable_transcoding:
            return False
        return any(
            request.HasField(kind) and getattr(request, kind).WhichOneof("encoding_options") is not None
            for kind in ("audio", "video")
        )

    def _merged(self, request: ingress_pb.UpdateIngressRequest) -> ingress_pb.IngressInfo:
        """The ingress as the server will hold it after this update (what it validates)."""
        merged = ingress_pb.IngressInfo()
        merged.CopyFrom(self.original)
        merge_update(request, merged)
        if request.HasField("enable_transcoding"):
            merged.bypass_transcoding = not request.enable_transcoding  # after the first of two updates
        return merged

    def current_error(self) -> str:
        """The server's message for the request the form would send now, or "" when it would be accepted."""
        try:
            if self.editing:
                request = self.build_update_request()
                validate_update_request(request)
                validate_info(self._merged(request), require_room=False)
            else:
                validate_create_request(self.build_create_request())
        except IngressValidationError as exc:
            return exc.message
        return ""

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
        """A person's sentence, at the field where the form has a row for it; the server's words as a tooltip."""
        if not server_words:
            self._show_error("")
            return
        problem = explain(server_words)
        widget = self._widget_for(problem.field)
        inline = self._field_errors.get(widget) if widget is not None else None
        tooltip = f"The server's words: “{server_words}”"
        if inline is not None:
            self._show_error("", widget)
            inline.setText(problem.sentence)
            inline.setToolTip(tooltip)
            self._set_field_error_visible(inline, True)
        else:
            self._show_error(problem.sentence, widget, tooltip)

    def _show_error(self, message: str, widget: QWidget | None = None, tooltip: str = "") -> None:
        self.error_label.setText(message)
        self.error_label.setToolTip(tooltip)
        self.error_label.setVisible(bool(message))
        for label in self._field_errors.values():
            self._set_field_error_visible(label, False)
        self._mark_invalid(widget)

    def _set_field_error_visible(self, label: QLabel, visible: bool) -> None:
        self.form.setRowVisible(label, visible)

    def field_error(self) -> str:
        """The sentence shown at a field, or "" (for tests and accessibility)."""
        return next((label.text() for label in self._field_errors.values() if label.isVisibleTo(self)), "")

    def _add_field_error(self, field: QWidget, anchor: QWidget | QLayout | None = None) -> None:
        """A red line under a form row, shown when a message is about that row's field."""
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setStyleSheet("QLabel { color: #c62828; }")
        anchor = anchor or field
        position = (
            self.form.getLayoutPosition(anchor) if isinstance(anchor, QLayout) else self.form.getWidgetPosition(anchor)
        )
        row = int(position[0])  # type: ignore[index] # PySide6 types the (row, role) pair as object
        self.form.insertRow(row + 1, "", label)
        self.form.setRowVisible(label, False)
        self._field_errors[field] = label

    def _mark_invalid(self, widget: QWidget | None) -> None:
        self.invalid_widget = widget
        for edit, action in self._warning_actions.items():
            action.setVisible(edit is widget)
        if isinstance(widget, QLineEdit) and widget not in self._warning_actions:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            action = widget.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
            action.setToolTip("See the message under this field")
            self._warning_actions[widget] = action

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
        if self.editing:
            assert self._submit_update is not None
            self._pending = asyncio.ensure_future(self._send_update(self._submit_update, self.build_update_request()))
        else:
            assert self._submit_create is not None
            self._pending = asyncio.ensure_future(self._send_create(self._submit_create, self.build_create_request()))
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
            self.error_label.setStyleSheet("QLabel { color: #c62828; }")

    async def _send_create(self, submit: CreateSubmit, request: ingress_pb.CreateIngressRequest) -> None:
        await self._finish(submit(request))

    async def _send_update(self, submit: UpdateSubmit, request: ingress_pb.UpdateIngressRequest) -> None:
        async def both() -> ingress_pb.IngressInfo:
            if self._needs_transcoding_first(request):
                first = ingress_pb.UpdateIngressRequest(ingress_id=request.ingress_id, enable_transcoding=True)
                # remembered, so a retry after a failed second step starts from what the server now holds
                self.original.CopyFrom(await submit(first))
                request.ClearField("enable_transcoding")
            return await submit(request)

        await self._finish(both())

    async def _finish(self, call: Awaitable[ingress_pb.IngressInfo]) -> None:
        try:
            info = await call
        except asyncio.CancelledError:
            raise
        except ApiError as exc:
            self._failed(exc.message)
            if exc.server_words and explain(exc.server_words).field is not Field.NONE:
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
