"""Small helpers for forms: combos that carry protobuf enum values, and muted hint labels."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget


def make_combo(items: Iterable[tuple[str, int]]) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, int(value))
    return combo


def select_data(combo: QComboBox, value: int, enum_name: Callable[[int], str] | None = None) -> None:
    """Select the item holding value; a value this form has no word for is shown, never silently changed."""
    index = combo.findData(int(value))
    if index < 0:
        try:
            name = enum_name(value) if enum_name else str(value)
        except ValueError:
            name = str(value)
        combo.addItem(f"Other ({name})", int(value))
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def combo_data(combo: QComboBox) -> int:
    value = combo.currentData()
    return int(value) if value is not None else 0


E = TypeVar("E", bound=int)


def combo_value(combo: QComboBox, kind: type[E]) -> E:
    """The selected item's data as the protobuf enum type the field expects."""
    return cast(E, combo_data(combo))


def hint_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # the style's muted colour: a hint, not a field
    return label


class WheelScrollsTheForm(QObject):
    """A combo box or spin box inside a scrolling form takes the mouse wheel only once clicked into (given
    focus); otherwise the wheel scrolls the form, and a setting never changes under a passing pointer."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)

    def guard(self, widgets: Iterable[QWidget]) -> None:
        for widget in widgets:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            parent = watched.parentWidget()
            if parent is not None:
                QApplication.sendEvent(parent, event)  # up to the scroll area, as if the box were not there
            return True
        return False
