"""accept() failing for want of descriptors is said once a minute at most, however the failures come."""

from __future__ import annotations

import errno
import logging
import os

import pytest

from ingress_studio.sandbox.bounded_listener import LONGEST_PAUSE_S, AcceptFailures

EMFILE = OSError(errno.EMFILE, os.strerror(errno.EMFILE))


def test_a_streak_is_one_line_and_the_pause_grows(caplog: pytest.LogCaptureFixture) -> None:
    failures = AcceptFailures("API")
    with caplog.at_level(logging.INFO):
        pauses = [failures.failed(EMFILE) for _ in range(1000)]
        failures.succeeded()
    assert pauses[:3] == sorted(pauses[:3]) and pauses[0] < pauses[1] < pauses[2]
    assert max(pauses) == LONGEST_PAUSE_S
    assert [record.getMessage() for record in caplog.records] == [
        "The API port cannot accept connections: Too many open files. New clients wait; open connections go on. "
        "If this lasts, close some clients or raise the open-file limit (ulimit -n).",
        "The API port accepts connections again.",
    ]


def test_failing_and_succeeding_in_turn_stays_quiet(caplog: pytest.LogCaptureFixture) -> None:
    # A client that keeps the process at the edge: every other accept fails.
    failures = AcceptFailures("WHIP")
    with caplog.at_level(logging.INFO):
        for _ in range(1000):
            assert failures.failed(EMFILE) < 0.1  # after a success the pause starts short again
            failures.succeeded()
    assert len(caplog.records) == 2
