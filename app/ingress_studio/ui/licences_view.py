"""Help → Licences: the third-party notices, read-only and searchable. A window of its own beside the main
one; what it shows is the LicenceNotices controller's to find or make."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ingress_studio.controllers.licence_notices import LicenceNotices, count_matches
from ingress_studio.display.stats_figures import Level
from ingress_studio.ui.level_colours import level_colour

LOADING = "Gathering the notices of everything Ingress Studio ships…"


class LicencesView(QWidget):
    def __init__(self, notices: LicenceNotices | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Ingress Studio — Licences")
        self.resize(900, 700)
        self.notices = notices or LicenceNotices()

        self.search = QLineEdit()
        self.search.setPlaceholderText("Find in the notices (Enter: next, Shift+Enter: previous)…")
        self.search.setClearButtonEnabled(True)
        self.matches = QLabel()
        previous_button = QPushButton("Previous")
        next_button = QPushButton("Next")
        close_button = QPushButton("Close")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setPlaceholderText(LOADING)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.matches)
        for button in (previous_button, next_button, close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.problem)
        layout.addWidget(self.view, 1)

        self.search.textChanged.connect(lambda _text: self.find_next(from_start=True))
        self.search.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence("Shift+Return"), self.search).activated.connect(self.find_previous)
        next_button.clicked.connect(lambda: self.find_next())
        previous_button.clicked.connect(self.find_previous)
        close_button.clicked.connect(self.close)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence(QKeySequence.StandardKey.Close)):
            QShortcut(keys, self).activated.connect(self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self).activated.connect(self.search.setFocus)
        self.notices.loaded.connect(self._show_text)
        self.notices.failed.connect(self._show_problem)
        if self.notices.text is not None:
            self._show_text(self.notices.text)
        elif self.notices.problem is not None:
            self._show_problem(self.notices.problem)

    def load(self) -> None:
        self.notices.start()

    def _show_text(self, text: str) -> None:
        self.problem.hide()
        self.view.setPlainText(text)
        if self.search.text():
            self.find_next(from_start=True)

    def _show_problem(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.setStyleSheet(f"color: {level_colour(Level.DANGER, self.palette()).name()}")
        self.problem.show()
        self.view.setPlaceholderText("")

    def find_next(self, from_start: bool = False) -> bool:
        if from_start:
            self.view.moveCursor(QTextCursor.MoveOperation.Start)
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags: QTextDocument.FindFlag) -> bool:
        """Select the next occurrence, going round at the end (or the start, backwards)."""
        search = self.search.text()
        count = count_matches(self.notices.text or "", search)
        self.matches.setText("" if not search else f"{count} found" if count else "Not found")
        if not count:
            return False
        if self.view.find(search, flags):
            return True
        backwards = bool(flags & QTextDocument.FindFlag.FindBackward)
        self.view.moveCursor(QTextCursor.MoveOperation.End if backwards else QTextCursor.MoveOperation.Start)
        return self.view.find(search, flags)
