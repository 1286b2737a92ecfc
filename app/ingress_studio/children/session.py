"""One run of a JSON-lines child program, whatever runs the process: bytes in, typed events out."""

from __future__ import annotations

import logging
from typing import Generic

from ingress_studio.children.child_protocol import ChildProtocol, CommandT, EventT
from ingress_studio.children.exits import ChildExit, NotStarted, exit_event
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.unreadable import Unreadable

log = logging.getLogger(__name__)

STDERR_TAIL_BYTES = 8000
# A line longer than this is dropped: a preview line is about 100 KB, nothing the children write comes near.
MAX_LINE_BYTES = 8 * 1024 * 1024


class ChildSession(Generic[EventT, CommandT]):
    """Feed it what the transport reads (stdout, stderr, the exit); it yields typed events and keeps the
    lifecycle. stderr is kept (its tail) for the log only: a child's tracebacks never reach the window."""

    def __init__(self, protocol: ChildProtocol[EventT, CommandT]) -> None:
        self.protocol = protocol
        self.lifecycle = Lifecycle.STARTING
        self._stdout = b""
        self._skipping_long_line = False
        self._stderr = b""
        self._stop_requested = False
        self._exit: ChildExit | None = None

    @property
    def program(self) -> str:
        return self.protocol.program

    @property
    def stderr_tail(self) -> str:
        return self._stderr.decode("utf-8", "replace")

    @property
    def exit(self) -> ChildExit | None:
        return self._exit

    def read_stdout(self, data: bytes) -> list[EventT | Unreadable]:
        """The events in this chunk; a line cut by the chunk's end waits for the next one."""
        events: list[EventT | Unreadable] = []
        self._stdout += data
        while b"\n" in self._stdout:
            line, self._stdout = self._stdout.split(b"\n", 1)
            if self._skipping_long_line:
                self._skipping_long_line = False  # that line ends here; the next one is read again
                continue
            events += self._line(line)
        if len(self._stdout) > MAX_LINE_BYTES:
            events.append(self._unreadable(self._stdout[:1000], f"a line longer than {MAX_LINE_BYTES} bytes"))
            self._stdout = b""
            self._skipping_long_line = True
        return events

    def stdout_closed(self) -> list[EventT | Unreadable]:
        """The child closed stdout: a last line without its newline is still read."""
        rest, self._stdout = self._stdout, b""
        return [] if self._skipping_long_line else self._line(rest)

    def read_stderr(self, data: bytes) -> None:
        self._stderr = (self._stderr + data)[-STDERR_TAIL_BYTES:]

    def write(self, command: CommandT) -> bytes:
        """The bytes of one command line for the child's stdin."""
        return self.protocol.write_command(command)

    def stop_requested(self) -> None:
        """The parent is ending the child (SIGTERM, quit, closing stdin): its exit is then no surprise."""
        self._stop_requested = True

    def exited(self, code: int | None, signal: int | None = None) -> ChildExit:
        """The process ended with this exit code, or (code None) by this signal."""
        after_ready = self.lifecycle in (Lifecycle.READY, Lifecycle.RUNNING)
        self.lifecycle = Lifecycle.EXITED if code is not None else Lifecycle.CRASHED
        event = exit_event(
            self.program,
            requested=self._stop_requested,
            after_ready=after_ready,
            code=code,
            signal=signal,
            meanings=self.protocol.exit_meanings,
        )
        stderr = self.stderr_tail.strip()
        if stderr and not self._stop_requested:
            log.warning("%s child (%s) said: %s", self.program, event.how, stderr[-2000:])
        log.info("%s child ended: %s", self.program, event.sentence)
        self._exit = event
        return event

    def could_not_start(self, executable: str, reason: str) -> ChildExit:
        log.warning("%s child could not be started (%s): %s", self.program, executable, reason)
        self.lifecycle = Lifecycle.CRASHED
        self._exit = NotStarted(self.program, self._stop_requested, False, executable)
        return self._exit

    def _line(self, raw: bytes) -> list[EventT | Unreadable]:
        if not raw.strip():
            return []
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            return [self._unreadable(raw, "not UTF-8")]
        event = self.protocol.read_line(line)
        if isinstance(event, Unreadable):
            self._log_unreadable(event)
            return [event]
        self.lifecycle = self.protocol.next_lifecycle(self.lifecycle, event)
        return [event]

    def _unreadable(self, raw: bytes, reason: str) -> Unreadable:
        event = Unreadable.of(raw.decode("utf-8", "replace"), reason)
        self._log_unreadable(event)
        return event

    def _log_unreadable(self, event: Unreadable) -> None:
        log.warning("%s child wrote a line this version cannot read (%s): %s", self.program, event.reason, event.line)
