"""The programs' log files in the log folder, read back bounded: the newest part at first, then what is added.

Each program writes `<program>.log` and rotates it to `.log.1` … `.log.5` (logging_setup, log_rotation): a
file is renamed whole, between two records. Reading blocks, so the follower calls these off the event loop.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ingress_studio.display.log_records import LogEntry, parse_log

# The viewer's programs, in the order it offers them; logging_setup.log_file_name names their files
# (tests/unit/controllers/test_log_files.py holds the two together).
PROGRAMS = ("gui", "sandbox", "engine", "push", "watch", "cli")
# What one program's files may cost to read and redact at first: its newest lines, about a full file.
LOAD_BYTES_PER_PROGRAM = 3_000_000
# A flood between two polls is read from its end, as much as at first.
FOLLOW_BYTES_PER_POLL = LOAD_BYTES_PER_PROGRAM

_BACKUP = re.compile(r"\.log\.(\d+)$")


def log_files(folder: Path, program: str) -> list[Path]:
    """The program's log and its backups that exist, newest first."""
    current = folder / f"{program}.log"
    backups: list[tuple[int, Path]] = []
    try:
        for path in folder.glob(f"{program}.log.*"):
            match = _BACKUP.search(path.name)
            if match is not None and path.name == f"{program}.log.{match.group(1)}":
                backups.append((int(match.group(1)), path))
    except OSError:
        pass  # an unreadable folder: reading the current file says why
    return ([current] if current.exists() else []) + [path for _, path in sorted(backups)]


@dataclass
class ProgramLog:
    """Where reading one program's current log stopped: the next read starts there."""

    program: str
    path: Path
    identity: tuple[int, int] | None = None  # the file read (device, inode): a rotation renames it away
    offset: int = 0  # bytes of it read, up to the end of the last whole line


@dataclass
class LogRead:
    program: str
    entries: list[LogEntry] = field(default_factory=list)
    leading: str = ""  # continuation lines with no record read before them (the follower extends the last)
    skipped: bool = False  # older lines (at first) or a flood's lines (later) were left out
    problems: list[str] = field(default_factory=list)  # one sentence for each file that cannot be read


def read_recent(folder: Path, program: str, budget: int = LOAD_BYTES_PER_PROGRAM) -> tuple[LogRead, ProgramLog]:
    """The program's newest records across its files (oldest first), at most `budget` bytes of them."""
    tail = ProgramLog(program, folder / f"{program}.log")
    texts: list[str] = []  # newest file first
    read = LogRead(program)
    for path in log_files(folder, program):
        if budget <= 0:
            read.skipped = True
            break
        try:
            with path.open("rb") as file:
                stat = os.fstat(file.fileno())
                data, start = _read_end(file, 0, budget)
        except OSError as error:
            read.problems.append(_unreadable(path, error))
            continue
        budget -= len(data)
        if path == tail.path:
            data = _whole_lines(data)  # a line being written is read whole next time
            tail.identity, tail.offset = (stat.st_dev, stat.st_ino), start + len(data)
        texts.append(_text(data, start > 0, read))
    # A file holds whole records (a rotation falls between two), so only a cut start leaves continuation lines.
    for text in reversed(texts):
        read.entries.extend(parse_log(text, program).entries)
    return read, tail


def read_new(tail: ProgramLog, budget: int = FOLLOW_BYTES_PER_POLL) -> LogRead:
    """The records written since the last read; after a rotation, the rest of the renamed file first."""
    read = LogRead(tail.program)
    texts: list[str] = []
    try:
        file: BinaryIO | None = tail.path.open("rb")
    except FileNotFoundError:
        file = None  # not written yet, or renamed and not written again yet
    except OSError as error:
        read.problems.append(_unreadable(tail.path, error))
        return read
    with file or contextlib.nullcontext():
        stat = os.fstat(file.fileno()) if file is not None else None
        identity = (stat.st_dev, stat.st_ino) if stat is not None else None
        if tail.identity is not None and identity != tail.identity:
            texts.append(_rest_of_renamed(tail, budget, read))
            tail.offset = 0
        tail.identity = identity
        if file is not None and stat is not None:
            if stat.st_size < tail.offset:
                tail.offset = 0  # emptied in place: start again
            data, start = _read_end(file, tail.offset, budget)
            data = _whole_lines(data)
            texts.append(_text(data, start > tail.offset, read))
            tail.offset = start + len(data)
    for text in texts:
        parsed = parse_log(text, tail.program)
        if not read.entries:
            read.leading += parsed.leading
        read.entries.extend(parsed.entries)
    return read


def _rest_of_renamed(tail: ProgramLog, budget: int, read: LogRead) -> str:
    """What was added to the file read so far before it was renamed to a backup (normally .1)."""
    for path in log_files(tail.path.parent, tail.program)[1:]:
        try:
            with path.open("rb") as file:
                stat = os.fstat(file.fileno())
                if (stat.st_dev, stat.st_ino) != tail.identity:
                    continue
                data, start = _read_end(file, tail.offset, budget)
        except OSError:
            continue  # rotated away again, or unreadable: those lines are lost to the view
        return _text(data, start > tail.offset, read)
    return ""


def _read_end(file: BinaryIO, offset: int, budget: int) -> tuple[bytes, int]:
    """The bytes after `offset`, or only the last `budget` of them; and where they start."""
    size = os.fstat(file.fileno()).st_size
    start = max(offset, size - budget)
    file.seek(start)
    return file.read(max(0, size - start)), start


def _whole_lines(data: bytes) -> bytes:
    return data[: data.rfind(b"\n") + 1]


def _text(data: bytes, cut: bool, read: LogRead) -> str:
    """The bytes as text; begun mid-line (`cut`), without that line's end, and the loss noted."""
    if cut:
        newline = data.find(b"\n")
        data = data[newline + 1 :] if newline >= 0 else b""
        read.skipped = True
    return data.decode("utf-8", errors="replace")


def _unreadable(path: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    return f"Cannot read {path.name} ({reason}): its lines are not shown."
