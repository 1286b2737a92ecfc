"""The main window: a project's ingresses, live, with everything a streamer does to them.

The behaviour is the IngressList controller's (which project, polling and pacing, stale answers,
backoff); this binds widgets to it. Every API call is a task on the qasync loop, never a blocking call
on the GUI thread; a failure is one sentence in the status bar, the table's place or a message box.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from livekit.protocol import ingress as ingress_pb
from PySide6.QtCore import QEvent, QItemSelection, Qt, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
)

from ingress_studio.api.errors import ApiError
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.controllers.ingress_list import IngressList
from ingress_studio.controllers.live_notifications import LiveNotifications, Notice
from ingress_studio.display.encoder_settings import what_deleting_loses
from ingress_studio.domain.ingress_kinds import is_enabled, is_live
from ingress_studio.ui.ingress_details import IngressDetails
from ingress_studio.ui.ingress_file_actions import IngressFileActions
from ingress_studio.ui.ingress_filter_proxy import IngressFilterProxy
from ingress_studio.ui.ingress_pages import IngressPages
from ingress_studio.ui.ingress_table_model import IngressTableModel
from ingress_studio.ui.ingress_table_view import IngressTableView
from ingress_studio.ui.live_docks import LiveDocks
from ingress_studio.ui.message_boxes import confirm, warn
from ingress_studio.ui.preferences import Preferences
from ingress_studio.ui.project_picker import READ_ONLY_REASONS, ProjectPicker
from ingress_studio.ui.room_filter import RoomFilter
from ingress_studio.ui.window_actions import WindowActions
from ingress_studio.ui.window_layout import restore_layout, save_layout

if TYPE_CHECKING:  # the API stack loads with the first project, the dialogs when opened: after the window is up
    from ingress_studio.api.client import IngressClient
    from ingress_studio.ui.ingress_dialog import IngressDialog
    from ingress_studio.ui.licences_view import LicencesView
    from ingress_studio.ui.log_viewer import LogViewer

log = logging.getLogger(__name__)

NOTICE_MS = 20_000


class MainWindow(IngressFileActions, QMainWindow):
    connection_state = Signal(str, object, str)  # project name, ok (True/False/None), one sentence
    closed = Signal()  # really closed, not hidden in the tray: the app quits
    hidden_to_tray = Signal()  # closing hid it in the tray instead

    def __init__(self, preferences: Preferences | None = None) -> None:
        super().__init__()
        self.preferences = preferences or Preferences()
        self.ingresses = IngressList(refresh_s=lambda: self.preferences.refresh_s)
        self.setWindowTitle("Ingress Studio")
        self.resize(1280, 720)
        self.setAcceptDrops(True)
        # Parented to the window: Qt destroys them with it, on the GUI thread. Owned by Python alone, they
        # (and the model's timer) would die wherever the cycle collector happens to run, another thread
        # included ("Timers cannot be stopped from another thread", then a crash).
        self.model = IngressTableModel(parent=self)
        self.proxy = IngressFilterProxy(self.model, parent=self)
        self.table = IngressTableView(self.proxy)
        self.columns = self.table.columns
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.pages = IngressPages(self.table)
        self.empty_hint, self.problem, self.no_match = self.pages.empty_hint, self.pages.problem, self.pages.no_match
        self.problem.retry_requested.connect(self._retry_after_problem)
        self.problem.edit_requested.connect(self._edit_project_after_problem)
        self.no_match.clear_requested.connect(self.clear_filters)
        self.details = IngressDetails()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.pages)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.live = LiveDocks(self, self.preferences)
        self.notifications = LiveNotifications(self.live.go_live, self.ingresses)
        # Always in the status bar too: with no tray it is the only place (the tray adds desktop notifications).
        self.notifications.notice.connect(self._notice_in_status_bar)
        self.in_tray = False  # a tray icon shows: its notifications need the list polled while the window hides
        self.close_to_tray = False  # closing hides it in the tray (OBS: "minimize to tray"), not quits
        self._quitting = False
        self.connection_label = QLabel("Starting the sandbox…")
        self.statusBar().addWidget(self.connection_label, 1)

        self.room_filter = RoomFilter()
        self.room_filter.room_chosen.connect(lambda room: self._filter_keeping_selection(self.proxy.set_room, room))
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name, room, participant, status…")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(300)
        self.search.textChanged.connect(lambda text: self._filter_keeping_selection(self.proxy.set_text, text))
        self.actions_ = WindowActions(self, self, self.table, self.preferences.refresh_s)
        self.toolbar = self.actions_.build_toolbar([self.room_filter, self.search])
        self.actions_.add_panels(self.live.docks)
        self.new_actions, self.new_button = self.actions_.new, self.actions_.new_button
        self.edit_action, self.duplicate_action = self.actions_.edit, self.actions_.duplicate
        self.toggle_action, self.delete_action = self.actions_.toggle, self.actions_.delete
        self.copy_url_action, self.copy_key_action = self.actions_.copy_url, self.actions_.copy_key
        self.import_action, self.export_action = self.actions_.import_file, self.actions_.export_file
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self._problem_retry: Callable[[], Any] | None = None
        self._picker: ProjectPicker | None = None
        self.dialog: IngressDialog | None = None
        self.log_viewer: LogViewer | None = None
        self.licences_view: LicencesView | None = None
        self._bind_controller()
        self.ingresses.set_visible(False)  # until shown: a window nobody sees fetches nothing
        self._update_actions()
        restore_layout(self, self.splitter, self.details, self.table, self.preferences)

    def _bind_controller(self) -> None:
        ingresses = self.ingresses
        ingresses.listed.connect(self._show_list)
        ingresses.updated.connect(self._show_one)
        ingresses.status.connect(self.connection_label.setText)
        ingresses.failed.connect(self._show_list_failure)
        ingresses.reachability.connect(self._reachability_changed)
        ingresses.connection.connect(self.connection_state.emit)

    def set_project_picker(self, picker: ProjectPicker) -> None:
        """Put the project picker first in the toolbar (the app wires its signal to connect_project)."""
        self._picker = picker
        first = self.toolbar.actions()[0] if self.toolbar.actions() else None
        self.toolbar.insertWidget(first, picker)  # type: ignore[arg-type]
        if first is not None:
            self.toolbar.insertSeparator(first)

    def _update_actions(self) -> None:
        self.actions_.update(self.selected_info(), can_create=self.ingresses.reachable)

    # -- the project ---------------------------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        return self.ingresses.project

    @property
    def client(self) -> IngressClient | None:
        return self.ingresses.client

    def connect_project(self, project: Project) -> None:
        """Show this project's ingresses from now on (the previous project's rows go at once)."""
        if not self.ingresses.switch(project):
            return
        self.proxy.set_room("")  # another project has other rooms
        self.details.show_info(None)
        self.details.preview.stop()
        self.pages.show_table()
        self.preferences.project_name = project.name
        self.setWindowTitle(f"Ingress Studio — {project.name}")

    def show_problem(self, sentence: str, retry: Callable[[], Any] | None = None) -> None:
        """A failure outside any project's list (the sandbox child, no project at all).

        It takes the table's place (the sandbox's rows come back from its store with it); `retry`, if given,
        backs its Retry button until a list succeeds (for the sandbox: start the child again).
        """
        self.connection_label.setText(sentence)
        self._problem_retry = retry
        project = self.project
        if project is not None and project.source is ProjectSource.SANDBOX:
            self.ingresses.mark_unreachable()  # until the sandbox answers again, nothing can be created there
        if project is None or project.source is ProjectSource.SANDBOX:
            heading = "The sandbox is not running" if retry is not None else "No project to show"
            self.pages.show_problem(heading, sentence, can_retry=retry is not None, edit_note="")

    def show_notice(self, sentence: str) -> None:
        """Something worth knowing that is not a failure: shown in the status bar for a while."""
        self.statusBar().showMessage(sentence, NOTICE_MS)

    def _show_list_failure(self, project: Project, sentence: str) -> None:
        """The list failed: with no rows to keep, the table's place says so (rows shown stay shown)."""
        if self.model.rowCount() or self._problem_retry is not None:
            return  # rows are kept; or a sandbox failure already says more than "cannot connect"
        if project.source is ProjectSource.SAVED and self._picker is not None:
            note = None  # Edit project is offered
        else:
            note = READ_ONLY_REASONS.get(project.source, "") if project.source is not ProjectSource.SANDBOX else ""
        self.pages.show_problem(f"Cannot list the ingresses of “{project.name}”", sentence, True, note)

    def _retry_after_problem(self) -> None:
        self.connection_label.setText("Retrying…")
        if self._problem_retry is not None:
            self._problem_retry()
        self.refresh_now()

    def _edit_project_after_problem(self) -> None:
        if self._picker is not None and self.project is not None:
            self._picker.select(self.project.name)
            self._picker.edit_project()

    def _reachability_changed(self, reachable: bool) -> None:
        if reachable:
            self._problem_retry = None
        self._update_actions()

    def set_refresh_interval(self, seconds: float) -> None:
        self.preferences.refresh_s = seconds
        self.refresh_now()

    def refresh_now(self) -> None:
        self.ingresses.refresh_now()

    def _show_list(self, infos: list[ingress_pb.IngressInfo]) -> None:
        self.model.set_infos(infos)
        self.live.set_ingresses(infos)
        self.room_filter.set_rooms(self.model.rooms(), self.proxy.room)
        if self.ingresses.reachable or infos:
            self._show_rows()
        self._show_selected()
        self._update_actions()

    def _show_one(self, info: ingress_pb.IngressInfo) -> None:
        self.model.update_one(info)
        self.live.ingress_updated(info)
        self._show_selected()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._poll_if_looked_at()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._poll_if_looked_at()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange:
            self._poll_if_looked_at()

    def set_in_tray(self, in_tray: bool) -> None:
        self.in_tray = in_tray
        self._poll_if_looked_at()

    def _poll_if_looked_at(self) -> None:
        """Nobody looks at a hidden or minimised window, so nothing is fetched; unless a tray icon watches."""
        self.ingresses.set_visible(self.in_tray or (self.isVisible() and not self.isMinimized()))
        self.live.room_on_screen_changed()  # the room view leaves its room whenever nobody sees it, tray or not

    def _notice_in_status_bar(self, notice: Notice) -> None:
        self.show_notice(notice.line)

    def bring_to_front(self) -> None:
        """Shown again as it was (maximised stays maximised), raised and focused: from the tray, a second launch."""
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    # -- table, filter, selection --------------------------------------------------------------------

    def _show_rows(self) -> None:
        self.pages.show_rows(self.model.rowCount(), self.proxy.rowCount(), self.search.text().strip(), self.proxy.room)

    def clear_filters(self) -> None:
        self.search.clear()
        self.room_filter.show_all()

    def _filter_keeping_selection(self, apply: Callable[[str], None], value: str) -> None:
        """Refiltering resets the proxy's rows; the selected ingress stays selected while it still matches."""
        info = self.selected_info()
        apply(value)
        if self.pages.showing_rows:
            self._show_rows()
        if info is not None and not self.select_ingress(info.ingress_id):
            self._show_selected()  # filtered out: the details follow the (empty) selection

    def selected_info(self) -> ingress_pb.IngressInfo | None:
        ingress_id = self.table.selected_id()
        return self.model.info(ingress_id) if ingress_id is not None else None

    def select_ingress(self, ingress_id: str) -> bool:
        row = self.model.row_of(ingress_id)
        return row is not None and self.table.select_source_row(row)

    def _show_selected(self) -> None:
        info = self.selected_info()
        self.details.show_info(info)
        self.live.set_ingress(info)
        self.live.follow_room(self.project, info)
        self.details.preview.watch(self.project, info.ingress_id if info else None, info is not None and is_live(info))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected()
        self._update_actions()
        info = self.selected_info()
        self.ingresses.select(info.ingress_id if info is not None else None)

    def copy_url(self) -> None:
        self.details.copy_url()

    def copy_key(self) -> None:
        self.details.copy_key()

    # -- doing things --------------------------------------------------------------------------------

    def _run(self, name: str, work: Coroutine[Any, Any, Any], failure: str) -> asyncio.Future[Any]:
        """An API call as a named task (a new one of the same name replaces the old); a failure is a notice."""

        async def guarded() -> Any:
            try:
                return await work
            except ApiError as exc:
                self.warn(failure, exc.message)
                return None

        return self.ingresses.tasks.run(name, guarded())

    def warn(self, title: str, sentence: str) -> QMessageBox:
        return warn(self, title, sentence)

    def confirm(self, title: str, text: str, detail: str, action: str, on_yes: Callable[[], Any]) -> QMessageBox:
        return confirm(self, title, text, detail, action, on_yes)

    def _connected(self) -> bool:
        if self.client is None:
            self.warn("Not connected", "Pick a project first: there is no server to send this to.")
        return self.client is not None

    def _open_dialog(self, dialog: IngressDialog) -> IngressDialog:
        self.dialog = dialog
        dialog.saved.connect(lambda info: self.select_ingress(info.ingress_id))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def new_ingress(self, input_type: int = ingress_pb.RTMP_INPUT) -> IngressDialog | None:
        from ingress_studio.ui.ingress_dialog import IngressDialog

        if not self._connected():
            return None
        return self._open_dialog(IngressDialog.for_create(self, self.ingresses.create, input_type=input_type))

    def duplicate_selected(self) -> IngressDialog | None:
        from ingress_studio.ui.ingress_dialog import IngressDialog

        info = self.selected_info()
        if self.client is None or info is None:
            return None
        return self._open_dialog(IngressDialog.for_create(self, self.ingresses.create, initial=info))

    def edit_selected(self) -> IngressDialog | None:
        from ingress_studio.ui.ingress_dialog import IngressDialog

        info = self.selected_info()
        if self.client is None or info is None or not info.reusable:
            return None
        return self._open_dialog(IngressDialog.for_edit(self, info, self.ingresses.update, live=is_live(info)))

    def toggle_enabled_selected(self) -> asyncio.Future[Any] | QMessageBox | None:
        """Enable or disable at once; a live ingress asks first (the box is returned), else the task is."""
        info = self.selected_info()
        if self.client is None or info is None or not info.reusable:
            return None
        enable = not is_enabled(info)

        def run() -> asyncio.Future[Any]:
            failure = "Could not enable the ingress" if enable else "Could not disable it"
            return self._run("toggle", self.ingresses.set_enabled(info, enable), failure)

        if is_live(info):
            return self.confirm(  # any update ends a live session: never cut a stream by accident
                "Disable ingress" if not enable else "Enable ingress",
                f"“{info.name or info.ingress_id}” is live.",
                "Changing it now ends the stream; the encoder must reconnect."
                + (" While disabled, it refuses publishers." if not enable else ""),
                "Disable" if not enable else "Enable",
                run,
            )
        return run()

    def delete_selected(self) -> QMessageBox | None:
        info = self.selected_info()
        if self.client is None or info is None:
            return None
        return self.confirm(
            "Delete ingress",
            f"Delete “{info.name or info.ingress_id}”?",
            ("It is live: the stream stops now. " if is_live(info) else "") + what_deleting_loses(info),
            "Delete",
            # the call is made on Yes only
            lambda: self._run("delete", self.ingresses.delete(info.ingress_id), "Could not delete the ingress"),
        )

    def show_logs(self) -> LogViewer:
        """Help → Logs: one viewer, brought to the front (it reads the files again each time it opens)."""
        from ingress_studio.ui.log_viewer import LogViewer

        if self.log_viewer is None:
            self.log_viewer = LogViewer(parent=self)
        self.log_viewer.show()
        self.log_viewer.raise_()
        self.log_viewer.activateWindow()
        return self.log_viewer

    def show_licences(self) -> LicencesView:
        """Help → Licences: one view, loaded the first time it opens (the notices are gathered then)."""
        from ingress_studio.ui.licences_view import LicencesView

        if self.licences_view is None:
            self.licences_view = LicencesView(parent=self)
        self.licences_view.load()
        self.licences_view.show()
        self.licences_view.raise_()
        self.licences_view.activateWindow()
        return self.licences_view

    def show_about(self) -> QMessageBox:
        from ingress_studio.ui.about_box import show_about

        return show_about(self, self.show_licences)

    # -- window state --------------------------------------------------------------------------------

    def save_layout(self) -> None:
        save_layout(self, self.splitter, self.table, self.preferences)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_to_tray and self.in_tray and not self._quitting:
            event.ignore()  # the streamer chose to keep it running there; a push goes on
            self.save_layout()
            self.hide()
            self.hidden_to_tray.emit()
            return
        if self.live.live and not self.live.may_close:
            event.ignore()  # as OBS asks: closing a window must not end a stream by surprise
            if not self.isVisible() or self.isMinimized():
                self.bring_to_front()  # Quit from the tray: the question needs a window to be seen on
            self.confirm(*self.live.quit_question(), on_yes=self._close_while_live)
            return
        self.save_layout()
        self.live.cancel_checks()
        super().closeEvent(event)
        self.closed.emit()

    def quit(self) -> bool:
        """Quit (the menus' Quit, the tray's): closing that never just hides in the tray; asks first while live."""
        self._quitting = True
        try:
            return self.close()
        finally:
            self._quitting = False

    def _close_while_live(self) -> None:
        self.live.may_close = True
        self.quit()

    async def shutdown(self) -> None:
        self.details.preview.stop()
        await self.live.shutdown()
        if self.log_viewer is not None:
            self.log_viewer.follower.stop()
            await self.log_viewer.follower.closed()
        if self.licences_view is not None:
            await self.licences_view.notices.closed()
        if self.dialog is not None:
            with contextlib.suppress(RuntimeError):  # already closed and deleted by Qt
                self.dialog.reject()  # its pending save stops waiting
        await asyncio.gather(self.ingresses.close(), self.details.preview.closed(), return_exceptions=True)
