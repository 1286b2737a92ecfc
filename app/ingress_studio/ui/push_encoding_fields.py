"""How the Go-live panel encodes: the profile (by default what the ingress expects, with why) and, folded
away, the advanced settings: video bitrate, keyframe interval, x264 preset, the clock stamp."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ingress_studio.controllers.push_plan import PushEncoding
from ingress_studio.domain.encoding_presets import (
    AUDIO_PROFILES,
    DEFAULT_X264_PRESET,
    KEYFRAME_INTERVAL_RANGE_S,
    VIDEO_PROFILES,
    X264_PRESETS,
)

AUTOMATIC = "Automatic"


class PushEncodingFields(QWidget):
    changed = Signal()

    def __init__(self, form: QFormLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._expected_video: str | None = None
        self._expected_shown: tuple[str | None, str | None, str] | None = None
        self.profile = QComboBox()
        self.audio_profile = QComboBox()
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText("Advanced ▸")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.setToolTip("Video bitrate, keyframe interval, x264 preset, clock stamp")
        self.advanced = QWidget()
        self.bitrate = QSpinBox()
        self.bitrate.setRange(0, 100_000)
        self.bitrate.setSingleStep(100)
        self.bitrate.setSuffix(" kbps")
        self.bitrate.setSpecialValueText("The profile's")
        self.keyframe = QDoubleSpinBox()
        self.keyframe.setRange(0, KEYFRAME_INTERVAL_RANGE_S[1])
        self.keyframe.setSingleStep(0.5)
        self.keyframe.setDecimals(1)
        self.keyframe.setSuffix(" s")
        self.keyframe.setSpecialValueText("Automatic (2 s RTMP, 1 s WHIP)")
        self.preset = QComboBox()
        self.preset.addItems(X264_PRESETS)
        self.preset.setCurrentText(DEFAULT_X264_PRESET)
        self.preset.setToolTip("Faster presets use less CPU for a little less quality at the same bitrate")
        advanced = QFormLayout(self.advanced)
        advanced.setContentsMargins(0, 0, 0, 0)
        advanced.addRow("Video bitrate:", self.bitrate)
        advanced.addRow("Keyframe every:", self.keyframe)
        advanced.addRow("x264 preset:", self.preset)
        self.stamp_clock = QCheckBox("Stamp the clock")
        self.stamp_clock.setToolTip(
            "Draws each picture's capture time as a row of blocks along its top edge, so that the room's "
            "viewers (and the stats) can show the glass-to-glass latency. It always re-encodes."
        )
        advanced.addRow("Latency:", self.stamp_clock)
        self.advanced.setVisible(False)
        form.addRow("Encoding:", self.profile)
        form.addRow("Audio codec:", self.audio_profile)
        form.addRow("", self.advanced_toggle)
        form.addRow(self.advanced)
        self.advanced_toggle.toggled.connect(self._show_advanced)
        for combo in (self.profile, self.audio_profile, self.preset):
            combo.currentIndexChanged.connect(self.changed)
        self.profile.currentIndexChanged.connect(self._show_profile_bitrate)
        self.bitrate.valueChanged.connect(self.changed)
        self.keyframe.valueChanged.connect(self.changed)
        self.stamp_clock.toggled.connect(self.changed)
        self.set_expected(None, None, "")

    def _show_profile_bitrate(self) -> None:
        """Left at 0, the bitrate is the profile's: say which number that is."""
        name = self.profile.currentData() or self._expected_video
        profile = VIDEO_PROFILES.get(name) if name else None
        kbps = f" ({profile.bitrate // 1000} kbps)" if profile is not None else ""
        self.bitrate.setSpecialValueText(f"The profile's{kbps}")

    def set_editable(self, editable: bool) -> None:
        """A live push keeps its encoding: changing it means stopping first."""
        for widget in (self.profile, self.audio_profile, self.advanced):
            widget.setEnabled(editable)

    def _show_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_toggle.setText("Advanced ▾" if shown else "Advanced ▸")

    def set_expected(self, video: str | None, audio: str | None, reason: str) -> bool:
        """The profiles the selected ingress expects become the first, default item, marked as such. False
        when they are those shown already: the list refreshes often, and an open box is not rebuilt."""
        if (video, audio, reason) == self._expected_shown:
            return False
        self._expected_shown = (video, audio, reason)
        chosen_video = self.profile.currentData() if self.profile.currentIndex() > 0 else None
        chosen_audio = self.audio_profile.currentData() if self.audio_profile.currentIndex() > 0 else None
        for combo, expected, names in (
            (self.profile, video, VIDEO_PROFILES),
            (self.audio_profile, audio, AUDIO_PROFILES),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(f"{expected} (what this ingress expects)" if expected else AUTOMATIC, None)
            for name in names:
                combo.addItem(name, name)
            combo.blockSignals(False)
        self._expected_video = video
        self._select(self.profile, chosen_video)
        self._select(self.audio_profile, chosen_audio)
        self._show_profile_bitrate()
        self.profile.setToolTip(reason)
        self.reason = reason
        return True

    @staticmethod
    def _select(combo: QComboBox, name: object) -> None:
        index = combo.findData(name) if name else 0
        combo.setCurrentIndex(max(index, 0))

    def encoding(self) -> PushEncoding:
        preset = self.preset.currentText()
        return PushEncoding(
            profile=self.profile.currentData(),
            audio_profile=self.audio_profile.currentData(),
            video_bitrate=self.bitrate.value() or None,
            keyframe_interval=self._keyframe(),
            x264_preset=preset if preset != DEFAULT_X264_PRESET else None,
            stamp_clock=self.stamp_clock.isChecked(),
        )

    def _keyframe(self) -> float | None:
        value = self.keyframe.value()
        return max(value, KEYFRAME_INTERVAL_RANGE_S[0]) if value else None

    def set_encoding(self, encoding: PushEncoding) -> None:
        """Restore saved advanced settings (the profiles follow the ingress)."""
        self.bitrate.setValue(encoding.video_bitrate or 0)
        self.keyframe.setValue(encoding.keyframe_interval or 0)
        self.preset.setCurrentText(encoding.x264_preset or DEFAULT_X264_PRESET)
