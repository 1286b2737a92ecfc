"""The main window's layout kept between sessions: geometry, toolbar state, the splitter, the table's columns."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from ingress_studio.ui.ingress_table_view import IngressTableView
from ingress_studio.ui.preferences import Preferences

DETAILS_MAX_DEFAULT_WIDTH = 460
TABLE_HEADER_KEY = "table-header-v2"  # v1 had an Enabled column: its saved layout would misplace sections


def restore_layout(
    window: QMainWindow, splitter: QSplitter, details: QWidget, table: IngressTableView, prefs: Preferences
) -> None:
    geometry, state = prefs.geometry("geometry"), prefs.geometry("state")
    if geometry is not None:
        window.restoreGeometry(geometry)
    if state is not None:
        window.restoreState(state)
    saved_split, header = prefs.geometry("splitter"), prefs.geometry(TABLE_HEADER_KEY)
    if saved_split is not None:
        splitter.restoreState(saved_split)
    else:
        QTimer.singleShot(0, splitter, lambda: default_split(splitter, details))  # once it has its width
    if header is not None:
        table.columns.restore(header)


def default_split(splitter: QSplitter, details: QWidget) -> None:
    """The details panel takes about a third of the window, between its minimum and 460 px."""
    width = splitter.width()
    wanted = max(details.minimumWidth(), min(DETAILS_MAX_DEFAULT_WIDTH, round(width * 0.36)))
    splitter.setSizes([width - wanted, wanted])


def save_layout(window: QMainWindow, splitter: QSplitter, table: IngressTableView, prefs: Preferences) -> None:
    prefs.set_geometry("geometry", window.saveGeometry())
    prefs.set_geometry("state", window.saveState())
    prefs.set_geometry("splitter", splitter.saveState())
    prefs.set_geometry(TABLE_HEADER_KEY, table.horizontalHeader().saveState())
    prefs.sync()
