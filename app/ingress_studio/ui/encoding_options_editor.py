"""The audio and video options of an ingress: track name, source, and encoding (server default, a
preset, or custom settings with a layers editor for video)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any, TypeVar

from google.protobuf.message import Message
from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QTableWidget,
    QToolButton,
    QWidget,
)

from ingress_studio.ui.form_widgets import combo_data, combo_value, hint_label, make_combo, select_data

M = TypeVar("M", bound=Message)
TrackSource = models_pb.TrackSource
VIDEO_SOURCES = (
    ("Default", TrackSource.UNKNOWN),
    ("Camera", TrackSource.CAMERA),
    ("Screen share", TrackSource.SCREEN_SHARE),
)
AUDIO_SOURCES = (
    ("Default", TrackSource.UNKNOWN),
    ("Microphone", TrackSource.MICROPHONE),
    ("Screen share audio", TrackSource.SCREEN_SHARE_AUDIO),
)
VIDEO_CODECS = (
    ("Default", models_pb.VideoCodec.DEFAULT_VC),
    ("H.264 baseline", models_pb.VideoCodec.H264_BASELINE),
    ("VP8", models_pb.VideoCodec.VP8),
)
AUDIO_CODECS = (("Default", models_pb.AudioCodec.DEFAULT_AC), ("Opus", models_pb.AudioCodec.OPUS))
AUDIO_CHANNELS = (("Default", 0), ("Mono", 1), ("Stereo", 2))
QUALITIES = (
    ("Low", models_pb.VideoQuality.LOW),
    ("Medium", models_pb.VideoQuality.MEDIUM),
    ("High", models_pb.VideoQuality.HIGH),
)
# A new layer starts as a common size for its quality: (width, height, kbps).
LAYER_DEFAULTS: dict[int, tuple[int, int, int]] = {
    models_pb.VideoQuality.LOW: (640, 360, 500),
    models_pb.VideoQuality.MEDIUM: (960, 540, 1200),
    models_pb.VideoQuality.HIGH: (1280, 720, 2500),
}


class EncodingMode(IntEnum):
    SERVER_DEFAULT = 0
    PRESET = 1
    CUSTOM = 2


ENCODING_MODES = (
    ("Server default", EncodingMode.SERVER_DEFAULT),
    ("Preset", EncodingMode.PRESET),
    ("Custom", EncodingMode.CUSTOM),
)


def video_preset_label(name: str) -> str:
    """H264_1080P_30FPS_3_LAYERS_HIGH_MOTION → "1080p 30 fps, 3 layers (high motion)"."""
    match = re.fullmatch(r"H264_(\d+)P_(\d+)FPS_(\d+)_LAYERS?(_HIGH_MOTION)?", name)
    if match is None:
        return name.replace("_", " ").capitalize()
    height, fps, layers, motion = match.groups()
    text = f"{height}p {fps} fps, {layers} layer{'' if layers == '1' else 's'}"
    return text + (" (high motion)" if motion else "")


def audio_preset_label(name: str) -> str:
    """OPUS_STEREO_96KBPS → "Opus stereo, 96 kbps" (the enum spells one of them KBS)."""
    match = re.fullmatch(r"OPUS_(STEREO|MONO)_(\d+)KBP?S", name)
    if match is None:
        return name.replace("_", " ").capitalize()
    return f"Opus {match.group(1).lower()}, {match.group(2)} kbps"


class _OptionsEditor(QGroupBox):
    """Track name, source and encoding choice (server default / preset / custom) shared by audio and video."""

    changed = Signal()

    def __init__(self, title: str, sources: Iterable[tuple[str, int]], presets: Iterable[tuple[str, int]]) -> None:
        super().__init__(title)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Track name (optional)")
        self.source_combo = make_combo(sources)
        self.mode_combo = make_combo(ENCODING_MODES)
        self.preset_combo = make_combo(presets)
        self.stack = QStackedWidget()
        default_page = hint_label("The server picks the encoding.")
        self.stack.addWidget(default_page)
        preset_page = QWidget()
        preset_form = QFormLayout(preset_page)
        preset_form.setContentsMargins(0, 0, 0, 0)
        preset_form.addRow("Preset:", self.preset_combo)
        self.stack.addWidget(preset_page)
        self.custom_page = QWidget()
        self.custom_form = QFormLayout(self.custom_page)
        self.custom_form.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(self.custom_page)
        self.form = QFormLayout(self)
        self.form.addRow("Track name:", self.name_edit)
        self.form.addRow("Source:", self.source_combo)
        self.form.addRow("Encoding:", self.mode_combo)
        self.form.addRow(self.stack)
        self._encoding_allowed = True
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.name_edit.textChanged.connect(self._emit_changed)
        self.source_combo.currentIndexChanged.connect(self._emit_changed)
        self.preset_combo.currentIndexChanged.connect(self._emit_changed)

    def _emit_changed(self, *_: object) -> None:
        self.changed.emit()

    def _mode_changed(self) -> None:
        self.stack.setCurrentIndex(combo_data(self.mode_combo))
        self.changed.emit()

    def mode(self) -> EncodingMode:
        return EncodingMode(combo_data(self.mode_combo))

    def set_mode(self, mode: EncodingMode) -> None:
        select_data(self.mode_combo, mode)

    def set_encoding_allowed(self, allowed: bool) -> None:
        """Without transcoding the encoding choice does not apply: greyed out, kept for later, not sent."""
        self._encoding_allowed = allowed
        self.mode_combo.setEnabled(allowed)
        self.stack.setEnabled(allowed)

    @property
    def encoding_allowed(self) -> bool:
        return self._encoding_allowed

    def _remember_loaded(self, options: Message) -> None:
        """The widgets round some values (bitrate to kbps, frame rate to 2 decimals): remember what was
        loaded and what the widgets made of it, so an untouched form gives back the original exactly."""
        original = options.__class__()
        original.CopyFrom(options)
        self._loaded = (original, self._from_widgets())

    def _unchanged_or(self, built: M) -> M:
        loaded: tuple[Message, Message] | None = getattr(self, "_loaded", None)
        if loaded is None or built != loaded[1]:
            return built
        return built.__class__.FromString(loaded[0].SerializeToString())

    def _from_widgets(self) -> Any:
        raise NotImplementedError

    def _fill_common(self, options: Any) -> None:
        options.name = self.name_edit.text().strip()
        options.source = combo_data(self.source_combo)
        if not self._encoding_allowed:
            return
        if self.mode() == EncodingMode.PRESET:
            options.preset = combo_data(self.preset_combo)
        elif self.mode() == EncodingMode.CUSTOM:
            options.options.SetInParent()  # an all-default custom block is still a choice

    def _load_common(self, options: Any, preset_name: Callable[[int], str]) -> None:
        self.name_edit.setText(options.name)
        select_data(self.source_combo, options.source, TrackSource.Name)
        which = options.WhichOneof("encoding_options")
        if which == "preset":
            select_data(self.preset_combo, options.preset, preset_name)
            self.set_mode(EncodingMode.PRESET)
        elif which == "options":
            self.set_mode(EncodingMode.CUSTOM)
        else:
            self.set_mode(EncodingMode.SERVER_DEFAULT)


class AudioOptionsEditor(_OptionsEditor):
    def __init__(self) -> None:
        presets = [(audio_preset_label(n), v) for n, v in ingress_pb.IngressAudioEncodingPreset.items()]
        super().__init__("Audio", AUDIO_SOURCES, presets)
        self.codec_combo = make_combo(AUDIO_CODECS)
        self.bitrate_spin = QSpinBox()
        self.bitrate_spin.setRange(0, 1000)
        self.bitrate_spin.setSuffix(" kbps")
        self.bitrate_spin.setSpecialValueText("Default")
        self.dtx_check = QCheckBox("DTX: send almost nothing during silence")
        self.dtx_check.setChecked(True)  # the API's default (disable_dtx false)
        self.channels_combo = make_combo(AUDIO_CHANNELS)
        self.custom_form.addRow("Codec:", self.codec_combo)
        self.custom_form.addRow("Bitrate:", self.bitrate_spin)
        self.custom_form.addRow("Channels:", self.channels_combo)
        self.custom_form.addRow("", self.dtx_check)
        for signal in (
            self.codec_combo.currentIndexChanged,
            self.bitrate_spin.valueChanged,
            self.dtx_check.toggled,
            self.channels_combo.currentIndexChanged,
        ):
            signal.connect(self._emit_changed)

    def _from_widgets(self) -> ingress_pb.IngressAudioOptions:
        options = ingress_pb.IngressAudioOptions()
        self._fill_common(options)
        if options.HasField("options"):
            options.options.audio_codec = combo_value(self.codec_combo, models_pb.AudioCodec)
            options.options.bitrate = self.bitrate_spin.value() * 1000
            options.options.disable_dtx = not self.dtx_check.isChecked()
            options.options.channels = combo_data(self.channels_combo)
        return options

    def load(self, options: ingress_pb.IngressAudioOptions) -> None:
        self._load_common(options, ingress_pb.IngressAudioEncodingPreset.Name)
        custom = options.options
        select_data(self.codec_combo, custom.audio_codec, models_pb.AudioCodec.Name)
        self.bitrate_spin.setValue(round(custom.bitrate / 1000))
        self.dtx_check.setChecked(not custom.disable_dtx)
        select_data(self.channels_combo, custom.channels)
        self._remember_loaded(options)

    def options(self) -> ingress_pb.IngressAudioOptions:
        built = self._from_widgets()
        return self._unchanged_or(built)


class VideoOptionsEditor(_OptionsEditor):
    QUALITY_COLUMN, WIDTH_COLUMN, HEIGHT_COLUMN, BITRATE_COLUMN, REMOVE_COLUMN = range(5)

    def __init__(self) -> None:
        presets = [(video_preset_label(n), v) for n, v in ingress_pb.IngressVideoEncodingPreset.items()]
        super().__init__("Video", VIDEO_SOURCES, presets)
        self.codec_combo = make_combo(VIDEO_CODECS)
        self.frame_rate_spin = QDoubleSpinBox()
        self.frame_rate_spin.setRange(0, 240)
        self.frame_rate_spin.setDecimals(2)
        self.frame_rate_spin.setSuffix(" fps")
        self.frame_rate_spin.setSpecialValueText("Default")
        self.layers_table = QTableWidget(0, 5)
        # Units live in the header so the narrow cells show whole numbers.
        self.layers_table.setHorizontalHeaderLabels(["Quality", "Width px", "Height px", "kbps", ""])
        self.layers_table.verticalHeader().hide()
        self.layers_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.layers_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes through the cells' own editors
        header = self.layers_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Fixed: "to contents" would measure the header, not the combo box inside the cells.
        header.setSectionResizeMode(self.QUALITY_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(self.QUALITY_COLUMN, 96)
        header.setSectionResizeMode(self.REMOVE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.layers_table.setMinimumHeight(120)
        self.add_layer_button = QPushButton("Add layer")
        self.add_layer_button.setToolTip("Add a simulcast layer (one per quality)")
        self.add_layer_button.setAutoDefault(False)  # Enter in the form saves; it must not add layers
        self.add_layer_button.clicked.connect(lambda: self.add_layer())
        self.custom_form.addRow("Codec:", self.codec_combo)
        self.custom_form.addRow("Frame rate:", self.frame_rate_spin)
        self.custom_form.addRow("Layers:", self.layers_table)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_layer_button)
        add_row.addStretch(1)
        self.custom_form.addRow("", add_row)
        self.codec_combo.currentIndexChanged.connect(self._emit_changed)
        self.frame_rate_spin.valueChanged.connect(self._emit_changed)

    def layer_count(self) -> int:
        return self.layers_table.rowCount()

    def _cell(self, row: int, column: int) -> Any:
        return self.layers_table.cellWidget(row, column)

    def quality_combo(self, row: int) -> QComboBox:
        widget = self._cell(row, self.QUALITY_COLUMN)
        assert isinstance(widget, QComboBox)
        return widget

    def width_spin(self, row: int) -> QSpinBox:
        widget = self._cell(row, self.WIDTH_COLUMN)
        assert isinstance(widget, QSpinBox)
        return widget

    def height_spin(self, row: int) -> QSpinBox:
        widget = self._cell(row, self.HEIGHT_COLUMN)
        assert isinstance(widget, QSpinBox)
        return widget

    def bitrate_spin(self, row: int) -> QSpinBox:
        widget = self._cell(row, self.BITRATE_COLUMN)
        assert isinstance(widget, QSpinBox)
        return widget

    def remove_button(self, row: int) -> QToolButton:
        widget = self._cell(row, self.REMOVE_COLUMN)
        assert isinstance(widget, QToolButton)
        return widget

    def add_layer(
        self, quality: int | None = None, width: int | None = None, height: int | None = None, kbps: int | None = None
    ) -> int:
        """Append a row (the next unused quality and its usual size unless given); returns its index."""
        used = {combo_data(self.quality_combo(row)) for row in range(self.layer_count())}
        if quality is None:
            quality = next((int(q) for _, q in QUALITIES if int(q) not in used), int(models_pb.VideoQuality.HIGH))
        default_width, default_height, default_kbps = LAYER_DEFAULTS.get(quality, (1280, 720, 2500))
        row = self.layer_count()
        self.layers_table.insertRow(row)
        quality_combo = make_combo(QUALITIES)
        select_data(quality_combo, quality, models_pb.VideoQuality.Name)
        # 0 is allowed on purpose: the server's own message then says what is wrong with it.
        width_spin = self._dimension_spin(default_width if width is None else width)
        height_spin = self._dimension_spin(default_height if height is None else height)
        bitrate_spin = QSpinBox()
        bitrate_spin.setRange(0, 100_000)
        bitrate_spin.setSpecialValueText("Default")
        bitrate_spin.setValue(default_kbps if kbps is None else kbps)
        remove = QToolButton()
        remove.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon))
        remove.setAccessibleName("Remove layer")
        remove.setToolTip("Remove this layer")
        remove.clicked.connect(lambda: self._remove_row_of(remove))
        row_widgets: tuple[QWidget, ...] = (quality_combo, width_spin, height_spin, bitrate_spin, remove)
        # Tab walks the new row in place (widgets added later would otherwise come after Save/Cancel).
        previous: QWidget = self.remove_button(row - 1) if row > 0 else self.frame_rate_spin
        for column, widget in enumerate(row_widgets):
            self.layers_table.setCellWidget(row, column, widget)
            QWidget.setTabOrder(previous, widget)
            previous = widget
        QWidget.setTabOrder(previous, self.add_layer_button)
        quality_combo.currentIndexChanged.connect(self._emit_changed)
        for spin in (width_spin, height_spin, bitrate_spin):
            spin.valueChanged.connect(self._emit_changed)
        self._layers_changed()
        return row

    @staticmethod
    def _dimension_spin(value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, 7680)
        spin.setValue(value)
        return spin

    def remove_layer(self, row: int) -> None:
        self.layers_table.removeRow(row)
        self._layers_changed()

    def _remove_row_of(self, button: QToolButton) -> None:
        # rows shift as others are removed, so find the button's current row when it is clicked
        for row in range(self.layer_count()):
            if self._cell(row, self.REMOVE_COLUMN) is button:
                self.remove_layer(row)
                return

    def _layers_changed(self) -> None:
        self.add_layer_button.setEnabled(self.layer_count() < len(QUALITIES))
        self.changed.emit()

    def layers(self) -> list[models_pb.VideoLayer]:
        return [
            models_pb.VideoLayer(
                quality=combo_value(self.quality_combo(row), models_pb.VideoQuality),
                width=self.width_spin(row).value(),
                height=self.height_spin(row).value(),
                bitrate=self.bitrate_spin(row).value() * 1000,
            )
            for row in range(self.layer_count())
        ]

    def _from_widgets(self) -> ingress_pb.IngressVideoOptions:
        options = ingress_pb.IngressVideoOptions()
        self._fill_common(options)
        if options.HasField("options"):
            options.options.video_codec = combo_value(self.codec_combo, models_pb.VideoCodec)
            options.options.frame_rate = self.frame_rate_spin.value()
            options.options.layers.extend(self.layers())
        return options

    def load(self, options: ingress_pb.IngressVideoOptions) -> None:
        self._load_common(options, ingress_pb.IngressVideoEncodingPreset.Name)
        custom = options.options
        select_data(self.codec_combo, custom.video_codec, models_pb.VideoCodec.Name)
        self.frame_rate_spin.setValue(custom.frame_rate)
        while self.layer_count():
            self.layers_table.removeRow(0)
        for layer in custom.layers:
            self.add_layer(layer.quality, layer.width, layer.height, round(layer.bitrate / 1000))
        self._layers_changed()
        self._remember_loaded(options)

    def options(self) -> ingress_pb.IngressVideoOptions:
        built = self._from_widgets()
        return self._unchanged_or(built)
