"""The first window: the current project's ingresses, refreshed live, errors in the status bar."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMainWindow, QStackedWidget, QTableView

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from ingress_studio.api.ingress_view import IngressView
from ingress_studio.config.project import Project
from ingress_studio.ui.ingress_table_model import IngressTableModel

log = logging.getLogger(__name__)

REFRESH_INTERVAL_S = 2.0
MAX_RETRY_INTERVAL_S = 30.0

EMPTY_HINT = (
    "<h3>No ingresses yet</h3>"
    "<p>Create one from a terminal, for example:</p>"
    "<pre>ingress-studio ingress create --sandbox --url {url} \\\n"
    '  \'{{"input_type": "RTMP_INPUT", "name": "camera", "room_name": "studio", '
    '"participant_identity": "camera"}}\'</pre>'
    "<p>It appears here within two seconds.</p>"
)


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Ingress Studio")
        self.resize(1100, 560)
        self.model = IngressTableModel()
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self._proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty_hint = QLabel()
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_hint.setWordWrap(True)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.empty_hint)
        self._pages.addWidget(self.table)
        self.setCentralWidget(self._pages)
        self.connection_label = QLabel("Starting the sandbox…")
        self.statusBar().addWidget(self.connection_label, 1)
        refresh = QAction("Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_now)
        toolbar = self.addToolBar("Main")
        toolbar.setMovable(False)
        toolbar.addAction(refresh)
        self._client: IngressClient | None = None
        self._poller: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._closing: asyncio.Future[None] | None = None
        self._show_empty_hint(True)

    @property
    def project(self) -> Project | None:
        return self._client.project if self._client else None

    def show_problem(self, sentence: str) -> None:
        self.connection_label.setText(sentence)

    def connect_project(self, project: Project) -> None:
        """Show this project's ingresses from now on (the previous project's rows go at once)."""
        self._stop_polling()
        old = self._client
        if old is not None:
            self._closing = asyncio.ensure_future(old.aclose())
        self.model.set_views([])
        self._client = IngressClient(project)
        self.empty_hint.setText(EMPTY_HINT.format(url=project.url))
        self.setWindowTitle(f"Ingress Studio — {project.name}")
        self.connection_label.setText(f"Connecting to {project.name} at {project.url}…")
        self._poller = asyncio.ensure_future(self._poll(self._client))

    def refresh_now(self) -> None:
        self._wake.set()

    async def refresh_once(self) -> None:
        """One refresh; raises ApiError on failure (the poller turns that into a status message)."""
        if self._client is None:
            return
        items = await self._client.list()
        views = [IngressView.from_info(info) for info in items]
        self.model.set_views(views)
        self._show_empty_hint(not views)
        live = sum(1 for v in views if v.status in ("Buffering", "Publishing"))
        project = self._client.project
        self.connection_label.setText(
            f"{project.name} · {project.url} · {len(views)} ingress{'es' if len(views) != 1 else ''}"
            + (f" · {live} live" if live else "")
        )

    async def _poll(self, client: IngressClient) -> None:
        delay = REFRESH_INTERVAL_S
        while self._client is client:
            try:
                await self.refresh_once()
                delay = REFRESH_INTERVAL_S
            except ApiError as exc:
                # Keep the rows we have; say what is wrong; retry quietly with growing pauses.
                self.connection_label.setText(f"{exc.message} Retrying in {delay:g} s.")
                delay = min(delay * 2, MAX_RETRY_INTERVAL_S)
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def _show_empty_hint(self, empty: bool) -> None:
        self._pages.setCurrentWidget(self.empty_hint if empty else self.table)

    def _stop_polling(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None

    async def shutdown(self) -> None:
        self._stop_polling()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
