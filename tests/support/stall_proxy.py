"""A loopback TCP hop in front of a real server that can stall: for a while it stops reading what the
client sends, as a paused receiver or a congested uplink does, then carries on. Its receive buffer can be
bounded (a receiver with a modest buffer), so that what piles up in the kernel during a stall is mostly on
the client's side: the part a client can keep small."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field

CHUNK = 65536


@dataclass
class StallProxy:
    upstream_port: int
    host: str = "127.0.0.1"
    receive_buffer: int | None = None  # bytes (the kernel doubles it); None: the kernel's autotuning
    _listener: socket.socket | None = None
    _flowing: threading.Event = field(default_factory=threading.Event)
    _closed: threading.Event = field(default_factory=threading.Event)
    _sockets: list[socket.socket] = field(default_factory=list)

    @property
    def port(self) -> int:
        assert self._listener is not None
        return int(self._listener.getsockname()[1])

    def start(self) -> StallProxy:
        self._flowing.set()
        listener = socket.socket()
        if self.receive_buffer is not None:  # set before listen(): accepted sockets inherit it
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)
        listener.bind((self.host, 0))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stall(self, seconds: float) -> None:
        """Stop reading from the client for `seconds` (blocks for that long), then carry on."""
        self._flowing.clear()
        time.sleep(seconds)
        self._flowing.set()

    def stop(self) -> None:
        self._closed.set()
        self._flowing.set()
        for sock in [self._listener, *self._sockets]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection((self.host, self.upstream_port), timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            self._sockets += [client, server]
            threading.Thread(target=self._carry, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._carry, args=(server, client, False), daemon=True).start()

    def _carry(self, source: socket.socket, sink: socket.socket, stallable: bool) -> None:
        try:
            while not self._closed.is_set():
                if stallable:
                    self._flowing.wait()
                data = source.recv(CHUNK)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
