"""FFmpeg's own error lines, captured on the thread that opens a connection.

PyAV drops everything FFmpeg logs unless a level is set, and FFmpeg says some things only there: an
RTMP server's refusal arrives as its onStatus description, which FFmpeg logs as "Server error: …" and
then reports as a bare EPERM ("Operation not permitted"). Error lines from other threads stay out of the
console as before.

The level is set only while some thread opens a connection: with it set, every FFmpeg thread that logs
(a frame-threaded decoder's "error while decoding" on a damaged stream) must take the GIL, and PyAV
warns that this can deadlock against calls that wait for those threads while holding it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Iterator

import av
import av.logging

from ingress_studio.media.server_words import one_line

LogLine = tuple[int, str, str]  # FFmpeg level, component ("rtmp", "WHIP muxer"…), message

_SERVER_ERROR = re.compile(r"Server error: (.+)")
_level_lock = threading.Lock()
_capturing = 0  # threads inside captured_ffmpeg_errors(): the level is set while there is one


def _start_capturing() -> None:
    global _capturing
    with _level_lock:
        _capturing += 1
        if _capturing == 1:
            # Lines nobody captures go to the "libav" logger: keep them out of the terminal, as before.
            logging.getLogger("libav").setLevel(logging.CRITICAL)
            av.logging.set_level(av.logging.ERROR)
            # PyAV drops a line equal to the one before, even from another thread or connection attempt.
            av.logging.set_skip_repeated(False)


def _stop_capturing() -> None:
    global _capturing
    with _level_lock:
        _capturing -= 1
        if _capturing == 0:
            av.logging.set_level(None)  # back to PyAV's default: FFmpeg's threads log nothing through Python


class ConnectionErrors:
    """FFmpeg's error lines logged on this thread from the start of a connection until `done()` (the
    first packet went out: the refusals worth reading have happened) or the end of the block."""

    def __init__(self) -> None:
        self.lines: list[LogLine] = []
        self._capture: av.logging.Capture | None = None

    def done(self) -> None:
        if self._capture is not None:
            capture, self._capture = self._capture, None
            capture.__exit__(None, None, None)
            _stop_capturing()

    def _begin(self) -> None:
        _start_capturing()
        self._capture = av.logging.Capture(local=True)
        self.lines = self._capture.__enter__()


@contextlib.contextmanager
def captured_ffmpeg_errors() -> Iterator[ConnectionErrors]:
    errors = ConnectionErrors()
    errors._begin()
    try:
        yield errors
    finally:
        errors.done()


def rtmp_server_error(lines: list[LogLine]) -> str | None:
    """The description of the last onStatus error the RTMP server sent ("ingress does not exist")."""
    for _level, _component, message in reversed(lines):
        match = _SERVER_ERROR.search(message)
        if match:
            return one_line(match.group(1))
    return None
