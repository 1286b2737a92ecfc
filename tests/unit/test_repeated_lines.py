"""A flood of one message is written a bounded number of times, then counted; other messages pass."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingress_studio.log_repeats import BURST, FIRST_WINDOW_S, TEMPLATE_BURST
from ingress_studio.logging_setup import configure_logging, stop_logging

SUMMARY = re.compile(
    r'"(?P<template>.*)" repeated(?: with other values)? (?P<count>\d+) more times in the last (?P<seconds>\d+) s$'
)

FLOOD = """
import logging, sys
from pathlib import Path
from ingress_studio.logging_setup import configure_logging
configure_logging("sandbox", log_dir=Path(sys.argv[1]))
log = logging.getLogger("asyncio")
error = OSError(24, "Too many open files")
for _ in range(100_000):
    log.error("socket.accept() out of system resource: %s", error)
"""


def test_a_flood_of_one_error_leaves_a_small_file_that_ends_with_its_count(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", FLOOD, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "sandbox.log"
    assert path.stat().st_size < 10_000 and not (tmp_path / "sandbox.log.1").exists()
    lines = path.read_text().splitlines()
    written = [line for line in lines if line.endswith("Too many open files")]
    counted = [int(m["count"]) for m in map(SUMMARY.search, lines) if m]
    assert 1 <= len(written) <= 3 * BURST and counted  # ~1 s of flood: one window, whatever the machine
    assert len(written) + sum(counted) == 100_000, "every repeat is either written or counted"
    last = SUMMARY.search(lines[-1])
    assert last and last["template"] == "socket.accept() out of system resource: [Errno 24] Too many open files"
    assert len(done.stderr.splitlines()) <= 3 * BURST + 2  # the console is bounded the same way


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = configure_logging("test", log_dir=tmp_path)
    yield path
    stop_logging()


def logged_at(logger: logging.Logger, created: float, level: int, msg: str, *args: object) -> None:
    """Log a record made at a given time (the limiter's windows follow the records' own clock)."""
    record = logger.makeRecord(logger.name, level, __file__, 0, msg, args, None)
    record.created = created
    logger.handle(record)


def test_different_messages_are_not_held_back(log_file: Path) -> None:
    log = logging.getLogger("ingress_studio.flood")
    other = logging.getLogger("ingress_studio.other")
    for i in range(1000):
        log.error("accept failed: %s", "EMFILE")
        if i % 20 == 0:
            log.info(f"ingress IN_{i:04d} created")  # a new template each time
            log.warning("accept failed: %s", "EMFILE")  # same template, other level
            other.error("accept failed: %s", "EMFILE")  # same template, other logger
    text = log_file.read_text()
    assert text.count("ERROR ingress_studio.flood: accept failed: EMFILE") == BURST
    assert all(f"ingress IN_{i:04d} created" in text for i in range(0, 1000, 20))
    assert text.count("WARNING ingress_studio.flood: accept failed") == BURST
    assert text.count("ERROR ingress_studio.other: accept failed") == BURST


def test_a_window_ends_with_its_count_then_lets_the_message_through_again(log_file: Path) -> None:
    log = logging.getLogger("ingress_studio.window")
    start = 1_000_000.0
    for i in range(BURST + 40):
        logged_at(log, start + i * 0.01, logging.ERROR, "read failed: %s", "EIO")
    logged_at(log, start + FIRST_WINDOW_S + 1, logging.ERROR, "read failed: %s", "EIO")
    lines = log_file.read_text().splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        *("read failed: EIO" for _ in range(BURST)),
        f'"read failed: EIO" repeated 40 more times in the last {int(FIRST_WINDOW_S) + 1} s',
        "read failed: EIO",
    ]


def test_one_template_with_new_values_passes_far_longer_then_is_counted(log_file: Path) -> None:
    log = logging.getLogger("ingress_studio.creates")
    start = 1_000_000.0
    for i in range(TEMPLATE_BURST + 25):
        logged_at(log, start + i * 0.001, logging.INFO, "created %s", f"IN_{i:06d}")
    logged_at(log, start + FIRST_WINDOW_S + 1, logging.INFO, "created %s", "IN_after")
    lines = [line.split(": ", 1)[1] for line in log_file.read_text().splitlines()]
    assert lines[:TEMPLATE_BURST] == [f"created IN_{i:06d}" for i in range(TEMPLATE_BURST)]
    assert lines[TEMPLATE_BURST:] == [
        f'"created %s" repeated with other values 25 more times in the last {int(FIRST_WINDOW_S) + 1} s',
        "created IN_after",
    ]
