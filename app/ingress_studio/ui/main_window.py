"""The main window: a project's ingresses, live, with everything a streamer does to them.

Every API call is a task on the qasync loop (never a blocking call on the GUI thread); a failure
becomes one sentence in the status bar or a message box, and the rows already shown are kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import QEvent, QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
)

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from ingress_studio.api.spec import SpecError, dumps_spec, export_spec, parse_create_request
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.display.encoder_settings import credential_name
from ingress_studio.domain.ingress_kinds import INPUT_TYPE_LABELS, LIVE_STATUSES, is_enabled
from ingress_studio.ui.connection_problem import ConnectionProblem
from ingress_studio.ui.ingress_details import IngressDetails
from ingress_studio.ui.ingress_dialog import IngressDialog
from ingress_studio.ui.ingress_filter_proxy import IngressFilterProxy
from ingress_studio.ui.ingress_table_model import INGRESS_ID_ROLE, STATUS_COLUMN, IngressTableModel
from ingress_studio.ui.no_match_page import NoMatchPage
from ingress_studio.ui.preferences import LIVE_REFRESH_S, REFRESH_CHOICES_S, Preferences
from ingress_studio.ui.project_picker import READ_ONLY_REASONS, ProjectPicker
from ingress_studio.ui.status_badge_delegate import StatusBadgeDelegate
from ingress_studio.ui.table_columns import ColumnFitter

log = logging.getLogger(__name__)

MAX_RETRY_INTERVAL_S = 30.0
NOTICE_MS = 20_000
DETAILS_MAX_DEFAULT_WIDTH = 460
TABLE_HEADER_KEY = "table-header-v2"  # v1 had an Enabled column: its saved layout would misplace sections
ALL_ROOMS = "All rooms"

EMPTY_HINT = (
    "<h3>No ingresses yet</h3>"
    "<p>Press <b>New</b> (Ctrl+N) to create an RTMP, WHIP or URL ingress,<br>"
    "or drop an <code>ingress.json</code> (the format of <code>lk ingress create</code>) on this window.</p>"
)


def _what_deleting_loses(info: ingress_pb.IngressInfo) -> str:
    credential = credential_name(info)
    if not credential:
        return "It is gone for good, with its state."
    return f"Its {credential} stops working for good; a new ingress gets a new {credential}."


class MainWindow(QMainWindow):
    connection_state = Signal(str, object, str)  # project name, ok (True/False), one sentence

    def __init__(self, preferences: Preferences | None = None) -> None:
        super().__init__()
        self.preferences = preferences or Preferences()
        self.setWindowTitle("Ingress Studio")
        self.resize(1280, 720)
        self.setAcceptDrops(True)
        # Parented to the window: Qt destroys them with it, on the GUI thread. Owned by Python alone, they
        # (and the model's timer) would die wherever the cycle collector happens to run, another thread
        # included ("Timers cannot be stopped from another thread", then a crash).
        self.model = IngressTableModel(parent=self)
        self.proxy = IngressFilterProxy(self.model, parent=self)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegateForColumn(STATUS_COLUMN, StatusBadgeDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.columns = ColumnFitter(self.table)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.empty_hint = QLabel()
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setText(EMPTY_HINT)
        self.problem = ConnectionProblem()
        self.problem.retry_requested.connect(self._retry_after_problem)
        self.problem.edit_requested.connect(self._edit_project_after_problem)
        self.no_match = NoMatchPage()
        self.no_match.clear_requested.connect(self.clear_filters)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.empty_hint)
        self._pages.addWidget(self.table)
        self._pages.addWidget(self.problem)
        self._pages.addWidget(self.no_match)
        self.details = IngressDetails()
        self.splitter = QSplitter()
        self.splitter.addWidget(self._pages)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.connection_label = QLabel("Starting the sandbox…")
        self.statusBar().addWidget(self.connection_label, 1)

        self.room_filter = QComboBox()
        self.room_filter.setMinimumContentsLength(14)
        self.room_filter.addItem(ALL_ROOMS)
        self.room_filter.currentTextChanged.connect(self._room_chosen)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name, room, participant, status…")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(300)
        self.search.textChanged.connect(lambda text: self._filter_keeping_selection(self.proxy.set_text, text))
        self._build_actions()
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self._client: IngressClient | None = None
        self._reachable = False  # the current project answered a list: only then is New offered
        self._problem_retry: Callable[[], Any] | None = None
        self._picker: ProjectPicker | None = None
        self._poller: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._closing: set[asyncio.Future[Any]] = set()  # held: asyncio keeps tasks only weakly
        self._changes = 0  # bumped by every change made here; an older list must not undo it
        self._full_refresh_wanted = True
        self._tasks: dict[str, asyncio.Future[Any]] = {}
        self.dialog: IngressDialog | None = None
        self._pages.setCurrentWidget(self.table)  # empty until a project answers: not "no ingresses" yet
        self._update_actions()
        self._restore_layout()

    # -- actions, menus, toolbar --------------------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work wherever the focus is
        return action

    def _build_actions(self) -> None:
        self.new_actions = {
            kind: self._action(f"New {name} ingress…", functools.partial(self.new_ingress, kind))
            for kind, name in INPUT_TYPE_LABELS.items()
        }
        self.new_actions[ingress_pb.RTMP_INPUT].setShortcut(QKeySequence.StandardKey.New)
        self.edit_action = self._action("Edit…", self.edit_selected, "Ctrl+E")
        self.duplicate_action = self._action("Duplicate…", self.duplicate_selected, "Ctrl+D")
        self.toggle_action = self._action("Disable", self.toggle_enabled_selected, "Ctrl+Shift+E")
        self.delete_action = self._action("Delete…", self.delete_selected)
        # The Delete key deletes only from the table: in the search box or a combo it means something else.
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.removeAction(self.delete_action)
        self.table.addAction(self.delete_action)
        self.copy_url_action = self._action("Copy URL", self.details.copy_url, "Ctrl+Shift+C")
        self.copy_key_action = self._action("Copy stream key", self.details.copy_key, "Ctrl+Shift+K")
        self.import_action = self._action("Import ingress.json…", self.choose_import_file, "Ctrl+O")
        self.export_action = self._action("Export ingress.json…", self.choose_export_file, "Ctrl+Shift+S")
        self.refresh_action = self._action("Refresh", self.refresh_now, QKeySequence.StandardKey.Refresh)
        self.quit_action = self._action("Quit", self.close, QKeySequence.StandardKey.Quit)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.import_action, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        ingress_menu = self.menuBar().addMenu("&Ingress")
        ingress_menu.addActions(list(self.new_actions.values()))
        ingress_menu.addSeparator()
        ingress_menu.addActions([self.edit_action, self.duplicate_action, self.toggle_action, self.delete_action])
        ingress_menu.addSeparator()
        ingress_menu.addActions([self.copy_url_action, self.copy_key_action])
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.refresh_action)
        interval_menu = view_menu.addMenu("Refresh every")
        self.interval_group = QActionGroup(self)
        for seconds in REFRESH_CHOICES_S:
            choice = QAction(f"{seconds:g} s", self, checkable=True)
            choice.setChecked(seconds == self.preferences.refresh_s)
            choice.triggered.connect(lambda _checked=False, s=seconds: self.set_refresh_interval(s))
            self.interval_group.addAction(choice)
            interval_menu.addAction(choice)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        new_button = self.new_button = QToolButton()
        new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        for action in self.new_actions.values():
            new_button.addAction(action)
        # After addAction: re-adding the default action would remove it first, and that clears the default.
        # The button shows its action's icon text (kept in step with the action), the menu its full text.
        self.new_actions[ingress_pb.RTMP_INPUT].setIconText("New")
        new_button.setDefaultAction(self.new_actions[ingress_pb.RTMP_INPUT])
        toolbar.addWidget(new_button)
        toolbar.addActions([self.edit_action, self.duplicate_action, self.toggle_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addAction(self.refresh_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.room_filter)
        toolbar.addWidget(self.search)
        self.toolbar = toolbar

    def set_project_picker(self, picker: ProjectPicker) -> None:
        """Put the project picker first in the toolbar (the app wires its signal to connect_project)."""
        self._picker = picker
        first = self.toolbar.actions()[0] if self.toolbar.actions() else None
        self.toolbar.insertWidget(first, picker)  # type: ignore[arg-type]
        if first is not None:
            self.toolbar.insertSeparator(first)

    def _update_actions(self) -> None:
        info = self.selected_info()
        connected = self._client is not None and self._reachable
        for action in self.new_actions.values():
            action.setEnabled(connected)
        self.import_action.setEnabled(connected)
        for action in (self.duplicate_action, self.delete_action, self.export_action, self.copy_url_action):
            action.setEnabled(info is not None)
        reusable = info is not None and info.reusable
        self.edit_action.setEnabled(reusable)
        self.toggle_action.setEnabled(reusable)
        not_reusable = "A URL ingress runs once and cannot be changed."
        self.edit_action.setToolTip("" if info is None or reusable else not_reusable)
        enabled = info is None or is_enabled(info)
        self.toggle_action.setText("Disable" if enabled else "Enable")
        self.copy_key_action.setEnabled(info is not None and bool(info.stream_key))
        self.copy_key_action.setText(f"Copy {(credential_name(info) if info else '') or 'stream key'}")

    # -- the project and its polling ----------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        return self._client.project if self._client else None

    @property
    def client(self) -> IngressClient | None:
        return self._client

    def show_problem(self, sentence: str, retry: Callable[[], Any] | None = None) -> None:
        """A failure outside any project's list (the sandbox child, no project at all).

        It takes the table's place (the sandbox's rows come back from its store with it); `retry`, if given,
        backs its Retry button until a list succeeds (for the sandbox: start the child again).
        """
        self.connection_label.setText(sentence)
        self._problem_retry = retry
        project = self.project
        if project is not None and project.source is ProjectSource.SANDBOX:
            self._reachable = False  # until the sandbox answers again, nothing can be created there
            self._update_actions()
        if project is None or project.source is ProjectSource.SANDBOX:  # its rows are in its store, not lost
            heading = "The sandbox is not running" if retry is not None else "No project to show"
            self.problem.show_failure(heading, sentence, can_retry=retry is not None, edit_note="")
            self._pages.setCurrentWidget(self.problem)

    def _show_list_failure(self, project: Project, sentence: str) -> None:
        """The list failed: with no rows to keep, the table's place says so (rows shown stay shown)."""
        if self.model.rowCount() or self._problem_retry is not None:
            return  # rows are kept; or a sandbox failure already says more than "cannot connect"
        if project.source is ProjectSource.SAVED and self._picker is not None:
            note = None  # Edit project is offered
        else:
            note = READ_ONLY_REASONS.get(project.source, "") if project.source is not ProjectSource.SANDBOX else ""
        self.problem.show_failure(f"Cannot list the ingresses of “{project.name}”", sentence, True, note)
        self._pages.setCurrentWidget(self.problem)

    def _retry_after_problem(self) -> None:
        self.connection_label.setText("Retrying…")
        if self._problem_retry is not None:
            self._problem_retry()
        self.refresh_now()

    def _edit_project_after_problem(self) -> None:
        if self._picker is not None and self.project is not None:
            self._picker.select(self.project.name)
            self._picker.edit_project()

    def show_notice(self, sentence: str) -> None:
        """Something worth knowing that is not a failure: shown in the status bar for a while."""
        self.statusBar().showMessage(sentence, NOTICE_MS)

    def connect_project(self, project: Project) -> None:
        """Show this project's ingresses from now on (the previous project's rows go at once)."""
        if self._client is not None and self._client.project == project:
            return  # picked again: nothing changes, so nothing is torn down
        self._stop_polling()
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        old = self._client
        if old is not None:
            self._keep(asyncio.ensure_future(old.aclose()))
        self.model.set_infos([])
        self.proxy.set_room("")  # another project has other rooms
        self._refresh_room_filter()
        self.details.show_info(None)
        self.details.preview.stop()
        self._client = IngressClient(project)
        self._reachable = False
        self._pages.setCurrentWidget(self.table)
        self.preferences.project_name = project.name
        self.setWindowTitle(f"Ingress Studio — {project.name}")
        self.connection_label.setText(f"Connecting to {project.name} at {project.url}…")
        self._update_actions()
        self._poller = asyncio.ensure_future(self._poll(self._client))

    def _keep(self, task: asyncio.Future[Any]) -> None:
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def set_refresh_interval(self, seconds: float) -> None:
        self.preferences.refresh_s = seconds
        self.refresh_now()

    def refresh_now(self) -> None:
        self._full_refresh_wanted = True
        self._wake.set()

    def _selected_live_id(self) -> str | None:
        info = self.selected_info()
        return info.ingress_id if info is not None and info.state.status in LIVE_STATUSES else None

    def _interval(self) -> float:
        if self._selected_live_id() is not None:
            return min(self.preferences.refresh_s, LIVE_REFRESH_S)
        return self.preferences.refresh_s

    async def refresh_selected(self, ingress_id: str) -> None:
        """Between full lists, only the selected live ingress: its numbers move, the rest rarely do."""
        client = self._client
        if client is None:
            return
        changes = self._changes
        items = await client.list(ingress_id=ingress_id)
        if client is not self._client or changes != self._changes or not items:
            return
        self.model.update_one(items[0])
        self._show_selected()
        self._show_status_line(client.project)

    async def refresh_once(self) -> None:
        """One refresh; raises ApiError on failure (the poller turns that into a status message)."""
        client = self._client
        if client is None:
            return
        changes = self._changes
        items = await client.list()
        if client is not self._client:
            return  # the project changed while we waited: these rows belong to another one
        if changes != self._changes:
            self.refresh_now()  # a change was made meanwhile: this list predates it
            return
        self._reachable = True
        self._problem_retry = None
        self.model.set_infos(items)
        self._refresh_room_filter()
        self._show_rows()
        self._show_selected()
        self._update_actions()
        self._show_status_line(client.project)
        self.connection_state.emit(client.project.name, True, f"Connected to {client.project.url}")

    def _show_status_line(self, project: Project) -> None:
        """From the rows shown, so a fast refresh of one live ingress keeps the live count true too."""
        count = self.model.rowCount()
        live = sum(1 for row in range(count) if self.model.view_at(row).status_code in LIVE_STATUSES)
        self.connection_label.setText(
            f"{project.name} · {project.url} · {count} ingress{'es' if count != 1 else ''}"
            + (f" · {live} live" if live else "")
        )

    def _paused(self) -> bool:
        return not self.isVisible() or self.isMinimized()

    async def _poll(self, client: IngressClient) -> None:
        retry = 0.0
        last_full = 0.0
        while self._client is client:
            while self._paused() and self._client is client:
                self._wake.clear()  # hidden or minimised: nobody looks, so nothing is fetched
                await self._wake.wait()
            self._wake.clear()  # before fetching: a wake-up during the fetch must not be lost
            delay: float | None
            try:
                live_id = self._selected_live_id()
                full_due = time.monotonic() - last_full >= self.preferences.refresh_s
                if live_id is not None and not full_due and not self._full_refresh_wanted:
                    await self.refresh_selected(live_id)
                else:
                    self._full_refresh_wanted = False
                    await self.refresh_once()
                    last_full = time.monotonic()
                retry = 0.0
                delay = self._interval()
            except ApiError as exc:
                # Keep the rows we have; say what is wrong; retry quietly with growing pauses.
                self._full_refresh_wanted = True
                retry = min(max(retry * 2, self.preferences.refresh_s), MAX_RETRY_INTERVAL_S)
                delay = retry if exc.retry_helps else None  # wrong credentials: wait for Retry or an edit
                self.connection_label.setText(exc.message + (f" Retrying in {delay:g} s." if delay else ""))
                self.connection_state.emit(client.project.name, False, exc.message)
                self._reachable = False
                self._update_actions()
                self._show_list_failure(client.project, exc.message)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def _stop_polling(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._wake.set()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and not self.isMinimized():
            self._wake.set()

    # -- table, filter, selection -------------------------------------------------------------------

    def _show_rows(self) -> None:
        """The table; or, with no ingress at all, how to make one; or, with all filtered out, a way back."""
        if self.model.rowCount() == 0:
            self._pages.setCurrentWidget(self.empty_hint)
        elif self.proxy.rowCount() == 0:
            self.no_match.describe(self.model.rowCount(), self.search.text().strip(), self.proxy.room)
            self._pages.setCurrentWidget(self.no_match)
        else:
            self._pages.setCurrentWidget(self.table)

    def clear_filters(self) -> None:
        self.search.clear()
        self.room_filter.setCurrentText(ALL_ROOMS)

    def _refresh_room_filter(self) -> None:
        rooms = [ALL_ROOMS, *self.model.rooms()]
        current = [self.room_filter.itemText(i) for i in range(self.room_filter.count())]
        if rooms == current:
            return
        chosen = self.proxy.room or ALL_ROOMS
        self.room_filter.blockSignals(True)
        self.room_filter.clear()
        self.room_filter.addItems(rooms if chosen in rooms else [*rooms, chosen])
        self.room_filter.setCurrentText(chosen)
        self.room_filter.blockSignals(False)

    def _room_chosen(self, room: str) -> None:
        self._filter_keeping_selection(self.proxy.set_room, "" if room == ALL_ROOMS else room)

    def _filter_keeping_selection(self, apply: Callable[[str], None], value: str) -> None:
        """Refiltering resets the proxy's rows; the selected ingress stays selected while it still matches."""
        info = self.selected_info()
        apply(value)
        if self._pages.currentWidget() in (self.table, self.no_match):
            self._show_rows()
        if info is not None and not self.select_ingress(info.ingress_id):
            self._show_selected()  # filtered out: the details follow the (empty) selection

    def selected_info(self) -> ingress_pb.IngressInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.info(str(rows[0].data(INGRESS_ID_ROLE)))

    def select_ingress(self, ingress_id: str) -> bool:
        row = self.model.row_of(ingress_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _show_selected(self) -> None:
        info = self.selected_info()
        self.details.show_info(info)
        live = info is not None and info.state.status in LIVE_STATUSES
        self.details.preview.watch(self.project, info.ingress_id if info else None, live)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected()
        self._update_actions()
        info = self.selected_info()
        if info is not None and info.state.status in LIVE_STATUSES:
            self._wake.set()  # a live ingress just selected is refreshed faster from now on

    # -- doing things -------------------------------------------------------------------------------

    def _run(self, name: str, work: Coroutine[Any, Any, Any], failure: str) -> asyncio.Future[Any]:
        """Run an API call as a named task; a new one of the same name replaces the old one."""
        old = self._tasks.pop(name, None)
        if old is not None:
            old.cancel()

        async def guarded() -> Any:
            try:
                return await work
            except ApiError as exc:
                self.warn(failure, exc.message)
                return None

        task = asyncio.ensure_future(guarded())
        self._tasks[name] = task
        return task

    def warn(self, title: str, sentence: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, title, sentence, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the event loop, and the refreshes, keep running
        return box

    def _require_client(self) -> IngressClient | None:
        if self._client is None:
            self.warn("Not connected", "Pick a project first: there is no server to send this to.")
        return self._client

    def _after_change(self, info: ingress_pb.IngressInfo | None) -> None:
        if info is None:
            return
        self._changes += 1
        self.model.set_infos([*self._other_infos(info.ingress_id), info])
        self._refresh_room_filter()
        self._show_rows()
        self.select_ingress(info.ingress_id)
        self._show_selected()
        self._update_actions()
        self.refresh_now()

    def _other_infos(self, ingress_id: str) -> list[ingress_pb.IngressInfo]:
        """The rows shown, in order, without one: for applying a change before the next refresh."""
        infos = []
        for row in range(self.model.rowCount()):
            info = self.model.info(self.model.view_at(row).ingress_id)
            if info is not None and info.ingress_id != ingress_id:
                infos.append(info)
        return infos

    def _open_dialog(self, dialog: IngressDialog) -> IngressDialog:
        self.dialog = dialog
        dialog.saved.connect(self._after_change)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def new_ingress(self, input_type: int = ingress_pb.RTMP_INPUT) -> IngressDialog | None:
        client = self._require_client()
        if client is None:
            return None
        return self._open_dialog(IngressDialog.for_create(self, client.create, input_type=input_type))

    def duplicate_selected(self) -> IngressDialog | None:
        client, info = self._client, self.selected_info()
        if client is None or info is None:
            return None
        return self._open_dialog(IngressDialog.for_create(self, client.create, initial=info))

    def edit_selected(self) -> IngressDialog | None:
        client, info = self._client, self.selected_info()
        if client is None or info is None or not info.reusable:
            return None
        live = info.state.status in LIVE_STATUSES
        return self._open_dialog(IngressDialog.for_edit(self, info, client.update, live=live))

    def toggle_enabled_selected(self) -> asyncio.Future[Any] | QMessageBox | None:
        """Enable or disable at once; a live ingress asks first (the box is returned), else the task is."""
        client, info = self._client, self.selected_info()
        if client is None or info is None or not info.reusable:
            return None
        enable = not is_enabled(info)
        request = ingress_pb.UpdateIngressRequest(ingress_id=info.ingress_id, enabled=enable)

        async def toggle() -> None:
            self._after_change(await client.update(request))

        def run() -> asyncio.Future[Any]:
            return self._run("toggle", toggle(), "Could not enable the ingress" if enable else "Could not disable it")

        if info.state.status in LIVE_STATUSES:
            return self.confirm(  # any update ends a live session: never cut a stream by accident
                "Disable ingress" if not enable else "Enable ingress",
                f"“{info.name or info.ingress_id}” is live.",
                "Changing it now ends the stream; the encoder must reconnect."
                + (" While disabled, it refuses publishers." if not enable else ""),
                "Disable" if not enable else "Enable",
                run,
            )
        return run()

    def confirm(self, title: str, text: str, detail: str, action: str, on_yes: Callable[[], Any]) -> QMessageBox:
        """Ask without a nested event loop (the refreshes go on); Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(detail)
        yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _result: on_yes() if box.clickedButton() is yes else None)
        # Deleted after its handlers ran; WA_DeleteOnClose could delete it under them (a crash, seen).
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    def delete_selected(self) -> QMessageBox | None:
        client, info = self._client, self.selected_info()
        if client is None or info is None:
            return None
        live = info.state.status in LIVE_STATUSES

        async def delete() -> None:
            await client.delete(info.ingress_id)
            self._changes += 1
            self.model.set_infos(self._other_infos(info.ingress_id))
            self._show_rows()
            self._show_selected()
            self._update_actions()
            self.refresh_now()

        return self.confirm(
            "Delete ingress",
            f"Delete “{info.name or info.ingress_id}”?",
            ("It is live: the stream stops now. " if live else "") + _what_deleting_loses(info),
            "Delete",
            lambda: self._run("delete", delete(), "Could not delete the ingress"),  # the call made on Yes only
        )

    # -- import and export --------------------------------------------------------------------------

    def choose_import_file(self) -> None:
        folder = str(self.preferences.file_folder)
        dialog = QFileDialog(self, "Import ingress.json", folder, "Ingress JSON (*.json);;All files (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda paths: [self.import_file(Path(p)) for p in paths])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def import_file(self, path: Path) -> asyncio.Future[Any] | None:
        """Create an ingress from an lk-style ingress.json; a bad file is one sentence, nothing is sent."""
        client = self._require_client()
        if client is None:
            return None
        try:
            request = parse_create_request(path.read_text(encoding="utf-8"))
            self.preferences.file_folder = path.parent
        except (OSError, UnicodeDecodeError) as exc:
            self.warn("Cannot import", f"{path.name} cannot be read ({getattr(exc, 'strerror', None) or exc}).")
            return None
        except SpecError as exc:
            self.warn("Cannot import", f"{path.name} is not a valid ingress.json: {exc}")
            return None

        async def create() -> None:
            info = await client.create(request)
            self._after_change(info)
            self.statusBar().showMessage(f"Imported {path.name} as “{info.name or info.ingress_id}”.", 6000)

        return self._run(f"import:{path}", create(), f"Could not import {path.name}")

    def choose_export_file(self) -> None:
        info = self.selected_info()
        if info is None:
            return
        suggested = f"{(info.name or info.ingress_id).replace('/', '-')}.json"
        suggested_path = str(self.preferences.file_folder / suggested)
        dialog = QFileDialog(self, "Export ingress.json", suggested_path, "Ingress JSON (*.json)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path), info))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def export_to(self, path: Path, info: ingress_pb.IngressInfo | None = None) -> bool:
        info = info or self.selected_info()
        if info is None:
            return False
        try:
            path.write_text(dumps_spec(export_spec(info)), encoding="utf-8")
            self.preferences.file_folder = path.parent
        except OSError as exc:
            self.warn("Cannot export", f"{path} cannot be written ({exc.strerror or exc}).")
            return False
        self.statusBar().showMessage(f"Exported “{info.name or info.ingress_id}” to {path}.", 6000)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.toLocalFile().lower().endswith(".json") for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        json_paths = [path for path in paths if path.suffix.lower() == ".json"]
        for path in json_paths:
            self.import_file(path)
        if json_paths:
            event.acceptProposedAction()

    # -- window state -------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        prefs = self.preferences
        geometry, state = prefs.geometry("geometry"), prefs.geometry("state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        splitter, header = prefs.geometry("splitter"), prefs.geometry(TABLE_HEADER_KEY)
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            QTimer.singleShot(0, self._default_split)
        if header is not None:
            self.columns.restore(header)

    def _default_split(self) -> None:
        """The details panel takes about a third of the window, between its minimum and 460 px."""
        width = self.splitter.width()
        details = max(self.details.minimumWidth(), min(DETAILS_MAX_DEFAULT_WIDTH, round(width * 0.36)))
        self.splitter.setSizes([width - details, details])

    def save_layout(self) -> None:
        prefs = self.preferences
        prefs.set_geometry("geometry", self.saveGeometry())
        prefs.set_geometry("state", self.saveState())
        prefs.set_geometry("splitter", self.splitter.saveState())
        prefs.set_geometry(TABLE_HEADER_KEY, self.table.horizontalHeader().saveState())
        prefs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    async def shutdown(self) -> None:
        self._stop_polling()
        self.details.preview.stop()
        if self.dialog is not None:
            with contextlib.suppress(RuntimeError):  # already closed and deleted by Qt
                self.dialog.reject()  # its pending save stops waiting
        for task in self._tasks.values():
            task.cancel()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        await asyncio.gather(*self._closing, self.details.preview.closed(), return_exceptions=True)
