"""push's one status line on a terminal, rewritten in place like ffmpeg's: `\\r`, then spaces over what is
left of the longer line before (no escape sequence: an old Windows console would print it).

Other output (the plan line, log warnings such as a lost connection) first erases the status line, so
nothing is ever printed into the middle of it; the next tick draws it again below.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from typing import Any, TextIO

FALLBACK_WIDTH = 100
STATE_WORDS = {"connecting": "Connecting", "live": "Live", "reconnecting": "Reconnecting", "stopped": "Stopped"}


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def status_text(snapshot: dict[str, Any]) -> str:
    """One `push --stats-json` snapshot as the status line, e.g.
    `Live  elapsed=00:01:05  fps=30.0  bitrate=2058 kbit/s  dropped=0`."""
    state = str(snapshot.get("state", ""))
    head = STATE_WORDS.get(state, state)
    attempt = snapshot.get("reconnect_attempt") or 0
    if state == "reconnecting" and attempt:
        wait = snapshot.get("next_retry_in_s")
        head = (
            f"Reconnecting in {math.ceil(wait)} s (attempt {attempt})" if wait else f"Reconnecting (attempt {attempt})"
        )
    return (
        f"{head}  elapsed={_clock(float(snapshot.get('elapsed', 0.0)))}  fps={float(snapshot.get('fps_out', 0.0)):.1f}"
        f"  bitrate={float(snapshot.get('bitrate', 0)) / 1000:.0f} kbit/s  dropped={snapshot.get('frames_dropped', 0)}"
    )


class StatusLine:
    """Draws on a terminal stream; `console()` is the stream everything else should write through."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._shown = False
        self._drawn = 0  # characters of the line on screen now
        self.shown = False  # ever drawn: a push that never got going ends without a final line
        self._attached: list[logging.StreamHandler[TextIO]] = []

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self._stream.fileno()).columns or FALLBACK_WIDTH
        except (OSError, ValueError, AttributeError):
            return FALLBACK_WIDTH

    def show(self, text: str, final: bool = False) -> None:
        width = self._width()
        with self._lock:
            # wider than the terminal, the line would wrap and "\r" could not return to its start
            line = text[: max(width - 1, 1)]
            self._stream.write("\r" + line + " " * max(0, self._drawn - len(line)) + ("\n" if final else ""))
            self._stream.flush()
            self._drawn = 0 if final else len(line)
            self._shown = not final
            self.shown = True

    def write_line(self, text: str) -> None:
        """A whole line of other output, printed above where the status line is redrawn."""
        self.write(text + "\n")

    def write(self, text: str) -> int:
        with self._lock:
            if self._shown:
                self._stream.write("\r" + " " * self._drawn + "\r")
                self._shown = False
                self._drawn = 0
            self._stream.write(text)
            self._stream.flush()
        return len(text)

    def flush(self) -> None:
        with self._lock:
            self._stream.flush()

    def attach_logging(self) -> None:
        """Make the console log handlers (those writing to our stream) write through the status line."""
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is self._stream:
                handler.setStream(self)  # a file-like object: write() and flush()
                self._attached.append(handler)

    def detach_logging(self) -> None:
        for handler in self._attached:
            handler.setStream(self._stream)
        self._attached.clear()
