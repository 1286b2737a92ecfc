"""Notices and questions that never start a nested event loop (`open()`, not `exec()`): the refreshes, and
every request on the qasync loop, go on while one is up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def warn(parent: QWidget, title: str, sentence: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, sentence, QMessageBox.StandardButton.Ok, parent)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm(parent: QWidget, title: str, text: str, detail: str, action: str, on_yes: Callable[[], Any]) -> QMessageBox:
    """Ask; `on_yes` runs only for the `action` button. Cancel is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
    box.setInformativeText(detail)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(lambda _result: on_yes() if box.clickedButton() is yes else None)
    # Deleted after its handlers ran; WA_DeleteOnClose could delete it under them (a crash, seen).
    box.finished.connect(box.deleteLater)
    box.open()
    return box
