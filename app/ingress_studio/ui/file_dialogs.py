"""Choosing ingress.json files, without a nested event loop (`open()`); the callbacks get the paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

JSON_FILTER = "Ingress JSON (*.json)"


def choose_json_files(parent: QWidget, title: str, folder: Path, on_paths: Callable[[list[Path]], object]) -> None:
    dialog = QFileDialog(parent, title, str(folder), f"{JSON_FILTER};;All files (*)")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.filesSelected.connect(lambda paths: on_paths([Path(p) for p in paths]))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def choose_json_file_to_write(parent: QWidget, title: str, suggested: Path, on_path: Callable[[Path], object]) -> None:
    dialog = QFileDialog(parent, title, str(suggested), JSON_FILTER)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("json")
    dialog.fileSelected.connect(lambda path: on_path(Path(path)))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
