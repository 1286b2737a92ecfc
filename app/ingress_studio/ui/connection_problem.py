"""Where the ingress table would be when a project cannot be reached: what happened, and what to do."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class ConnectionProblem(QWidget):
    """A heading, the failure's sentence, Retry and Edit project; `note` says why editing is not offered."""

    retry_requested = Signal()
    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setWordWrap(True)
        self.sentence = QLabel()
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sentence.setWordWrap(True)
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)  # a server's words are never markup
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setEnabled(False)  # drawn in the theme's quieter colour
        self.retry_button = QPushButton("Retry")
        self.retry_button.clicked.connect(self.retry_requested)
        self.edit_button = QPushButton("Edit project…")
        self.edit_button.clicked.connect(self.edit_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.sentence)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addStretch(2)

    def show_failure(self, heading: str, sentence: str, can_retry: bool, edit_note: str | None) -> None:
        """`edit_note` None offers Edit project; a text instead says why this project cannot be edited here."""
        self.heading.setText(f"<h3>{escape(heading)}</h3>")
        self.sentence.setText(sentence)
        self.retry_button.setVisible(can_retry)
        self.edit_button.setVisible(edit_note is None)
        self.note.setText(edit_note or "")
        self.note.setVisible(bool(edit_note))
