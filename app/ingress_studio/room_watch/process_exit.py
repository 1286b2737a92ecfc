"""Ending a process that used the rtc SDK, without the SDK's own teardown.

livekit 1.2.0 disposes of its native library at interpreter exit (an atexit hook), and in about one exit in
eight that aborts the process (SIGABRT: "panic in a function that cannot unwind" on a tokio thread) after all
the work is done: `watch` then exits -6 with a Rust backtrace instead of 0. The room has been left by then,
so nothing is lost by leaving without that teardown.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    """Flush what the process wrote (stdout, stderr, the log file), then end it at once with `code`."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nobody reads it any more
                stream.flush()
    logging.shutdown()
    os._exit(code)
