"""Log files as the programs write them: another process, logging_setup's own handler, format and rotation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# A line is [level, message]; level "exception" logs the message with a real traceback.
_WRITER = """
import json, logging, sys
from pathlib import Path
from ingress_studio.logging_setup import RedactingFilter, configure_logging

plan = json.load(sys.stdin)
configure_logging(plan["program"], verbose=True, log_dir=Path(plan["folder"]))
file_handler = logging.getLogger().handlers[0]
if plan["max_bytes"]:
    file_handler.maxBytes = plan["max_bytes"]  # rotate after a few lines, not 2 MB
if plan["unredacted"]:
    # What an older build wrote, or a process that did not know this secret: the viewer must mask it itself.
    file_handler.filters = [f for f in file_handler.filters if not isinstance(f, RedactingFilter)]
log = logging.getLogger(plan["logger"])
for level, message in plan["lines"]:
    if level == "exception":
        try:
            {}["missing"]
        except KeyError:
            log.exception(message)
    else:
        log.log(logging.getLevelName(level), message)
"""


def write_log(
    folder: Path,
    program: str,
    lines: list[tuple[str, str]],
    *,
    logger: str = "ingress_studio.test",
    max_bytes: int = 0,
    unredacted: bool = False,
) -> None:
    plan = {
        "program": program,
        "folder": str(folder),
        "lines": lines,
        "logger": logger,
        "max_bytes": max_bytes,
        "unredacted": unredacted,
    }
    done = subprocess.run(
        [sys.executable, "-c", _WRITER], input=json.dumps(plan), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def filler(width: int) -> str:
    """Words, not a run of one letter: a test elsewhere in the process may have registered "xxxx…" as a secret,
    and the viewer masks registered secrets wherever they appear."""
    return ("lorem ipsum dolor sit amet " * (width // 27 + 1))[:width]


def numbered(count: int, program: str = "push", width: int = 100) -> list[tuple[str, str]]:
    """Info lines "<program> line 000042 lorem ipsum…", each its own template (the repeat limiter lets them all by)."""
    return [("INFO", f"{program} line {index:06d} " + filler(width)) for index in range(count)]
