"""Help → About Ingress Studio: the version, what it is, links, and a way to the licences."""

from __future__ import annotations

import platform
from collections.abc import Callable

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from ingress_studio import __version__
from ingress_studio.display.about_text import Versions, about_html
from ingress_studio.ui.resources import app_icon

ICON_PX = 64


def show_about(parent: QWidget, show_licences: Callable[[], object]) -> QMessageBox:
    """Not modal to the app, never a nested event loop (`open()`); Licences… opens that view."""
    box = QMessageBox(parent)
    box.setWindowTitle("About Ingress Studio")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(Versions(__version__, platform.python_version(), qVersion(), PySide6.__version__)))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)  # the links open in a browser
    icon = app_icon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(ICON_PX, ICON_PX))
    licences = box.addButton("Licences…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(lambda _result: show_licences() if box.clickedButton() is licences else None)
    box.finished.connect(box.deleteLater)  # after its handlers ran (see message_boxes.confirm)
    box.open()
    return box
