"""The window's files: ingress.json import and export (the format of `lk ingress create`), and what is
dropped on the window — media becomes the Go-live source, a URL a URL source, a .json is imported, and
anything else is explained. A mixin of MainWindow, kept apart so the window's class stays readable."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Protocol

from livekit.protocol import ingress as ingress_pb
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from ingress_studio.controllers.dropped_items import SortedDrop
from ingress_studio.controllers.ingress_files import FileProblem, read_create_request, suggested_file_name, write_spec
from ingress_studio.controllers.ingress_list import IngressList
from ingress_studio.ui.dropped_data import may_carry_something, sort_mime
from ingress_studio.ui.file_dialogs import choose_json_file_to_write, choose_json_files
from ingress_studio.ui.live_docks import LiveDocks
from ingress_studio.ui.preferences import Preferences

STATUS_MESSAGE_MS = 6000


class _Window(Protocol):
    """What these actions use of the window they are mixed into."""

    preferences: Preferences
    ingresses: IngressList
    live: LiveDocks

    def statusBar(self) -> QStatusBar: ...
    def window(self) -> QWidget: ...  # the window itself, as the dialogs' parent
    def selected_info(self) -> ingress_pb.IngressInfo | None: ...
    def select_ingress(self, ingress_id: str) -> bool: ...
    def show_notice(self, sentence: str) -> None: ...
    def warn(self, title: str, sentence: str) -> QMessageBox: ...
    def _connected(self) -> bool: ...
    def _run(self, name: str, work: Coroutine[Any, Any, Any], failure: str) -> asyncio.Future[Any]: ...
    def import_file(self, path: Path) -> asyncio.Future[Any] | None: ...
    def export_to(self, path: Path, info: ingress_pb.IngressInfo | None = None) -> bool: ...
    def take_dropped(self, drop: SortedDrop) -> None: ...


class IngressFileActions:
    def choose_import_file(self: _Window) -> None:
        choose_json_files(
            self.window(),
            "Import ingress.json",
            self.preferences.file_folder,
            lambda paths: [self.import_file(p) for p in paths],
        )

    def import_file(self: _Window, path: Path) -> asyncio.Future[Any] | None:
        """Create an ingress from an lk-style ingress.json; a bad file is one sentence, nothing is sent."""
        if not self._connected():
            return None
        try:
            request = read_create_request(path)
        except FileProblem as exc:
            self.warn("Cannot import", exc.message)
            return None
        self.preferences.file_folder = path.parent

        async def create() -> None:
            info = await self.ingresses.create(request)
            self.select_ingress(info.ingress_id)
            self.statusBar().showMessage(
                f"Imported {path.name} as “{info.name or info.ingress_id}”.", STATUS_MESSAGE_MS
            )

        return self._run(f"import:{path}", create(), f"Could not import {path.name}")

    def choose_export_file(self: _Window) -> None:
        info = self.selected_info()
        if info is None:
            return
        suggested = self.preferences.file_folder / suggested_file_name(info)
        choose_json_file_to_write(
            self.window(), "Export ingress.json", suggested, lambda path: self.export_to(path, info)
        )

    def export_to(self: _Window, path: Path, info: ingress_pb.IngressInfo | None = None) -> bool:
        info = info or self.selected_info()
        if info is None:
            return False
        try:
            write_spec(path, info)
        except FileProblem as exc:
            self.warn("Cannot export", exc.message)
            return False
        self.preferences.file_folder = path.parent
        self.statusBar().showMessage(f"Exported “{info.name or info.ingress_id}” to {path}.", STATUS_MESSAGE_MS)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if may_carry_something(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self: _Window, event: QDropEvent) -> None:
        event.acceptProposedAction()
        self.take_dropped(sort_mime(event.mimeData()))

    def take_dropped(self: _Window, drop: SortedDrop) -> None:
        """Media files become the source, a URL a URL source, a .json is imported; the rest is explained."""
        for path in drop.imports:
            self.import_file(path)
        refused = self.live.take_drop(drop)
        if refused:
            self.show_notice(refused)
