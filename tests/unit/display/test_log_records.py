"""Log files written by the real logging setup, read back as records, filtered and redacted again."""

from __future__ import annotations

import logging
from pathlib import Path

from livekit.api import AccessToken, VideoGrants

from ingress_studio.display.log_filter import LogFilter
from ingress_studio.display.log_records import MAX_RECORD_CHARS, LogEntry, header_level, parse_log
from ingress_studio.redaction import MASK, register_secret
from support.log_writer import write_log

JWT = AccessToken("devkey", "a-real-looking-api-secret-0123").with_grants(VideoGrants(ingress_admin=True)).to_jwt()
STREAM_KEY = "kxqzmvbhtrwp"
API_SECRET = "Zq8vYt2mNp4rXs6wUu9Lk3Jh"


def read(folder: Path, program: str) -> list[LogEntry]:
    return parse_log((folder / f"{program}.log").read_text(), program).entries


def test_each_line_becomes_time_level_program_logger_and_message(tmp_path: Path) -> None:
    write_log(
        tmp_path,
        "sandbox",
        [("DEBUG", "listening"), ("INFO", "ingress created"), ("WARNING", "slow client"), ("ERROR", "gave up")],
        logger="ingress_studio.sandbox.twirp",
    )
    entries = read(tmp_path, "sandbox")
    assert [(e.level, e.program, e.logger, e.message) for e in entries] == [
        (logging.DEBUG, "sandbox", "ingress_studio.sandbox.twirp", "listening"),
        (logging.INFO, "sandbox", "ingress_studio.sandbox.twirp", "ingress created"),
        (logging.WARNING, "sandbox", "ingress_studio.sandbox.twirp", "slow client"),
        (logging.ERROR, "sandbox", "ingress_studio.sandbox.twirp", "gave up"),
    ]
    assert entries[0].time[:2] == "20" and entries[0].time <= entries[-1].time
    assert (tmp_path / "sandbox.log").read_text().splitlines()[2] == entries[2].text


def test_a_traceback_belongs_to_the_record_above_it(tmp_path: Path) -> None:
    write_log(tmp_path, "gui", [("INFO", "before"), ("exception", "refresh failed"), ("INFO", "after")])
    entries = read(tmp_path, "gui")
    assert [e.message.splitlines()[0] for e in entries] == ["before", "refresh failed", "after"]
    failed = entries[1]
    assert failed.level == logging.ERROR
    assert "Traceback (most recent call last):" in failed.message and failed.message.endswith("KeyError: 'missing'")
    assert failed.text.count("\n") == failed.message.count("\n") >= 3
    assert header_level(failed.text.splitlines()[0]) == logging.ERROR
    assert header_level(failed.text.splitlines()[1]) is None  # a continuation line


def test_a_file_written_unredacted_is_shown_masked(tmp_path: Path) -> None:
    # Written by a process that did not know these secrets (or before redaction knew their shape).
    register_secret(API_SECRET)  # the window knows its project's secret; the child that logged did not
    lines = [
        ("INFO", f"joining with {JWT}"),
        ("INFO", f"publishing to rtmps://live.example:443/x/{STREAM_KEY}"),
        ("INFO", f"whip: POST http://127.0.0.1:8080/w/{STREAM_KEY}"),
        ("WARNING", f"Authorization: Bearer {JWT}"),
        ("INFO", f"signing with {API_SECRET}"),
        ("INFO", "relay rtmp://me:hunter2hunter2@relay.example/live"),
        ("exception", f"request with api_secret={API_SECRET} failed"),
    ]
    write_log(tmp_path, "engine", lines, unredacted=True)
    written = (tmp_path / "engine.log").read_text()
    assert JWT in written and STREAM_KEY in written and API_SECRET in written  # the file does hold them
    shown = "\n".join(e.text for e in read(tmp_path, "engine"))
    for secret in (JWT, JWT.split(".")[1], STREAM_KEY, API_SECRET, "hunter2hunter2"):
        assert secret not in shown
    assert shown.count(MASK) >= len(lines)
    assert f"rtmps://live.example:443/x/{MASK}" in shown and "KeyError: 'missing'" in shown


def test_lines_before_the_first_record_are_kept_apart() -> None:
    parsed = parse_log("  File 'x.py', line 1\nKeyError: 'k'\n2026-05-01 12:00:00,001 gui[7] INFO a.b: hi\n", "gui")
    assert parsed.leading == "  File 'x.py', line 1\nKeyError: 'k'"
    assert [e.message for e in parsed.entries] == ["hi"]


def test_a_huge_record_is_cut_and_says_so() -> None:
    parsed = parse_log("2026-05-01 12:00:00,001 gui[7] INFO a.b: " + "y" * (MAX_RECORD_CHARS + 5000), "gui")
    (entry,) = parsed.entries
    assert entry.message.endswith("(5,000 more characters not shown)")
    assert len(entry.message) < MAX_RECORD_CHARS + 100


def test_filters_by_level_program_and_text(tmp_path: Path) -> None:
    write_log(tmp_path, "gui", [("DEBUG", "gui detail"), ("INFO", "gui Ready"), ("ERROR", "gui broke")])
    write_log(tmp_path, "push", [("INFO", "push ready"), ("WARNING", "push slow")])
    entries = read(tmp_path, "gui") + read(tmp_path, "push")

    def messages(shown: LogFilter) -> list[str]:
        return [e.message for e in shown.select(entries)]

    assert messages(LogFilter()) == ["gui Ready", "gui broke", "push ready", "push slow"]  # Info and up
    assert messages(LogFilter(min_level=logging.DEBUG, programs=frozenset({"gui"}))) == [
        "gui detail",
        "gui Ready",
        "gui broke",
    ]
    assert messages(LogFilter(min_level=logging.WARNING)) == ["gui broke", "push slow"]
    assert messages(LogFilter(search=" READY ")) == ["gui Ready", "push ready"]  # any case, spaces trimmed
    assert messages(LogFilter(search="ingress_studio.test")) == messages(LogFilter())  # the logger too
    assert messages(LogFilter(programs=frozenset({"gui", "push"}), search="slow")) == ["push slow"]
