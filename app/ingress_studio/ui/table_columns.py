"""The ingress table's columns fit the table's width: each sized from typical content, the elastic ones
shrinking together when space is short (cells elide, with the whole text as a tooltip), the name taking what
is left. A column resized by hand is left alone from then on; a right click on the header shows or hides
columns."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from ingress_studio.ui.ingress_table_model import COLUMNS, INGRESS_ID_COLUMN, STATUS_COLUMN

COLUMN_OF = {title: number for number, (title, _getter) in enumerate(COLUMNS)}
NAME_COLUMN = COLUMN_OF["Name"]
NAME_MIN_WIDTH = 120
ELASTIC_MIN_WIDTH = 60
CELL_PADDING = 20
BADGE_PADDING = 28  # the status pill's own margins
# What a typical cell holds: the width that shows it whole.
TYPICAL_TEXT = {
    COLUMN_OF[title]: text
    for title, text in (
        ("Type", "WHIP"),
        ("Room", "green-room"),
        ("Participant", "participant"),
        ("Status", "Publishing"),
        ("Input video", "1280x720@29.97 · 7719 kbps"),
        ("Input audio", "aac · 2 ch · 128 kbps"),
        ("Ingress ID", "IN_xxxxxxxxxxxx"),
    )
}
FIXED_COLUMNS = (COLUMN_OF["Type"], STATUS_COLUMN)  # short values that must stay readable; the rest shrink
HIDDEN_BY_DEFAULT = (INGRESS_ID_COLUMN,)  # in the details panel; still matched by the filter


class ColumnFitter(QObject):
    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self._header = header = table.horizontalHeader()
        self._fitting = False
        self.by_hand = False
        metrics = table.fontMetrics()
        self._wanted = {}
        for column, text in TYPICAL_TEXT.items():
            padding = BADGE_PADDING if column == STATUS_COLUMN else CELL_PADDING
            title = COLUMNS[column][0]
            self._wanted[column] = max(metrics.horizontalAdvance(text), metrics.horizontalAdvance(title)) + padding
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(min(ELASTIC_MIN_WIDTH, NAME_MIN_WIDTH))
        for column in HIDDEN_BY_DEFAULT:
            header.hideSection(column)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.sectionResized.connect(self._resized)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda at: self.column_menu().popup(header.mapToGlobal(at)))
        table.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column != NAME_COLUMN:
            self.by_hand = True  # the user's widths win from now on

    def restore(self, state: QByteArray) -> None:
        """A saved header: which columns are shown, and their order; the widths fit the window."""
        self._fitting = True
        try:
            self._header.restoreState(state)
        finally:
            self._fitting = False
        self.fit()

    def fit(self) -> None:
        if self.by_hand:
            return
        header = self._header
        shown = [c for c in self._wanted if not header.isSectionHidden(c)]
        fixed = sum(self._wanted[c] for c in shown if c in FIXED_COLUMNS)
        elastic = [c for c in shown if c not in FIXED_COLUMNS]
        wanted = sum(self._wanted[c] for c in elastic)
        room = self._table.viewport().width() - NAME_MIN_WIDTH - fixed
        scale = min(1.0, max(room, 0) / wanted) if wanted else 1.0
        self._fitting = True
        try:
            for column in shown:
                width = self._wanted[column]
                if column not in FIXED_COLUMNS:
                    width = max(ELASTIC_MIN_WIDTH, round(width * scale))
                header.resizeSection(column, width)
        finally:
            self._fitting = False

    def column_menu(self) -> QMenu:
        """Checkable entries, one per column; the name column always stays."""
        header = self._header
        menu = QMenu(header)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for column, (title, _getter) in enumerate(COLUMNS):
            action = QAction(title, menu, checkable=True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != NAME_COLUMN)
            action.toggled.connect(lambda shown, c=column: self._show_column(c, shown))
            menu.addAction(action)
        return menu

    def _show_column(self, column: int, shown: bool) -> None:
        self._header.setSectionHidden(column, not shown)
        self.fit()
