"""A line from a child that the client cannot read: an event of its own, never an exception."""

from __future__ import annotations

from dataclasses import dataclass

SHOWN_CHARS = 300  # of the line, in the log: a preview line carries tens of kilobytes of base64


@dataclass(frozen=True)
class Unreadable:
    """Not JSON, not an object, an unknown event, or a field of the wrong type. For the log only:
    the window shows sentences, never a child's raw output."""

    line: str
    reason: str

    @classmethod
    def of(cls, line: str, reason: str) -> Unreadable:
        shown = line if len(line) <= SHOWN_CHARS else line[:SHOWN_CHARS] + f"… ({len(line)} characters)"
        return cls(shown, reason)
