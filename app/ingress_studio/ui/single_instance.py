"""One window per user: `ingress-studio FILE…` while the window is open (a file manager's "Open with")
hands the request to that window and exits, instead of opening a second window with a second sandbox.

A local socket (a Unix socket or a Windows named pipe) named after the user's settings folder, so another
user, or a test with a HOME of its own, has a door of its own. Bounded: one short line, read within 2 s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ingress_studio.config.paths import user_config_dir
from ingress_studio.controllers.launch_request import LaunchRequest

CONNECT_TIMEOUT_MS = 500
ANSWER_TIMEOUT_MS = 2000
MAX_REQUEST_BYTES = 64 * 1024  # thousands of paths; a stranger sending more is cut off
ACCEPTED = b"ok\n"
REFUSED = b"refused "  # then the window's sentence, one line


def door_name() -> str:
    folder = str(user_config_dir()).encode("utf-8", "surrogateescape")
    return "ingress-studio-" + hashlib.sha256(folder).hexdigest()[:16]


def hand_to_open_window(request: LaunchRequest, name: str | None = None) -> str | None:
    """None when no window of this user answered (this process opens one); "" when the open window took the
    request; else the window's sentence saying why it did not (then nothing happened there)."""
    socket = QLocalSocket()
    socket.connectToServer(name or door_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return None
    socket.write((request.to_json() + "\n").encode("utf-8"))
    socket.flush()
    answer = b""
    while b"\n" not in answer and socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    if answer == ACCEPTED:
        return ""
    if answer.startswith(REFUSED):
        return answer[len(REFUSED) :].decode("utf-8", "replace").strip()
    return None  # something else holds the door: open a window of our own


class SingleInstance(QObject):
    """The open window's side: each request that arrives is handed to `on_request`, which carries it out or
    returns the sentence saying why not (the second process prints it)."""

    def __init__(
        self, on_request: Callable[[LaunchRequest], str | None], name: str | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._on_request = on_request
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)  # this user's door only
        self._server.newConnection.connect(self._take_connections)
        self.name = name or door_name()

    def listen(self) -> bool:
        """False if the door cannot be opened (the window still works; a second launch opens a second one)."""
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a socket file left by a window that crashed
        return self._server.listen(self.name)

    def _take_connections(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            buffer = bytearray()
            timer = QTimer(socket)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda socket=socket: socket.abort())  # a client that says nothing is let go
            timer.start(ANSWER_TIMEOUT_MS)
            socket.readyRead.connect(lambda socket=socket, buffer=buffer: self._read(socket, buffer))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket, buffer: bytearray) -> None:
        buffer += bytes(socket.readAll().data())
        if len(buffer) > MAX_REQUEST_BYTES:
            socket.abort()
            return
        if b"\n" not in buffer:
            return
        request = LaunchRequest.from_json(buffer.split(b"\n", 1)[0].decode("utf-8", "replace"))
        if request is None:
            socket.abort()
            return
        refusal = self._on_request(request)
        socket.write(ACCEPTED if refusal is None else REFUSED + refusal.replace("\n", " ").encode("utf-8") + b"\n")
        socket.flush()
        socket.disconnectFromServer()
