"""Serves one listening socket so that no client can cost more than a share of the process.

- At most MAX_CONNECTIONS are open at once; further clients wait in the kernel's backlog (as behind Go's
  netutil.LimitListener) until one closes, and use no file descriptor meanwhile.
- A connection whose writes make no progress for WRITE_STALL_S (a client that stopped reading) is dropped.
- Optionally (HTTP), a message deadline: a connection must bring a whole message (a request head) within
  that time of opening, or of its first byte after the previous message. The server tells when a
  message has arrived and when it is done with (message_arrived, message_done).
- When accept() fails for want of resources (EMFILE: out of file descriptors), asyncio's own accept loop
  retries and logs a traceback per attempt, megabytes a minute. Here the listener pauses, longer after
  each failure, and says so once, then at most once a minute, and once more when it recovers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 256
WRITE_STALL_S = 10.0
FIRST_PAUSE_S = 0.05
LONGEST_PAUSE_S = 2.0
REPORT_EVERY_S = 60.0

ProtocolFactory = Callable[[], asyncio.Protocol]


class AcceptFailures:
    """Consecutive accept() failures: how long to pause next, and whether it is time to say so.

    One line a minute at most, however the failures come (also when a client keeps the process at
    the edge, so that accepts fail and succeed in turn)."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._pause = 0.0
        self._unreported = 0
        self._streak_reported = False
        self._failure_quiet_until = float("-inf")
        self._recovery_quiet_until = float("-inf")

    def failed(self, exc: OSError) -> float:
        """Log if it is time to, and return how long to pause before accepting again."""
        now = time.monotonic()
        self._unreported += 1
        if now >= self._failure_quiet_until:
            if self._streak_reported:
                log.warning(
                    "The %s port still cannot accept connections: %s (%d failed attempts since the last report).",
                    self._what,
                    exc.strerror or exc,
                    self._unreported,
                )
            else:
                log.warning(
                    "The %s port cannot accept connections: %s. New clients wait; open connections go on. "
                    "If this lasts, close some clients or raise the open-file limit (ulimit -n).",
                    self._what,
                    exc.strerror or exc,
                )
            self._unreported = 0
            self._streak_reported = True
            self._failure_quiet_until = now + REPORT_EVERY_S
        self._pause = min(self._pause * 2, LONGEST_PAUSE_S) if self._pause else FIRST_PAUSE_S
        return self._pause

    def succeeded(self) -> None:
        now = time.monotonic()
        if self._streak_reported and now >= self._recovery_quiet_until:
            log.warning("The %s port accepts connections again.", self._what)
            self._recovery_quiet_until = now + REPORT_EVERY_S
        self._streak_reported = False
        self._pause = 0.0


class _Guarded(asyncio.Protocol):
    """Passes everything to the real protocol; drops a connection whose writes stall or whose message is
    late; frees its slot once."""

    def __init__(
        self, inner: asyncio.Protocol, release: Callable[[], None], what: str, message_deadline_s: float | None
    ) -> None:
        self._inner = inner
        self._release: Callable[[], None] | None = release
        self._what = what
        self._transport: asyncio.BaseTransport | None = None
        self._stall: asyncio.TimerHandle | None = None
        self._message_deadline_s = message_deadline_s
        self._message_timer: asyncio.TimerHandle | None = None
        self._in_message = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport
        self._start_message_timer()
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if not self._in_message:
            self._start_message_timer()  # the first byte of the next message starts its clock
        self._inner.data_received(data)

    def message_arrived(self) -> None:
        self._in_message = True
        if self._message_timer is not None:
            self._message_timer.cancel()
            self._message_timer = None

    def message_done(self) -> None:
        self._in_message = False

    def _start_message_timer(self) -> None:
        if self._message_deadline_s is not None and self._message_timer is None:
            self._message_timer = asyncio.get_running_loop().call_later(self._message_deadline_s, self._drop_late)

    def _drop_late(self) -> None:
        self._message_timer = None
        log.debug(
            "%s: closed a connection whose request did not arrive within %g s", self._what, self._message_deadline_s
        )
        if self._transport is not None:
            self._transport.close()

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        if self._stall is None:
            self._stall = asyncio.get_running_loop().call_later(WRITE_STALL_S, self._drop_stalled)
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._cancel_stall()
        self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_stall()
        self.message_arrived()  # stops the message clock
        self.release_slot()
        self._inner.connection_lost(exc)

    def release_slot(self) -> None:
        if self._release is not None:
            self._release()
            self._release = None

    def _cancel_stall(self) -> None:
        if self._stall is not None:
            self._stall.cancel()
            self._stall = None

    def _drop_stalled(self) -> None:
        self._stall = None
        log.info("%s: dropped a client that read nothing for %g s", self._what, WRITE_STALL_S)
        if isinstance(self._transport, asyncio.WriteTransport):
            self._transport.abort()


def message_arrived(transport: asyncio.BaseTransport | None) -> None:
    """A whole message (a request head) came on this connection: its deadline no longer applies."""
    guarded = transport.get_protocol() if transport is not None else None
    if isinstance(guarded, _Guarded):
        guarded.message_arrived()


def message_done(transport: asyncio.BaseTransport | None) -> None:
    """The message is dealt with: the next byte starts the next message's clock."""
    guarded = transport.get_protocol() if transport is not None else None
    if isinstance(guarded, _Guarded):
        guarded.message_done()


class BoundedListener:
    """Accepts on a listening (non-blocking) socket and serves each connection with protocol_factory."""

    def __init__(
        self,
        protocol_factory: ProtocolFactory,
        sock: socket.socket,
        what: str,
        max_connections: int = MAX_CONNECTIONS,
        message_deadline_s: float | None = None,
    ) -> None:
        self._factory = protocol_factory
        self._message_deadline_s = message_deadline_s
        self._sock = sock
        self._what = what
        self._max = max_connections
        self._open = 0
        self._below_cap = asyncio.Event()
        self._below_cap.set()
        self._task: asyncio.Task[None] | None = None
        self._connecting: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._accept_forever(), name=f"accept {self._what}")

    async def close(self) -> None:
        """Stop accepting and close the listening socket; open connections are their server's to close."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._sock.close()

    async def _accept_forever(self) -> None:
        loop = asyncio.get_running_loop()
        failures = AcceptFailures(self._what)
        while True:
            await self._below_cap.wait()
            try:
                conn, _ = await loop.sock_accept(self._sock)
            except ConnectionAbortedError:  # the client gave up while waiting in the backlog
                continue
            except OSError as exc:
                await asyncio.sleep(failures.failed(exc))
                continue
            failures.succeeded()
            self._take_slot()
            task = asyncio.create_task(self._serve(conn))
            self._connecting.add(task)
            task.add_done_callback(self._connecting.discard)

    async def _serve(self, conn: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        guarded: _Guarded | None = None

        def guard() -> asyncio.Protocol:
            nonlocal guarded
            guarded = _Guarded(self._factory(), self._free_slot, self._what, self._message_deadline_s)
            return guarded

        try:
            await loop.connect_accepted_socket(guard, conn)
        except Exception:  # whatever went wrong, the socket must not leak
            log.info("%s: could not set up an accepted connection", self._what, exc_info=True)
            conn.close()
            if guarded is None:
                self._free_slot()
            else:
                guarded.release_slot()

    def _take_slot(self) -> None:
        self._open += 1
        if self._open >= self._max:
            self._below_cap.clear()

    def _free_slot(self) -> None:
        self._open -= 1
        if self._open < self._max:
            self._below_cap.set()
