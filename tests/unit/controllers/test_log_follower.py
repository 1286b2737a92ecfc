"""The log viewer's controller without the window: every program's log read once, then followed."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ingress_studio.controllers.log_follower import STOPPED, LogFollower
from ingress_studio.display.log_records import LogEntry
from support.log_writer import numbered, write_log
from support.waiting import until


class Seen:
    def __init__(self, follower: LogFollower) -> None:
        self.resets = 0
        self.problems: list[list[str]] = []
        self.appended: list[LogEntry] = []
        self.threads: set[int] = set()
        follower.reset.connect(self._reset)
        follower.appended.connect(self.appended.extend)
        follower.problems_changed.connect(lambda: self.problems.append(list(follower.problems)))

    def _reset(self) -> None:
        self.resets += 1
        self.threads.add(threading.get_ident())


@pytest.fixture
async def follow(tmp_path: Path) -> AsyncIterator[LogFollower]:
    follower = LogFollower(tmp_path, poll_s=0.05)
    yield follower
    follower.stop()
    await follower.closed()
    assert not follower.following


async def test_all_programs_are_read_in_time_order_then_followed(tmp_path: Path, follow: LogFollower) -> None:
    write_log(tmp_path, "sandbox", [("INFO", "sandbox ready")])
    write_log(tmp_path, "gui", [("INFO", "gui opened"), ("exception", "gui refresh failed")])
    write_log(tmp_path, "cli", [("INFO", "ingress listed")])  # `ingress`, `devices` and `probe` share cli.log
    seen = Seen(follow)
    follow.start()
    assert follow.loading
    await until(lambda: seen.resets == 1, what="first read")
    assert not follow.loading and seen.threads == {threading.get_ident()}  # announced on the loop's thread
    assert [(e.program, e.message.splitlines()[0]) for e in follow.entries] == [
        ("sandbox", "sandbox ready"),
        ("gui", "gui opened"),
        ("gui", "gui refresh failed"),
        ("cli", "ingress listed"),
    ]
    assert (follow.problems, follow.skipped) == ([], False)
    write_log(tmp_path, "push", numbered(3))
    write_log(tmp_path, "watch", [("WARNING", "watch: room is empty")])
    await until(lambda: len(seen.appended) == 4, what="new lines")
    assert [e.program for e in seen.appended] == ["push", "push", "push", "watch"]
    assert follow.entries[-4:] == seen.appended and seen.resets == 1


async def test_a_record_completed_after_it_was_shown_is_shown_again(tmp_path: Path, follow: LogFollower) -> None:
    log = tmp_path / "engine.log"
    log.write_text("2026-05-01 12:00:00,001 engine[7] ERROR a.b: failed\nTraceback (most recent call last):\n")
    seen = Seen(follow)
    follow.start()
    await until(lambda: seen.resets == 1, what="first read")
    with log.open("a") as file:  # the writer was mid-record when it was read
        file.write("KeyError: 'k'\n")
    await until(lambda: seen.resets == 2, what="the record again")
    assert [e.message for e in follow.entries] == ["failed\nTraceback (most recent call last):\nKeyError: 'k'"]


async def test_a_file_that_becomes_unreadable_says_so_then_recovers(tmp_path: Path, follow: LogFollower) -> None:
    write_log(tmp_path, "gui", [("INFO", "hello")])
    seen = Seen(follow)
    follow.start()
    await until(lambda: seen.resets == 1, what="first read")
    (tmp_path / "gui.log").rename(tmp_path / "gui.log.1")
    (tmp_path / "gui.log").mkdir()
    await until(lambda: seen.problems != [], what="the problem")
    assert seen.problems == [["Cannot read gui.log (Is a directory): its lines are not shown."]]
    (tmp_path / "gui.log").rmdir()
    write_log(tmp_path, "gui", [("INFO", "back")])
    await until(lambda: [e.message for e in seen.appended] == ["back"], what="lines again")
    assert seen.problems[1:] == [[]] and [e.message for e in follow.entries] == ["hello", "back"]


async def test_stopping_while_reading_leaves_nothing_running(tmp_path: Path) -> None:
    write_log(tmp_path, "push", numbered(2000))
    follower = LogFollower(tmp_path)
    follower.start()
    follower.stop()
    await follower.closed()
    assert not follower.following
    follower.start()  # a viewer opened again reads again
    await until(lambda: len(follower.entries) == 2000, what="second read")
    follower.stop()
    await follower.closed()


async def test_a_failure_while_reading_is_one_sentence(tmp_path: Path, follow: LogFollower) -> None:
    write_log(tmp_path, "gui", [("INFO", "hello")])
    seen = Seen(follow)
    follow.start()
    await until(lambda: seen.resets == 1, what="first read")
    follow._tails = None  # type: ignore[assignment]  # a bug in the reading: what the window sees of it
    await until(lambda: not follow.following, what="the reading to stop")
    assert seen.problems == [[STOPPED]] and [e.message for e in follow.entries] == ["hello"]
