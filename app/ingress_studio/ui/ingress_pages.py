"""What takes the place of the ingress table: the table itself; how to make a first ingress; a filter that
hides every row, with a way back; or why the project cannot be listed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QTableView, QWidget

from ingress_studio.ui.connection_problem import ConnectionProblem
from ingress_studio.ui.no_match_page import NoMatchPage

EMPTY_HINT = (
    "<h3>No ingresses yet</h3>"
    "<p>Press <b>New</b> (Ctrl+N) to create an RTMP, WHIP or URL ingress,<br>"
    "or drop an <code>ingress.json</code> (the format of <code>lk ingress create</code>) on this window.</p>"
    "<p>Then drop a video file on the window, or pick a source under <b>Go live</b>, and press <b>Start</b>.</p>"
)


class IngressPages(QStackedWidget):
    def __init__(self, table: QTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.empty_hint = QLabel(EMPTY_HINT)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_hint.setWordWrap(True)
        self.problem = ConnectionProblem()
        self.no_match = NoMatchPage()
        for page in (self.empty_hint, self.table, self.problem, self.no_match):
            self.addWidget(page)
        self.setCurrentWidget(self.table)  # empty until a project answers: not "no ingresses" yet

    @property
    def showing_rows(self) -> bool:
        """The table or the no-match page: what a refilter may switch between."""
        return self.currentWidget() in (self.table, self.no_match)

    def show_rows(self, total: int, shown: int, text: str, room: str) -> None:
        """The table; with no ingress at all, how to make one; with every row filtered out, a way back."""
        if total == 0:
            self.setCurrentWidget(self.empty_hint)
        elif shown == 0:
            self.no_match.describe(total, text, room)
            self.setCurrentWidget(self.no_match)
        else:
            self.setCurrentWidget(self.table)

    def show_table(self) -> None:
        self.setCurrentWidget(self.table)

    def show_problem(self, heading: str, sentence: str, can_retry: bool, edit_note: str | None) -> None:
        self.problem.show_failure(heading, sentence, can_retry, edit_note)
        self.setCurrentWidget(self.problem)
