"""The ingress table: rows updated in place by ingress id, so selection and scroll survive refreshes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ingress_studio.api.ingress_view import IngressView, Status

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, Callable[[IngressView], str]], ...] = (
    ("Name", lambda v: v.name),
    ("Type", lambda v: v.input_type),
    ("Room", lambda v: v.room),
    ("Participant", lambda v: v.participant),
    ("Status", lambda v: v.status),
    ("Input video", lambda v: v.video),
    ("Input audio", lambda v: v.audio),
    ("Enabled", lambda v: "Yes" if v.enabled else "No"),
    ("Ingress ID", lambda v: v.ingress_id),
)
STATUS_COLUMN = 4
STATUS_COLOURS: dict[int, QColor] = {
    Status.ENDPOINT_INACTIVE: QColor("#7f8c8d"),
    Status.ENDPOINT_BUFFERING: QColor("#d68910"),
    Status.ENDPOINT_PUBLISHING: QColor("#1e8449"),
    Status.ENDPOINT_ERROR: QColor("#c0392b"),
    Status.ENDPOINT_COMPLETE: QColor("#2471a3"),
}


class IngressTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[IngressView] = []
        self._row_of: dict[str, int] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](view)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATUS_COLUMN:
            return STATUS_COLOURS.get(view.status_code)
        if role == Qt.ItemDataRole.ToolTipRole and view.error:
            return view.error
        if role == Qt.ItemDataRole.UserRole:
            return view.ingress_id
        return None

    def view_at(self, row: int) -> IngressView:
        return self._rows[row]

    def set_views(self, views: list[IngressView]) -> None:
        """Apply a fresh list: remove gone rows, update changed ones, append new ones - no reset."""
        wanted = {view.ingress_id for view in views}
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].ingress_id not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        self._row_of = {view.ingress_id: row for row, view in enumerate(self._rows)}
        last_column = len(COLUMNS) - 1
        for view in views:
            existing = self._row_of.get(view.ingress_id)
            if existing is None:
                position = len(self._rows)
                self.beginInsertRows(QModelIndex(), position, position)
                self._rows.append(view)
                self._row_of[view.ingress_id] = position
                self.endInsertRows()
            elif self._rows[existing] != view:
                self._rows[existing] = view
                self.dataChanged.emit(self.index(existing, 0), self.index(existing, last_column))
