"""A size-rotated log file that several processes of one program may write at once (two pushes)."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path

# Out of descriptors or disk, every line would print a traceback to stderr: say it once a minute instead.
WRITE_FAILURE_NOTICE_EVERY_S = 60.0
# A rotation that failed is tried again only after this long: each try shifts the backups before the
# rename that fails, so trying at every line would push them all out within a few lines.
ROLLOVER_RETRY_S = 60.0

if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then OSError

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class SharedRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """RotatingFileHandler made safe for several writers of one file.

    The stock handler keeps its file open and rotates by renaming it: a second process then goes on
    writing into the renamed backup, rotates that again, and lines land out of order or are lost (on
    Windows the rename fails outright while another process has the file open). Here each record is
    written under an exclusive lock on `<file>.lock`, to the file opened for that one write: the size
    check, the rotation and the append are one step no other writer can split, and no process holds a
    file that someone else renames.
    """

    def __init__(self, path: Path, max_bytes: int, backup_count: int) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True)
        self._lock_path = Path(self.baseFilename + ".lock")
        self._lock_fd: int | None = None
        self._last_failure_notice = float("-inf")
        self._dropped = 0
        self._rollover_retry_at = float("-inf")

    def handleError(self, record: logging.LogRecord) -> None:
        """A file that cannot be written (EMFILE, a full disk) drops lines, said in one line a minute."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
            return
        self._dropped += 1
        now = time.monotonic()
        if now - self._last_failure_notice >= WRITE_FAILURE_NOTICE_EVERY_S and logging.raiseExceptions:
            self._last_failure_notice = now
            reason = error.strerror or str(error)
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"Cannot write {self.baseFilename} ({reason}); {self._dropped} log line(s) lost.\n")
            self._dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._lock_fd is None:
                self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            _lock(self._lock_fd)
        except OSError:
            self.handleError(record)
            return
        try:
            super().emit(record)  # opens the file, rotates it when full, appends the line
            self._close_file()
        except OSError:
            self.handleError(record)
        finally:
            _unlock(self._lock_fd)  # whatever happened: other writers must not wait for this one

    def shouldRollover(self, record: logging.LogRecord) -> int:
        if time.monotonic() < self._rollover_retry_at:
            return False
        return super().shouldRollover(record)

    def doRollover(self) -> None:
        # A file held open elsewhere (an editor, a virus scanner, on Windows) blocks the renames: keep
        # appending, and try again a minute later rather than at every line.
        try:
            super().doRollover()
        except OSError:
            self._rollover_retry_at = time.monotonic() + ROLLOVER_RETRY_S

    def close(self) -> None:
        self.acquire()
        try:
            super().close()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
        finally:
            self.release()

    def _close_file(self) -> None:
        stream, self.stream = self.stream, None
        if stream is not None:
            stream.close()
