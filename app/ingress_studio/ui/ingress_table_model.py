"""The ingress table: rows updated in place by ingress id, so selection and scroll survive refreshes.

A refresh compares each IngressInfo with the one it replaces (a C++ protobuf comparison) and only
rebuilds the display values of rows that changed, so 5,000 rows with a few changes stay cheap. A
row whose status changed is highlighted for HIGHLIGHT_S.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer

from ingress_studio.display.ingress_view import IngressView
from ingress_studio.ui.status_badge_delegate import STATUS_CODE_ROLE
from ingress_studio.ui.status_colours import status_colour

Index = QModelIndex | QPersistentModelIndex
INGRESS_ID_ROLE = Qt.ItemDataRole.UserRole
HIGHLIGHT_S = 2.0

COLUMNS: tuple[tuple[str, Callable[[IngressView], str]], ...] = (
    ("Name", lambda v: v.name),
    ("Type", lambda v: v.input_type),
    ("Room", lambda v: v.room),
    ("Participant", lambda v: v.participant),
    ("Status", lambda v: v.status),
    ("Input video", lambda v: v.video),
    ("Input audio", lambda v: v.audio),
    ("Ingress ID", lambda v: v.ingress_id),
)
STATUS_COLUMN = 4
INGRESS_ID_COLUMN = 7


class IngressTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[IngressView] = []
        self._infos: dict[str, ingress_pb.IngressInfo] = {}
        self._row_of: dict[str, int] = {}
        self._highlight_until: dict[str, float] = {}
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setInterval(250)
        self._highlight_timer.timeout.connect(self._expire_highlights)

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
        if role == STATUS_CODE_ROLE:
            return view.badge_code
        if role == Qt.ItemDataRole.BackgroundRole and view.ingress_id in self._highlight_until:
            colour = status_colour(view.status_code)
            colour.setAlpha(70)
            return colour
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text of a cell the column elides
            text = COLUMNS[index.column()][1](view)
            if index.column() == STATUS_COLUMN and view.error:
                return f"{text}: {view.error}"
            return text or None
        if role == INGRESS_ID_ROLE:
            return view.ingress_id
        return None

    def view_at(self, row: int) -> IngressView:
        return self._rows[row]

    def info(self, ingress_id: str) -> ingress_pb.IngressInfo | None:
        return self._infos.get(ingress_id)

    def row_of(self, ingress_id: str) -> int | None:
        return self._row_of.get(ingress_id)

    def rooms(self) -> list[str]:
        return sorted({view.room for view in self._rows})

    def highlighted(self, ingress_id: str) -> bool:
        return ingress_id in self._highlight_until

    def set_infos(self, infos: list[ingress_pb.IngressInfo]) -> None:
        """Apply a fresh list: remove gone rows, update changed ones, append new ones - no reset."""
        wanted = {info.ingress_id for info in infos}
        row = len(self._rows)
        while row > 0:  # gone rows, removed in runs (one signal per run, not per row)
            row -= 1
            if self._rows[row].ingress_id in wanted:
                continue
            last = row
            while row > 0 and self._rows[row - 1].ingress_id not in wanted:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row, last)
            for gone in self._rows[row : last + 1]:
                self._infos.pop(gone.ingress_id, None)
                self._highlight_until.pop(gone.ingress_id, None)
            del self._rows[row : last + 1]
            self.endRemoveRows()
        self._row_of = {view.ingress_id: row for row, view in enumerate(self._rows)}
        new = []
        for info in infos:
            if info.ingress_id in self._row_of:
                self.update_one(info)
            else:
                new.append(info)
        if new:  # one insert for all of them: 5,000 rows at start cost one layout, not 5,000
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for position, info in enumerate(new, start=first):
                self._rows.append(IngressView.from_info(info))
                self._infos[info.ingress_id] = info
                self._row_of[info.ingress_id] = position
            self.endInsertRows()

    def update_one(self, info: ingress_pb.IngressInfo) -> None:
        """A newer copy of a row's ingress (unknown ids are left to the next full list)."""
        ingress_id = info.ingress_id
        existing = self._row_of.get(ingress_id)
        if existing is None or self._infos[ingress_id] == info:
            return
        view = IngressView.from_info(info)
        if view.status_code != self._rows[existing].status_code:
            self._highlight_until[ingress_id] = time.monotonic() + HIGHLIGHT_S
            self._highlight_timer.start()
        self._infos[ingress_id] = info
        if view != self._rows[existing]:
            self._rows[existing] = view
            self.dataChanged.emit(self.index(existing, 0), self.index(existing, len(COLUMNS) - 1))

    def _expire_highlights(self) -> None:
        now = time.monotonic()
        last_column = len(COLUMNS) - 1
        for ingress_id, until in list(self._highlight_until.items()):
            if until <= now:
                del self._highlight_until[ingress_id]
                row = self._row_of.get(ingress_id)
                if row is not None:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
        if not self._highlight_until:
            self._highlight_timer.stop()
