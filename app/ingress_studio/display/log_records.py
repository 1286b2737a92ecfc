"""Log text read back as records (time, level, program, logger, message), redacted again for showing.

The lines are logging_setup's: `2026-05-01 12:00:00,123 gui[4242] WARNING ingress_studio.ui: message`. A line
that does not start so (a traceback, a message with newlines) continues the record above it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ingress_studio.redaction import redact

LEVELS = {
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
    "CRITICAL": logging.CRITICAL,
}
# A megabyte on one line (a dumped request body) would stall the text view: the rest is said, not shown.
MAX_RECORD_CHARS = 20_000

_HEADER = re.compile(
    r"(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) \S+\[\d+\] (?P<level>" + "|".join(LEVELS) + r") (?P<logger>\S+?): "
)


@dataclass(frozen=True)
class LogEntry:
    time: str  # local time as written; sorts as text
    level: int  # logging.INFO, …
    program: str  # whose file it was read from: gui, sandbox, … (cli for the one-shot commands)
    logger: str
    message: str  # redacted; a traceback's lines included
    text: str  # the record as written (header and message), redacted: what is shown and copied

    def extended(self, more: str) -> LogEntry:
        """The same record with continuation lines that were read later (the writer was mid-record)."""
        message = _capped(self.message + "\n" + redact(more))
        return LogEntry(self.time, self.level, self.program, self.logger, message, self.text[: self.header] + message)

    @property
    def header(self) -> int:
        return len(self.text) - len(self.message)


@dataclass(frozen=True)
class ParsedLog:
    entries: list[LogEntry]
    # Lines before the first record: the rest of a record that began before what was read.
    leading: str


def header_level(line: str) -> int | None:
    """The level of a line that starts a record; None for a continuation line."""
    match = _HEADER.match(line)
    return LEVELS[match.group("level")] if match else None


def parse_log(text: str, program: str) -> ParsedLog:
    entries: list[LogEntry] = []
    leading: list[str] = []
    header: re.Match[str] | None = None
    lines: list[str] = []

    def finish() -> None:
        if header is not None:
            entries.append(_entry(header, lines, program))

    for line in text.splitlines():
        match = _HEADER.match(line)
        if match is not None:
            finish()
            header, lines = match, [line[match.end() :]]
        elif header is None:
            leading.append(line)
        else:
            lines.append(line)
    finish()
    return ParsedLog(entries, "\n".join(leading))


def _entry(header: re.Match[str], lines: list[str], program: str) -> LogEntry:
    # The header is the program's own (time, name, level, logger): only the message can hold a secret.
    message = _capped(redact("\n".join(lines)))
    return LogEntry(
        time=header.group("time"),
        level=LEVELS[header.group("level")],
        program=program,
        logger=header.group("logger"),
        message=message,
        text=header.group(0) + message,
    )


def _capped(message: str) -> str:
    if len(message) <= MAX_RECORD_CHARS:
        return message
    return f"{message[:MAX_RECORD_CHARS]}… ({len(message) - MAX_RECORD_CHARS:,} more characters not shown)"
