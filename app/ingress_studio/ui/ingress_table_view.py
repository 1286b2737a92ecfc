"""The ingress table as a view: sorted, one row selected at a time, status pills, columns that fit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from ingress_studio.ui.ingress_filter_proxy import IngressFilterProxy
from ingress_studio.ui.ingress_table_model import INGRESS_ID_ROLE, STATUS_COLUMN
from ingress_studio.ui.status_badge_delegate import StatusBadgeDelegate
from ingress_studio.ui.table_columns import ColumnFitter

ROW_HEIGHT = 26


class IngressTableView(QTableView):
    def __init__(self, proxy: IngressFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setItemDelegateForColumn(STATUS_COLUMN, StatusBadgeDelegate(self))
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.columns = ColumnFitter(self)

    def selected_id(self) -> str | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return str(rows[0].data(INGRESS_ID_ROLE)) if rows else None

    def select_source_row(self, row: int) -> bool:
        """Select the model's row (wherever sorting put it); False if the filter hides it."""
        index = self._proxy.mapFromSource(self._proxy.sourceModel().index(row, 0))
        if not index.isValid():
            return False
        self.selectRow(index.row())
        self.scrollTo(index)
        return True
