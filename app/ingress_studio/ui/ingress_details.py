"""The selected ingress in full: its live state, its settings, and what to type into an encoder."""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.display.encoder_settings import (
    MASK,
    encoder_settings,
    ffmpeg_example,
    settings_text,
    settings_title,
)
from ingress_studio.display.ingress_view import audio_summary, badge_of, current_error, video_summary
from ingress_studio.display.time_text import local_time_text
from ingress_studio.domain.ingress_kinds import INPUT_TYPE_LABELS, is_enabled, is_live
from ingress_studio.ui.arrival_preview_view import ArrivalPreviewView
from ingress_studio.ui.status_colours import status_colour

_TRACK_TYPES = {models_pb.TrackType.AUDIO: "Audio", models_pb.TrackType.VIDEO: "Video"}
COPIED_FEEDBACK_MS = 1500
DETAILS_MIN_WIDTH = 340


def copied_feedback(button: QToolButton | QPushButton) -> None:
    """Say "Copied" on the button for a moment: a copy has no other visible effect."""
    original = button.property("idle-text") or button.text()
    button.setProperty("idle-text", original)
    button.setText("Copied ✓")
    QTimer.singleShot(COPIED_FEEDBACK_MS, button, lambda: button.setText(str(original)))  # none if it is gone


def _value_label() -> QLabel:
    label = QLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _options_text(info: ingress_pb.IngressInfo, kind: str) -> str:
    options = info.video if kind == "video" else info.audio
    presets = ingress_pb.IngressVideoEncodingPreset if kind == "video" else ingress_pb.IngressAudioEncodingPreset
    parts = []
    if options.name:
        parts.append(f"track “{options.name}”")
    if options.source:
        parts.append(models_pb.TrackSource.Name(options.source).lower().replace("_", " "))
    if options.HasField("preset"):
        parts.append(presets.Name(options.preset))
    elif options.HasField("options"):
        parts.append("custom encoding")
    return ", ".join(parts) or "server default"


class _CopyableSecret(QWidget):
    """A value with a copy button; secrets are masked until revealed."""

    def __init__(self) -> None:
        super().__init__()
        self.value = ""
        self.secret = False
        self.revealed = False
        self.text = _value_label()
        self.reveal_button = QToolButton()
        self.reveal_button.setText("Show")
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self._reveal)
        self.copy_button = QToolButton()
        self.copy_button.setText("Copy")
        self.copy_button.clicked.connect(self.copy)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.reveal_button)
        row.addWidget(self.copy_button)

    def copy(self) -> None:
        if self.value:
            QGuiApplication.clipboard().setText(self.value)
            copied_feedback(self.copy_button)

    def set(self, value: str, secret: bool) -> None:
        self.value, self.secret = value, secret
        self.reveal_button.setVisible(secret and bool(value))
        self.copy_button.setEnabled(bool(value))
        self._show()

    def _reveal(self, revealed: bool) -> None:
        self.revealed = revealed
        self.reveal_button.setText("Hide" if revealed else "Show")
        self._show()

    def _show(self) -> None:
        masked = self.secret and self.value and not self.revealed
        self.text.setText(MASK if masked else self.value)


class IngressDetails(QScrollArea):
    """Shows one IngressInfo; `show_info` updates the labels in place (no flicker while live)."""

    edit_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Everything wraps or scales to the panel's width: scroll down, never sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(DETAILS_MIN_WIDTH)
        self.info: ingress_pb.IngressInfo | None = None
        self._pages = QStackedWidget()
        self.setWidget(self._pages)
        self.placeholder = QLabel(
            "<p>Select an ingress to see its live state<br>and the settings to paste into your encoder.</p>"
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)  # the style's muted colour
        self._pages.addWidget(self.placeholder)
        body = self._body = QWidget()
        self._pages.addWidget(body)
        column = QVBoxLayout(body)

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.status_badge = QLabel()
        self.status_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.status_badge)
        column.addLayout(header)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(
            "QLabel { background: #fdecea; color: #8e1b10; border: 1px solid #e6a39b;"
            " border-radius: 4px; padding: 6px; }"
        )
        column.addWidget(self.error_label)
        self.preview = ArrivalPreviewView()
        column.addWidget(self.preview)

        encoder = self.encoder_box = QGroupBox("Encoder settings (OBS, FFmpeg)")
        encoder_form = QFormLayout(encoder)
        self.server_label = QLabel("Server")
        self.server_value = _CopyableSecret()
        self.key_label = QLabel("Stream Key")
        self.key_value = _CopyableSecret()
        encoder_form.addRow(self.server_label, self.server_value)
        encoder_form.addRow(self.key_label, self.key_value)
        self.example = QPlainTextEdit()
        self.example.setReadOnly(True)
        self.example.setMaximumHeight(54)
        self.example_label = QLabel("Example")
        encoder_form.addRow(self.example_label, self.example)
        self.copy_all_button = QPushButton("Copy all settings")
        self.copy_all_button.clicked.connect(self._copy_all)
        encoder_form.addRow("", self.copy_all_button)
        self.key_value.reveal_button.toggled.connect(lambda _checked: self._refresh_example())
        column.addWidget(encoder)

        state_box = self.state_box = QGroupBox("Live state")
        self.state_form = QFormLayout(state_box)
        self.state_values: dict[str, QLabel] = {}
        for label in (
            "Status",
            "Input video",
            "Input audio",
            "Started",
            "Ended",
            "Updated",
            "Resource ID",
            "Room ID",
            "Tracks",
        ):
            self.state_values[label] = _value_label()
            self.state_form.addRow(label, self.state_values[label])
        column.addWidget(state_box)

        settings_box = QGroupBox("Ingress")
        settings_form = QFormLayout(settings_box)
        self.setting_values: dict[str, QLabel] = {}
        for label in (
            "Ingress ID",
            "Type",
            "Room",
            "Participant identity",
            "Participant name",
            "Participant metadata",
            "Transcoding",
            "Enabled",
            "Reusable",
            "Video",
            "Audio",
        ):
            self.setting_values[label] = _value_label()
            settings_form.addRow(label, self.setting_values[label])
        column.addWidget(settings_box)
        column.addStretch(1)
        self.show_info(None)

    def show_info(self, info: ingress_pb.IngressInfo | None) -> None:
        if info is None or self.info is None or info.ingress_id != self.info.ingress_id:
            self.key_value.reveal_button.setChecked(False)  # a revealed key never carries over to another
            self.verticalScrollBar().setValue(0)  # another ingress starts at its name and status
        self.info = info
        self._pages.setCurrentWidget(self._body if info is not None else self.placeholder)
        if info is None:
            return
        state = info.state
        self.title.setText(f"<h3>{_escape(info.name or '(unnamed)')}</h3>")
        status, badge = badge_of(info)
        self.status_badge.setText(f" {status} ")
        self.status_badge.setStyleSheet(
            f"QLabel {{ background: {status_colour(badge).name()}; color: white; border-radius: 8px;"
            " padding: 2px 10px; font-weight: bold; }"
        )
        error = current_error(info)
        self.error_label.setVisible(bool(error))
        self.error_label.setText(f"Error: {error}")

        self.encoder_box.setTitle(settings_title(info))
        settings = encoder_settings(info)
        self.server_label.setText(settings[0].label)
        self.server_value.set(settings[0].value, settings[0].secret)
        has_key = len(settings) > 1
        self.key_label.setVisible(has_key)
        self.key_value.setVisible(has_key)
        if has_key:
            self.key_label.setText(settings[1].label)
            self.key_value.set(settings[1].value, settings[1].secret)
        self._refresh_example()

        values = self.state_values
        live = is_live(info)
        # Between sessions the input rows are the last session's, and the box says so.
        self.state_box.setTitle("Live state" if live or not state.started_at else "Last session")
        values["Status"].setText(status)
        values["Input video"].setText(_with_codec(state.video.mime_type, video_summary(state.video)))
        values["Input audio"].setText(audio_summary(state.audio) or "—")
        values["Started"].setText(local_time_text(state.started_at) or "—")
        values["Ended"].setText(local_time_text(state.ended_at) or "—")
        values["Updated"].setText(local_time_text(state.updated_at) or "—")
        values["Resource ID"].setText(state.resource_id or "—")
        values["Room ID"].setText(state.room_id or "—")
        values["Tracks"].setText("\n".join(_track_text(track) for track in state.tracks) or "—")

        settings_values = self.setting_values
        settings_values["Ingress ID"].setText(info.ingress_id)
        settings_values["Type"].setText(INPUT_TYPE_LABELS.get(info.input_type, str(info.input_type)))
        settings_values["Room"].setText(info.room_name)
        settings_values["Participant identity"].setText(info.participant_identity)
        settings_values["Participant name"].setText(info.participant_name or "—")
        settings_values["Participant metadata"].setText(info.participant_metadata or "—")
        settings_values["Transcoding"].setText("On" if info.enable_transcoding else "Off (media passes through)")
        settings_values["Enabled"].setText("Yes" if is_enabled(info) else "No (publishers are refused)")
        settings_values["Reusable"].setText("Yes" if info.reusable else "No (runs once)")
        settings_values["Video"].setText(_options_text(info, "video"))
        settings_values["Audio"].setText(_options_text(info, "audio"))

    def _refresh_example(self) -> None:
        example = ffmpeg_example(self.info, self.key_value.revealed) if self.info else ""
        self.example.setVisible(bool(example))
        self.example_label.setVisible(bool(example))
        if self.example.toPlainText() != example:
            self.example.setPlainText(example)

    def _copy_all(self) -> None:
        if self.info is not None:
            QGuiApplication.clipboard().setText(settings_text(self.info))
            copied_feedback(self.copy_all_button)

    def copy_url(self) -> None:
        self.server_value.copy()

    def copy_key(self) -> None:
        self.key_value.copy()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _with_codec(mime_type: str, summary: str) -> str:
    codec = mime_type.split("/")[-1] if mime_type else ""
    return " · ".join(part for part in (codec, summary) if part) or "—"


def _track_text(track: models_pb.TrackInfo) -> str:
    """ "Video: H264 1280x720, simulcast · TR_…" — the kind once, the codec without its "video/" prefix."""
    kind = _TRACK_TYPES.get(track.type, "Track")
    name = f" “{track.name}”" if track.name else ""
    codec = track.mime_type.split("/")[-1]
    size = f" {track.width}x{track.height}" if track.width else ""
    details = [part for part in ((codec + size).strip(), "simulcast" if track.simulcast else "") if part]
    return f"{kind}{name}: {', '.join(details)} · {track.sid}" if details else f"{kind}{name} · {track.sid}"
