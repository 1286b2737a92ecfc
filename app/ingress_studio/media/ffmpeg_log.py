"""FFmpeg's own error lines, captured on the thread that opens a connection.

PyAV drops everything FFmpeg logs unless a level is set, and FFmpeg says some things only there: an
RTMP server's refusal arrives as its onStatus description, which FFmpeg logs as "Server error: …" and
then reports as a bare EPERM ("Operation not permitted"). Error lines from other threads stay out of the
console as before.
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
_setup_lock = threading.Lock()
_set_up = False


def _let_errors_through() -> None:
    global _set_up
    with _setup_lock:
        if _set_up:
            return
        # Lines nobody captures go to the "libav" logger: keep them out of the terminal, as before.
        logging.getLogger("libav").setLevel(logging.CRITICAL)
        av.logging.set_level(av.logging.ERROR)
        # PyAV drops a line equal to the one before, even from another thread or connection attempt.
        av.logging.set_skip_repeated(False)
        _set_up = True


@contextlib.contextmanager
def captured_ffmpeg_errors() -> Iterator[list[LogLine]]:
    """FFmpeg's error lines logged on this thread while the block runs."""
    _let_errors_through()
    with av.logging.Capture(local=True) as lines:
        yield lines


def rtmp_server_error(lines: list[LogLine]) -> str | None:
    """The description of the last onStatus error the RTMP server sent ("ingress does not exist")."""
    for _level, _component, message in reversed(lines):
        match = _SERVER_ERROR.search(message)
        if match:
            return one_line(match.group(1))
    return None
