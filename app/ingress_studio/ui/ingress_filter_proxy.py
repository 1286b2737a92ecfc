"""Sorting and filtering of the ingress table: by room, and by text in any column."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from ingress_studio.ui.ingress_table_model import COLUMNS, IngressTableModel


class IngressFilterProxy(QSortFilterProxyModel):
    def __init__(self, model: IngressTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._room = ""
        self._text = ""
        self.setSourceModel(model)
        self.setSortCaseSensitivity(self.sortCaseSensitivity().CaseInsensitive)
        self.setDynamicSortFilter(True)

    @property
    def room(self) -> str:
        return self._room

    def set_room(self, room: str) -> None:
        if room != self._room:
            self.beginFilterChange()
            self._room = room
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._text:
            self.beginFilterChange()
            self._text = text
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        view = self._model.view_at(source_row)
        if self._room and view.room != self._room:
            return False
        if not self._text:
            return True
        return any(self._text in getter(view).casefold() for _, getter in COLUMNS)
