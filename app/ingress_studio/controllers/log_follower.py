"""The log viewer's behaviour: every program's recent records read once, then what they add, every second.

Files are read and redacted on a worker thread (asyncio.to_thread): a few megabytes take a moment, and the
window must not stop for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from ingress_studio.config.paths import user_log_dir
from ingress_studio.controllers.events import Event
from ingress_studio.controllers.log_files import (
    LOAD_BYTES_PER_PROGRAM,
    PROGRAMS,
    LogRead,
    ProgramLog,
    read_new,
    read_recent,
)
from ingress_studio.display.log_records import LogEntry

log = logging.getLogger(__name__)

POLL_S = 1.0
STOPPED = "The viewer stopped reading the logs (the reason is in gui.log): close it and open it again."
# Records kept while following: a program that logs on and on pushes its oldest out, not the memory up.
MAX_ENTRIES = 100_000


class LogFollower:
    def __init__(self, folder: Path | None = None, poll_s: float = POLL_S, budget: int = LOAD_BYTES_PER_PROGRAM):
        self.folder = folder or user_log_dir()
        self.entries: list[LogEntry] = []  # oldest first
        self.problems: list[str] = []  # files that cannot be read, one sentence each
        self.skipped = False  # older records were not read, or some were dropped since
        self.loading = False
        self.reset = Event[[]]()  # `entries` replaced: show them all again
        self.appended = Event[[list[LogEntry]]]()  # records added at the end of `entries`
        self.problems_changed = Event[[]]()
        self._poll_s = poll_s
        self.budget = budget  # bytes of each program's newest lines read at first
        self._tails: list[ProgramLog] = []
        self._task: asyncio.Task[None] | None = None
        self._ending: set[asyncio.Task[None]] = set()

    @property
    def following(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Read everything again and follow it (a viewer opened anew shows the files as they are now)."""
        if self.following:
            return
        self.loading = True
        self.entries, self.problems, self.skipped = [], [], False
        self._task = asyncio.ensure_future(self._follow())

    def stop(self) -> None:
        """Stop following (the viewer is closed); `closed()` waits until it has."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            self._ending.add(task)  # a read already on its thread goes on there, and its result is dropped
            task.add_done_callback(self._ending.discard)

    async def closed(self) -> None:
        for task in list(self._ending):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _follow(self) -> None:
        try:
            try:
                entries, self._tails, self.problems, self.skipped = await asyncio.to_thread(self._read_all)
                self.entries = entries[-MAX_ENTRIES:]
                self.skipped |= len(entries) > MAX_ENTRIES
            finally:
                self.loading = False
            self.reset.emit()
            while True:
                await asyncio.sleep(self._poll_s)
                reads = await asyncio.to_thread(lambda: [read_new(tail, self.budget) for tail in self._tails])
                self._take(reads)
        except Exception:  # a bug here must not become a traceback in the window: say it, keep what is shown
            log.exception("the log viewer stopped reading")
            self.problems = [*self.problems, STOPPED]
            self.problems_changed.emit()

    def _read_all(self) -> tuple[list[LogEntry], list[ProgramLog], list[str], bool]:
        entries: list[LogEntry] = []
        tails: list[ProgramLog] = []
        problems: list[str] = []
        skipped = False
        for program in PROGRAMS:
            read, tail = read_recent(self.folder, program, self.budget)
            entries.extend(read.entries)
            tails.append(tail)
            problems.extend(read.problems)
            skipped |= read.skipped
        entries.sort(key=lambda entry: entry.time)  # stable: a program's records keep their order
        return entries, tails, problems, skipped

    def _take(self, reads: list[LogRead]) -> None:
        problems = [problem for read in reads for problem in read.problems]
        if problems != self.problems:
            self.problems = problems
            self.problems_changed.emit()
        changed = False
        for read in reads:
            self.skipped |= read.skipped
            if read.leading:
                changed |= self._extend_last(read.program, read.leading)
        added = sorted((entry for read in reads for entry in read.entries), key=lambda entry: entry.time)
        self.entries.extend(added)
        if len(self.entries) > MAX_ENTRIES:
            del self.entries[: len(self.entries) - MAX_ENTRIES]
            self.skipped = True
        if changed:
            self.reset.emit()  # a record shown already grew
        elif added:
            self.appended.emit(added)

    def _extend_last(self, program: str, lines: str) -> bool:
        """Continuation lines read after their record (the writer was mid-record): they join it."""
        for index in range(len(self.entries) - 1, -1, -1):
            entry = self.entries[index]
            if entry.program == program:
                self.entries[index] = entry.extended(lines)
                return True
        return False
