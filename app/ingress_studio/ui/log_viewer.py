"""Help → Logs: the programs' log files, redacted, filtered by level, program and text, followed while open.

A window of its own beside the main one (not modal: a streamer reads it while live). The reading is the
LogFollower controller's, on a worker thread; this binds widgets to it.
"""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QFontDatabase,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ingress_studio.controllers.log_files import PROGRAMS
from ingress_studio.controllers.log_follower import LogFollower
from ingress_studio.display.log_filter import LogFilter
from ingress_studio.display.log_records import LogEntry
from ingress_studio.display.log_summary import empty_text, folder_text, shown_text
from ingress_studio.display.stats_figures import Level
from ingress_studio.redaction import redact
from ingress_studio.ui.level_colours import level_colour
from ingress_studio.ui.log_highlighter import LogHighlighter

LEVEL_CHOICES = (
    ("Debug", logging.DEBUG),
    ("Info", logging.INFO),
    ("Warning", logging.WARNING),
    ("Error", logging.ERROR),
)
ALL_PROGRAMS = "All programs"
# What each log file holds, in the names its lines carry (watch.log: watch and watcher lines, and so on).
PROGRAM_LABELS = {"gui": "gui (the window)", "watch": "watch, watcher", "cli": "ingress, devices, probe"}
# Records in the view at most (the newest that match): more makes the text view slow to fill and scroll.
MAX_SHOWN = 5_000
# Followed lines are appended until the view holds this many more, then it is filled again with MAX_SHOWN.
SHOWN_SLACK = 1_000
SEARCH_PAUSE_MS = 250  # the search runs when typing pauses, not at every key
AT_BOTTOM_PX = 4  # this close to the end, the view is at the bottom and follows new lines


class LogViewer(QWidget):
    def __init__(self, follower: LogFollower | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Ingress Studio — Logs")
        self.resize(1100, 640)
        self.follower = follower or LogFollower()
        self._filter = LogFilter()
        self._matching = self._shown = 0

        self.program = QComboBox()
        self.program.addItem(ALL_PROGRAMS, "")
        for program in PROGRAMS:
            self.program.addItem(PROGRAM_LABELS.get(program, program), program)
        self.program.setToolTip("Whose log: the window, the sandbox, the engine, push, the room watcher or the CLI")
        self.level = QComboBox()
        for name, level in LEVEL_CHOICES:
            self.level.addItem(name, level)
        self.level.setCurrentIndex(1)  # Info: debug lines are many, and written only with --verbose
        self.level.setToolTip("The lowest level shown")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the lines…")
        self.search.setClearButtonEnabled(True)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the selected lines, or all lines shown, as text (secrets masked)")
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.setToolTip("Show the log files in the file manager")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.highlighter = LogHighlighter(self.view.document(), self.view.palette())
        self.counts = QLabel()
        self.folder = QLabel(folder_text(self.follower.folder))
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        filters = QHBoxLayout()
        for label, widget in (("Program:", self.program), ("Level:", self.level)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.copy_button)
        filters.addWidget(self.open_folder_button)
        close_button = QPushButton("Close")
        close_button.clicked.connect(self.close)
        filters.addWidget(close_button)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence(QKeySequence.StandardKey.Close)):
            QShortcut(keys, self).activated.connect(self.close)
        footer = QHBoxLayout()
        footer.addWidget(self.counts, 1)
        footer.addWidget(self.folder)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.problems)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

        self._search_pause = QTimer(self)
        self._search_pause.setSingleShot(True)
        self._search_pause.setInterval(SEARCH_PAUSE_MS)
        self._search_pause.timeout.connect(self._refilter)
        self.search.textChanged.connect(lambda _text: self._search_pause.start())
        self.search.returnPressed.connect(self._refilter)
        self.program.currentIndexChanged.connect(lambda _index: self._refilter())
        self.level.currentIndexChanged.connect(lambda _index: self._refilter())
        self.copy_button.clicked.connect(self.copy)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.follower.reset.connect(self._show_all)
        self.follower.appended.connect(self._append)
        self.follower.problems_changed.connect(self._show_problems)
        self._show_all()

    # -- what is shown -------------------------------------------------------------------------------

    def _refilter(self) -> None:
        self._search_pause.stop()
        program = str(self.program.currentData())
        self._filter = LogFilter(
            min_level=int(self.level.currentData()),
            programs=frozenset({program} if program else ()),
            search=self.search.text(),
        )
        self._show_all()

    def _show_all(self) -> None:
        bar = self.view.verticalScrollBar()
        at_bottom, value = self.at_bottom(), bar.value()
        matching = self._filter.select(self.follower.entries)
        shown = matching[-MAX_SHOWN:]
        self._matching, self._shown = len(matching), len(shown)
        self.view.setPlainText("\n".join(entry.text for entry in shown))
        bar.setValue(bar.maximum() if at_bottom else value)
        self._show_problems()
        self._show_counts()

    def _append(self, added: list[LogEntry]) -> None:
        new = self._filter.select(added)
        if not new:
            return
        if self._shown + len(new) > MAX_SHOWN + SHOWN_SLACK:
            self._show_all()  # drops the oldest from the view
            return
        bar = self.view.verticalScrollBar()
        at_bottom, value = self.at_bottom(), bar.value()
        self.view.appendPlainText("\n".join(entry.text for entry in new))
        # Following stops while the user reads further up: the view stays where it is.
        bar.setValue(bar.maximum() if at_bottom else value)
        self._matching += len(new)
        self._shown += len(new)
        self._show_counts()

    def at_bottom(self) -> bool:
        bar = self.view.verticalScrollBar()
        return bar.value() >= bar.maximum() - AT_BOTTOM_PX

    def _show_counts(self) -> None:
        follower = self.follower
        read = len(follower.entries)
        self.view.setPlaceholderText(empty_text(read, follower.loading, follower.folder))
        self.counts.setText(
            "" if follower.loading else shown_text(self._shown, self._matching, read, follower.skipped, follower.budget)
        )

    def _show_problems(self, extra: str = "") -> None:
        sentences = [*self.follower.problems, *([extra] if extra else [])]
        self.problems.setText("\n".join(sentences))
        self.problems.setStyleSheet(f"color: {level_colour(Level.DANGER, self.palette()).name()}")
        self.problems.setVisible(bool(sentences))

    # -- Copy, Open folder ---------------------------------------------------------------------------

    def copy(self) -> None:
        """The selection, or else every line shown, as plain text."""
        cursor = self.view.textCursor()
        text = cursor.selection().toPlainText() if cursor.hasSelection() else self.view.toPlainText()
        # Again: a secret the window learnt (a new ingress's key) after these lines were read.
        QGuiApplication.clipboard().setText(redact(text))

    def open_folder(self) -> None:
        folder = self.follower.folder
        with contextlib.suppress(OSError):  # no log written yet: the folder is still the place to look
            folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._show_problems(f"No file manager opened the folder: the logs are in {folder}")

    # -- following while open ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.follower.following:
            self.follower.start()  # the files as they are now
            self._show_all()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.follower.stop()  # nobody reads: nothing is polled
        super().closeEvent(event)
