"""The rtc SDK's own warnings (the v1 signalling path's 404 before the v0 fallback, a full frame queue)
are for the log file, not the terminal: a `watch` user sees the SDK's errors only, and Ingress Studio's
own sentences."""

from __future__ import annotations

import logging
import sys

SDK_LOGGER = "livekit"


def _not_sdk_chatter(record: logging.LogRecord) -> bool:
    is_sdk = record.name == SDK_LOGGER or record.name.startswith(SDK_LOGGER + ".")
    return not is_sdk or record.levelno >= logging.ERROR


def keep_sdk_warnings_off_the_terminal() -> None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and getattr(handler, "stream", None) is sys.stderr:
            handler.addFilter(_not_sdk_chatter)
