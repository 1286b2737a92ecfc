"""A limit on repeated log lines, so one flood (an accept() error in a tight loop, FFmpeg's chatter) cannot
fill the log or rotate its history away."""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass

# The same line may be logged this many times per window; further repeats are counted.
BURST = 10
# Lines of one template with other values (`created %s` for each new ingress) are ordinary far longer.
TEMPLATE_BURST = 200
FIRST_WINDOW_S = 60.0
LONGEST_WINDOW_S = 3600.0
# Messages followed at once; past this the oldest is dropped (its count written first).
MAX_TRACKED = 512
SWEEP_EVERY_S = 1.0
TEMPLATE_SHOWN = 100

_VERDICT = "_repeat_limiter_verdict"
_LINE, _TEMPLATE = "line", "template"
_Key = tuple[str, int, str, str]  # logger, level, the line or its template, which of the two


@dataclass
class _Window:
    start: float
    length: float
    logged: int = 0
    suppressed: int = 0

    @property
    def end(self) -> float:
        return self.start + self.length


@dataclass(frozen=True)
class _Summary:
    logger: str
    level: int
    text: str


class RepeatLimiter(logging.Filter):
    """Lets one line (same logger, level and text) through BURST times per window, and lines of one template
    (the message before its arguments: "frame %d dropped") TEMPLATE_BURST times; then counts them.

    When a window in which lines were held back ends, one line says how many ("… repeated N more times
    in the last T s"); while the flood goes on each window is twice as long as the last (up to an hour),
    so even an endless one costs a few lines an hour. Counts still owed are written by `flush` (at exit).
    Install one instance on every handler: a record is judged once and the verdict kept on it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._windows: dict[_Key, _Window] = {}
        self._last_sweep = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        verdict = record.__dict__.get(_VERDICT)
        if isinstance(verdict, bool):
            return verdict
        now = record.created
        template = str(record.msg)
        line_key = (record.name, record.levelno, record.getMessage(), _LINE)
        keys = [(line_key, BURST), ((record.name, record.levelno, template, _TEMPLATE), TEMPLATE_BURST)]
        summaries: list[_Summary] = []
        with self._lock:
            if now - self._last_sweep >= SWEEP_EVERY_S:
                self._last_sweep = now
                for expired_key, expired in list(self._windows.items()):
                    if now >= expired.end:
                        summaries += self._close(expired_key, expired, now)
            windows = []
            for key, burst in keys:
                window = self._windows.get(key)
                if window is not None and now >= window.end:
                    summaries += self._close(key, window, now)
                    window = self._windows.get(key)
                if window is None:
                    summaries += self._make_room(now)
                    window = self._windows[key] = _Window(now, FIRST_WINDOW_S)
                windows.append((window, burst))
            blocking = next((window for window, burst in windows if window.logged >= burst), None)
            admitted = blocking is None
            if blocking is None:
                for window, _burst in windows:
                    window.logged += 1
            else:
                blocking.suppressed += 1  # counted once, by the first limit it hit
        record.__dict__[_VERDICT] = admitted
        _write(summaries)
        return admitted

    def flush(self) -> None:
        """Write the counts of lines held back so far (call at exit, so a flood's end is never silent)."""
        now = time.time()
        with self._lock:
            summaries = [_summary(key, window, now) for key, window in self._windows.items() if window.suppressed]
            self._windows.clear()
        _write(summaries)

    def _close(self, key: _Key, window: _Window, now: float) -> list[_Summary]:
        """End a window: a quiet one forgets the message; one with repeats held back reports them and
        is followed by a longer one."""
        if not window.suppressed:
            del self._windows[key]
            return []
        self._windows[key] = _Window(now, min(window.length * 2, LONGEST_WINDOW_S))
        return [_summary(key, window, now)]

    def _make_room(self, now: float) -> list[_Summary]:
        if len(self._windows) < MAX_TRACKED:
            return []
        oldest_key = next(iter(self._windows))
        oldest = self._windows.pop(oldest_key)
        return [_summary(oldest_key, oldest, now)] if oldest.suppressed else []


def _summary(key: _Key, window: _Window, now: float) -> _Summary:
    logger, level, text, kind = key
    shown = text.splitlines()[0] if text else ""
    if len(shown) > TEMPLATE_SHOWN:
        shown = shown[: TEMPLATE_SHOWN - 1] + "…"
    seconds = max(1, math.ceil(now - window.start))
    what = "repeated" if kind == _LINE else "repeated with other values"
    return _Summary(logger, level, f'"{shown}" {what} {window.suppressed} more times in the last {seconds} s')


def _write(summaries: list[_Summary]) -> None:
    for summary in summaries:
        record = logging.LogRecord(summary.logger, summary.level, __file__, 0, summary.text, None, None)
        record.__dict__[_VERDICT] = True
        logging.getLogger(summary.logger).handle(record)
