"""Which log records the viewer shows: a minimum level, some programs (or all) and a text to look for."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from ingress_studio.display.log_records import LogEntry


@dataclass(frozen=True)
class LogFilter:
    min_level: int = logging.INFO  # debug lines are written only with --verbose, and are many
    programs: frozenset[str] = frozenset()  # none named: every program
    search: str = ""  # found anywhere in the record as shown, whatever the case

    def matches(self, entry: LogEntry) -> bool:
        if entry.level < self.min_level:
            return False
        if self.programs and entry.program not in self.programs:
            return False
        needle = self.search.strip().casefold()
        return not needle or needle in entry.text.casefold()

    def select(self, entries: Iterable[LogEntry]) -> list[LogEntry]:
        return [entry for entry in entries if self.matches(entry)]
