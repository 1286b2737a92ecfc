"""The source part of the Go-live panel: what to send (a kind, then its files, URL or device) and where the
audio comes from. It binds to a SourceChoice; `changed` follows every edit. Its rows go into the panel's
form (one column of labels for the whole panel); only the rows of the chosen kind are shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.children.device_list import DeviceList
from ingress_studio.controllers.dropped_items import MEDIA_SUFFIXES
from ingress_studio.controllers.source_choice import SourceChoice, SourceKind
from ingress_studio.ui.form_widgets import hint_label

OWN_AUDIO = "The source's own audio"
MEDIA_FILTER = "Media files (" + " ".join(f"*{suffix}" for suffix in sorted(MEDIA_SUFFIXES)) + ");;All files (*)"
DEFAULT_DEVICE = "System default"
KIND_HINTS = {
    SourceKind.TEST: "A moving picture with a 440 Hz tone: to check the path before the real thing.",
    SourceKind.SCREEN: "The whole screen (X11 display, macOS screen, Windows desktop).",
}


class SourcePicker(QWidget):
    changed = Signal()

    def __init__(self, form: QFormLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.folder = Path.home()  # where Add… opens: the window sets the folder used last
        self.kind = QComboBox()
        for kind in SourceKind:
            self.kind.addItem(kind.label, kind.value)
        self.hint = hint_label()
        self.files = QListWidget()
        self.files.setMaximumHeight(54)
        self.files.setToolTip("Played in this order; drop more files on the window to replace them")
        self.loop = QCheckBox("Loop")
        self.loop.setToolTip("Loop the playlist: after the last file, start again with the first")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…/live.m3u8, rtmp://…, srt://…")
        self.device = QComboBox()
        self.device.setEditable(True)
        self.device.setToolTip("Pick one, or type a device name as `ingress-studio devices` lists it")
        self.audio = QComboBox()
        self.audio.setEditable(True)
        self.files_page = self._files_page()
        form.addRow("Source:", self.kind)
        form.addRow("", self.hint)
        form.addRow("", self.files_page)
        form.addRow("URL:", self.url)
        form.addRow("Device:", self.device)
        form.addRow("Audio:", self.audio)
        self.set_devices(DeviceList(()))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.loop.toggled.connect(self.changed)
        self.url.textChanged.connect(self.changed)
        self.device.currentTextChanged.connect(self.changed)
        self.audio.currentTextChanged.connect(self.changed)
        self._kind_changed()

    def _files_page(self) -> QWidget:
        page = QWidget()
        add, remove = QPushButton("Add…"), QPushButton("Remove")
        add.clicked.connect(self._choose_files)
        remove.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        buttons.addWidget(self.loop)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.files)
        layout.addLayout(buttons)
        return page

    def set_devices(self, found: DeviceList) -> None:
        """What `ingress-studio devices` found on this machine (listed by a child process)."""
        devices: dict[str, list[tuple[str, str]]] = {}
        for device in found.devices:
            kind, _, name = device.source.partition(":")
            devices.setdefault(kind, []).append((name, device.name))
        self._devices = devices
        audio = self.audio.currentText()
        self.audio.blockSignals(True)
        self.audio.clear()
        self.audio.addItem(OWN_AUDIO, None)
        self.audio.addItem("Test tone", "test:")
        for mic, label in devices.get("mic", [("default", DEFAULT_DEVICE)]):
            self.audio.addItem(f"Microphone: {label}", f"mic:{mic}")
        self.audio.setCurrentText(audio or OWN_AUDIO)
        self.audio.blockSignals(False)
        self._fill_devices()

    def _fill_devices(self) -> None:
        kind = self.current_kind()
        if not kind.uses_device:
            return
        typed = self.device.currentText()
        self.device.blockSignals(True)
        self.device.clear()
        self.device.addItem(DEFAULT_DEVICE, "")
        for device, label in self._devices.get(kind.value, []):
            self.device.addItem(label, device)
        if typed:
            self.device.setCurrentText(typed)
        self.device.blockSignals(False)

    def current_kind(self) -> SourceKind:
        return SourceKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        picks_device = kind.uses_device
        if picks_device:
            self.device.setCurrentText("")
            self._fill_devices()
        self.hint.setText(KIND_HINTS.get(kind, ""))
        self.form.setRowVisible(self.hint, kind in KIND_HINTS)
        self.form.setRowVisible(self.files_page, kind is SourceKind.FILES)
        self.form.setRowVisible(self.url, kind is SourceKind.URL)
        self.form.setRowVisible(self.device, picks_device)
        self.changed.emit()

    def _device_value(self) -> str:
        index = self.device.findText(self.device.currentText())
        if index >= 0:
            return str(self.device.itemData(index) or "")
        return self.device.currentText().strip()

    def _audio_value(self) -> str | None:
        index = self.audio.findText(self.audio.currentText())
        if index >= 0:
            data = self.audio.itemData(index)
            return str(data) if data else None
        typed = self.audio.currentText().strip()
        return typed or None

    def choice(self) -> SourceChoice:
        files = tuple(str(self.files.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.files.count()))
        kind = self.current_kind()
        return SourceChoice(
            kind=kind,
            files=files,
            loop=self.loop.isChecked(),
            url=self.url.text(),
            device=self._device_value() if kind.uses_device else "",
            audio=self._audio_value(),
        )

    def set_choice(self, choice: SourceChoice) -> None:
        self.blockSignals(True)
        self._set_files([Path(path) for path in choice.files])
        self.loop.setChecked(choice.loop)
        self.url.setText(choice.url)
        self.kind.setCurrentIndex(self.kind.findData(choice.kind.value))
        if choice.device:
            index = self.device.findData(choice.device)
            self.device.setCurrentText(self.device.itemText(index) if index >= 0 else choice.device)
        audio_index = self.audio.findData(choice.audio) if choice.audio else 0
        if audio_index >= 0:
            self.audio.setCurrentIndex(audio_index)
        else:
            self.audio.setCurrentText(choice.audio or OWN_AUDIO)
        self.blockSignals(False)
        self.changed.emit()

    def _set_files(self, paths: list[Path]) -> None:
        self.files.clear()
        for path in paths:
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add media files", str(self.folder), MEDIA_FILTER)
        if paths:
            self.folder = Path(paths[-1]).parent
            current = [Path(path) for path in self.choice().files]
            self._set_files(current + [Path(path) for path in paths])
            self.changed.emit()

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.changed.emit()
