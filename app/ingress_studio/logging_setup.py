"""Logging to a rotating file in the user log folder, with secrets redacted on the way out."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from ingress_studio.config.paths import user_log_dir
from ingress_studio.redaction import redact

LOG_FILE_NAME = "ingress-studio.log"


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


def configure_logging(program: str, verbose: bool = False, log_dir: Path | None = None) -> Path:
    """Send logs to <log dir>/ingress-studio.log (rotated) and warnings to stderr. Returns the file."""
    folder = log_dir or user_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    redacting = RedactingFilter()
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(
        logging.Formatter(f"%(asctime)s {program}[%(process)d] %(levelname)s %(name)s: %(message)s")
    )
    file_handler.addFilter(redacting)
    root.addHandler(file_handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    console.addFilter(redacting)
    root.addHandler(console)
    return path
