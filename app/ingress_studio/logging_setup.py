"""Logging to one rotating file per program in the user log folder, secrets redacted and floods bounded."""

from __future__ import annotations

import atexit
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from ingress_studio.config.paths import user_log_dir
from ingress_studio.log_repeats import RepeatLimiter
from ingress_studio.log_rotation import SharedRotatingFileHandler
from ingress_studio.redaction import redact

LOG_FILE_BYTES = 2_000_000
LOG_BACKUPS = 5
# Each program rotates its own file, so a noisy one cannot push another's history out. The one-shot
# commands share one.
_FILE_STEMS = {"ingress": "cli", "devices": "cli", "probe": "cli", "self-test": "cli", "watcher": "watch"}


def log_file_name(program: str) -> str:
    """gui.log, sandbox.log, push.log, engine.log, watch.log (`watch` and `watcher`); cli.log for `ingress`,
    `devices`, `probe` and `self-test`."""
    return f"{_FILE_STEMS.get(program, program)}.log"


class RedactingFilter(logging.Filter):
    """Renders the record's message once, redacted, so no handler ever sees a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


@dataclass(frozen=True)
class _Installed:
    limiter: RepeatLimiter
    handlers: tuple[logging.Handler, ...]


_installed: _Installed | None = None


def configure_logging(program: str, verbose: bool = False, log_dir: Path | None = None) -> Path:
    """Send logs to <log dir>/<program>.log (rotated) and warnings to stderr. Returns the file."""
    global _installed
    folder = log_dir or user_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / log_file_name(program)
    stop_logging()
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    # The limiter judges a record by its template, so it runs before redaction renders the message.
    limiter = RepeatLimiter()
    redacting = RedactingFilter()
    file_handler = SharedRotatingFileHandler(path, max_bytes=LOG_FILE_BYTES, backup_count=LOG_BACKUPS)
    file_handler.setFormatter(
        logging.Formatter(f"%(asctime)s {program}[%(process)d] %(levelname)s %(name)s: %(message)s")
    )
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for handler in (file_handler, console):
        handler.addFilter(limiter)
        handler.addFilter(redacting)
        root.addHandler(handler)
    _installed = _Installed(limiter, (file_handler, console))
    return path


def stop_logging() -> None:
    """Write the repeat counts still owed, then remove and close what configure_logging installed."""
    global _installed
    installed, _installed = _installed, None
    if installed is None:
        return
    installed.limiter.flush()
    root = logging.getLogger()
    for handler in installed.handlers:
        root.removeHandler(handler)
        handler.close()


@atexit.register
def _write_owed_counts() -> None:
    # Only the counts: code that runs later at exit may still log, so the handlers stay.
    if _installed is not None:
        _installed.limiter.flush()
