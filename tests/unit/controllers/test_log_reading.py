"""The programs' log files read back bounded, across rotations, and followed as they grow."""

from __future__ import annotations

import re
from pathlib import Path

from ingress_studio.controllers.log_files import PROGRAMS, ProgramLog, log_files, read_new, read_recent
from ingress_studio.display.log_records import LogEntry
from ingress_studio.logging_setup import log_file_name
from support.log_writer import filler, numbered, write_log


def numbers(entries: list[LogEntry]) -> list[int]:
    return [int(re.search(r"line (\d+)", entry.message).group(1)) for entry in entries]  # type: ignore[union-attr]


def test_the_viewers_programs_are_the_files_logging_setup_writes() -> None:
    assert [log_file_name(program) for program in PROGRAMS] == [f"{program}.log" for program in PROGRAMS]
    assert log_file_name("ingress") == log_file_name("probe") == "cli.log"  # one-shot commands: the "cli" choice


def test_rotated_backups_are_read_newest_last_with_nothing_lost(tmp_path: Path) -> None:
    write_log(tmp_path, "push", numbered(120), max_bytes=3000)  # ~22 kB: more than six files hold
    files = log_files(tmp_path, "push")
    assert [path.name for path in files] == ["push.log"] + [f"push.log.{n}" for n in range(1, 6)]
    read, tail = read_recent(tmp_path, "push")
    oldest = numbers(read.entries)[0]
    assert oldest > 0 and read.skipped is False  # five backups kept: the first lines were rotated away
    assert numbers(read.entries) == list(range(oldest, 120))
    assert {entry.program for entry in read.entries} == {"push"}
    assert tail.offset == (tmp_path / "push.log").stat().st_size


def test_a_huge_log_is_read_from_its_end_within_the_budget(tmp_path: Path) -> None:
    write_log(tmp_path, "sandbox", numbered(3000, "sandbox"))  # ~450 kB in one file
    read, _ = read_recent(tmp_path, "sandbox", budget=50_000)
    assert read.skipped
    shown = numbers(read.entries)
    assert shown[-1] == 2999 and shown == list(range(shown[0], 3000))
    assert 250 < len(shown) < 400  # about 50 kB of 150-byte lines, none of them cut
    assert all(entry.message.endswith(filler(100)) for entry in read.entries)


def test_the_budget_spans_the_backups_newest_first(tmp_path: Path) -> None:
    write_log(tmp_path, "push", numbered(60), max_bytes=3000)
    read, _ = read_recent(tmp_path, "push", budget=4000)  # the current file and part of .1
    shown = numbers(read.entries)
    assert read.skipped and shown[-1] == 59 and shown == list(range(shown[0], 60))
    assert len(shown) * 150 < 4000 + 150


def test_following_reads_what_was_added_even_across_a_rotation(tmp_path: Path) -> None:
    write_log(tmp_path, "push", numbered(5), max_bytes=3000)
    read, tail = read_recent(tmp_path, "push")
    assert numbers(read.entries) == [0, 1, 2, 3, 4]
    assert read_new(tail).entries == []
    more = numbered(40)[5:]
    write_log(tmp_path, "push", more, max_bytes=3000)  # rotates several times
    assert (tmp_path / "push.log.1").exists()
    seen = read_new(tail)
    # The file read so far became a backup: its rest comes first, then the newest file; older backups
    # rotated in between are beyond what was being followed.
    assert numbers(seen.entries) == sorted(numbers(seen.entries))
    assert numbers(seen.entries)[-1] == 39 and 5 in numbers(seen.entries)


def test_a_line_being_written_waits_for_its_end(tmp_path: Path) -> None:
    log = tmp_path / "gui.log"
    log.write_text("2026-05-01 12:00:00,001 gui[7] INFO a.b: first\n2026-05-01 12:00:00,002 gui[7] INFO a.b: sec")
    read, tail = read_recent(tmp_path, "gui")
    assert [entry.message for entry in read.entries] == ["first"]
    with log.open("a") as file:
        file.write("ond\nKeyError: 'k'\n")
    later = read_new(tail)
    assert [entry.message for entry in later.entries] == ["second\nKeyError: 'k'"]
    with log.open("a") as file:
        file.write("  a continuation written after its record was read\n")
    last = read_new(tail)
    assert last.entries == [] and last.leading == "  a continuation written after its record was read"


def test_a_file_that_cannot_be_read_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "gui.log").mkdir()  # root reads any file: a folder in its place cannot be read by anyone
    write_log(tmp_path, "sandbox", [("INFO", "fine")])
    read, tail = read_recent(tmp_path, "gui")
    assert read.entries == [] and read.problems == ["Cannot read gui.log (Is a directory): its lines are not shown."]
    assert read_new(tail).problems == read.problems
    assert [entry.message for entry in read_recent(tmp_path, "sandbox")[0].entries] == ["fine"]


def test_a_program_without_a_log_has_nothing_to_say(tmp_path: Path) -> None:
    read, tail = read_recent(tmp_path, "watch")
    assert (read.entries, read.problems, read.skipped) == ([], [], False)
    assert read_new(tail).entries == []
    write_log(tmp_path, "watch", [("INFO", "first words")])
    assert [entry.message for entry in read_new(tail).entries] == ["first words"]
    assert read_new(ProgramLog("watch", tmp_path / "watch.log")).entries[0].message == "first words"
