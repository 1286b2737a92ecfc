"""The ingress form's fields: the widgets for every API field, how they show an ingress, what they hold,
and which of them apply to the chosen input type. A mixin of IngressDialog, which adds the behaviour
(validation as you type, saving); the rules themselves are the IngressEdit controller's and the server's."""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.controllers.ingress_edit import STRING_FIELDS, IngressForm
from ingress_studio.domain.ingress_kinds import INPUT_TYPE_LABELS
from ingress_studio.domain.validation import transcoding_enabled
from ingress_studio.ui.encoding_options_editor import AudioOptionsEditor, VideoOptionsEditor
from ingress_studio.ui.form_errors import FormErrors, error_label
from ingress_studio.ui.form_widgets import combo_value, hint_label, make_combo, select_data

RTMP_INPUT = ingress_pb.IngressInput.RTMP_INPUT
WHIP_INPUT = ingress_pb.IngressInput.WHIP_INPUT
URL_INPUT = ingress_pb.IngressInput.URL_INPUT

ALWAYS_TRANSCODED = "RTMP and URL inputs are always transcoded"
WHIP_TRANSCODING_HINT = "Optional for WHIP: when off, the publisher's tracks are forwarded as they are"
ENCODING_NEEDS_TRANSCODING = "Encoding settings apply only when transcoding is on; they are not sent now."

TYPE_HINTS: dict[int, str] = {
    RTMP_INPUT: "Push from OBS or a hardware encoder to the server URL with a stream key.",
    WHIP_INPUT: "Push over WebRTC (WHIP) from OBS or a browser; lowest latency.",
    URL_INPUT: "The server pulls a file or stream (http, https or srt) and starts at once.",
}


class IngressFormFields:
    """Builds the fields into `self` (a QDialog) and reads and writes them."""

    editing: bool
    _whip_transcoding: bool  # WHIP's own choice, restored when switching back from RTMP/URL

    def _build_fields(self) -> QWidget:
        """The two columns (general fields; audio and video options) as one widget."""
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
        self.error_label = error_label()
        self.error_label.hide()
        self.errors = FormErrors(self.form, self.error_label, self)  # type: ignore[arg-type] # a QDialog
        for field in (self.url_edit, self.room_edit, self.identity_edit, self.enabled_check):
            self.errors.add_field(field)
        self.errors.add_field(self.transcoding_check, anchor=transcoding_box)

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
        return self.form_area

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

    def _reveal_key(self, revealed: bool) -> None:
        self.stream_key_edit.setEchoMode(QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password)
        self.show_key_button.setText("Hide" if revealed else "Show")

    def input_type(self) -> ingress_pb.IngressInput:
        return combo_value(self.type_combo, ingress_pb.IngressInput)

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

    def form_values(self) -> IngressForm:
        """The widgets' values, for the controller."""
        return IngressForm(
            input_type=self.input_type(),
            url=self.url_edit.text().strip(),
            strings={field: self._text(edit) for field, _, edit in self._string_edits()},
            transcoding=self.transcoding_check.isChecked(),
            enabled=self.enabled_check.isChecked(),
            audio=self.audio_group.options(),
            video=self.video_group.options(),
        )
