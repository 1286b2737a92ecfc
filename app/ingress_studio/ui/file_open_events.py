"""macOS hands the files of Finder's Open With and of a drop on the Dock icon to the running app as Apple
Events, which Qt sends to the QApplication as QFileOpenEvents — never as argv. This filter takes them and
hands them, one request per burst, to where a second launch's files go.

It must be installed as soon as the application exists: the launch's own files arrive right after, before
the window does (see controllers/opened_files.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from ingress_studio.controllers.launch_request import LaunchRequest
from ingress_studio.controllers.opened_files import OpenedFiles

BURST_MS = 300  # Finder sends one event per selected file, a few milliseconds apart


class FileOpenEvents(QObject):
    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent or app)
        self._opened = OpenedFiles()
        self._deliver: Callable[[LaunchRequest], None] | None = None
        self._burst = QTimer(self)
        self._burst.setSingleShot(True)
        self._burst.setInterval(BURST_MS)
        self._burst.timeout.connect(lambda: self._hand(self._opened.end_burst()))
        app.installEventFilter(self)

    def deliver_to(self, deliver: Callable[[LaunchRequest], None]) -> None:
        """The window is ready: what came before it goes now, and what comes later as it comes."""
        self._deliver = deliver
        self._hand(self._opened.window_is_ready())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        url = event.url()
        if not self._opened.add(url.toLocalFile() if url.isLocalFile() else ""):
            return False  # a URL, not a file: not ours
        self._burst.start()  # restarted by each file of the burst
        return True

    def _hand(self, request: LaunchRequest | None) -> None:
        if request is not None and self._deliver is not None:
            self._deliver(request)
