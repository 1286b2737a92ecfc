"""Where a form says what is wrong: a red line under the field's row where it has one, else the line by
the buttons; a warning icon in the field; the server's own words as a tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QLineEdit, QStyle, QWidget

ERROR_STYLE = "QLabel { color: #c62828; }"


def error_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # a server's words (a URL, say) are never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(ERROR_STYLE)
    return label


class FormErrors:
    def __init__(self, form: QFormLayout, bottom: QLabel, owner: QWidget) -> None:
        self._form = form
        self._bottom = bottom
        self._owner = owner
        self._at_field: dict[QWidget, QLabel] = {}
        self._warning_icons: dict[QLineEdit, QAction] = {}
        self.invalid_widget: QWidget | None = None

    def add_field(self, field: QWidget, anchor: QWidget | QLayout | None = None) -> None:
        """A red line under the row of `field` (or of the layout `anchor` that holds it), hidden until needed."""
        label = error_label()
        anchor = anchor or field
        position = (
            self._form.getLayoutPosition(anchor)
            if isinstance(anchor, QLayout)
            else self._form.getWidgetPosition(anchor)
        )
        row = int(position[0])  # type: ignore[index] # PySide6 types the (row, role) pair as object
        self._form.insertRow(row + 1, "", label)
        self._form.setRowVisible(label, False)
        self._at_field[field] = label

    def show(self, sentence: str, widget: QWidget | None = None, server_words: str = "") -> None:
        """`sentence` about `widget` (at its row if it has one); "" clears everything."""
        tooltip = f"The server's words: “{server_words}”" if server_words else ""
        inline = self._at_field.get(widget) if widget is not None else None
        self._bottom.setText("" if inline is not None else sentence)
        self._bottom.setToolTip("" if inline is not None else tooltip)
        self._bottom.setVisible(bool(sentence) and inline is None)
        for label in self._at_field.values():
            self._form.setRowVisible(label, False)
        if inline is not None and sentence:
            inline.setText(sentence)
            inline.setToolTip(tooltip)
            self._form.setRowVisible(inline, True)
        self._mark_invalid(widget if sentence else None)

    def at_field(self) -> str:
        """The sentence shown at a field, or ""."""
        return next((label.text() for label in self._at_field.values() if label.isVisibleTo(self._owner)), "")

    def _mark_invalid(self, widget: QWidget | None) -> None:
        self.invalid_widget = widget
        for edit, action in self._warning_icons.items():
            action.setVisible(edit is widget)
        if isinstance(widget, QLineEdit) and widget not in self._warning_icons:
            icon = self._owner.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            action = widget.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
            action.setToolTip("See the message under this field")
            self._warning_icons[widget] = action
