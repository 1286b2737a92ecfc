"""In the table's place when the filters hide every ingress: say so, and offer to clear them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class NoMatchPage(QWidget):
    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sentence = QLabel()
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sentence.setWordWrap(True)
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)  # the filter text is the user's, never markup
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear_requested)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.clear_button)
        button_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.sentence)
        layout.addLayout(button_row)
        layout.addStretch(2)

    def describe(self, hidden: int, text: str, room: str) -> None:
        what = " and ".join(part for part in (f"“{text}”" if text else "", f"room “{room}”" if room else "") if part)
        noun = "ingress" if hidden == 1 else "ingresses"
        self.sentence.setText(f"None of the {hidden} {noun} matches {what}.")
