"""One log file per program, each rotating on its own, safe with several writers at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ingress_studio.logging_setup import log_file_name


def run_python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> None:
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert stderr == "", stderr  # no "--- Logging error ---" from a failed rotation


def test_each_program_has_its_own_file() -> None:
    names = {program: log_file_name(program) for program in ("gui", "sandbox", "push", "engine", "ingress", "devices")}
    assert names == {
        "gui": "gui.log",
        "sandbox": "sandbox.log",
        "push": "push.log",
        "engine": "engine.log",
        "ingress": "cli.log",
        "devices": "cli.log",
    }


LOG_AS = """
import logging, sys
from pathlib import Path

import pytest
from ingress_studio.logging_setup import configure_logging
program, folder, lines = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
configure_logging(program, log_dir=folder)
log = logging.getLogger("ingress_studio.test")
for i in range(lines):
    log.info(f"{program} line {i:06d} " + "x" * 150)  # a template per line: repeats of one would be counted
"""


def test_a_noisy_program_does_not_rotate_away_another_programs_log(tmp_path: Path) -> None:
    finish(run_python(LOG_AS, "sandbox", str(tmp_path), "3"))
    sandbox_log = (tmp_path / "sandbox.log").read_text()
    finish(run_python(LOG_AS, "push", str(tmp_path), "75000"))  # ~15 MB: more than all six push files hold
    assert (tmp_path / "push.log.5").exists() and not (tmp_path / "push.log.6").exists()
    assert (tmp_path / "sandbox.log").read_text() == sandbox_log
    assert sandbox_log.count("sandbox line") == 3


WRITE_MANY = """
import logging, sys
from pathlib import Path

import pytest
from ingress_studio.log_rotation import SharedRotatingFileHandler
writer, path, lines = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
handler = SharedRotatingFileHandler(path, max_bytes=20_000, backup_count=200)
handler.setFormatter(logging.Formatter("%(message)s"))
log = logging.getLogger("writer")
log.addHandler(handler)
log.setLevel(logging.INFO)
for i in range(lines):
    log.info("%s %06d %s.", writer, i, "y" * 80)
"""
LINE = re.compile(r"w\d \d{6} y{80}\.")


def test_writers_of_one_program_at_once_share_its_rotation(tmp_path: Path) -> None:
    path = tmp_path / "push.log"
    writers = [run_python(WRITE_MANY, f"w{n}", str(path), "3000") for n in range(3)]
    for writer in writers:
        finish(writer)
    files = sorted(tmp_path.glob("push.log*"))
    lines: list[str] = []
    for file in files:
        if file.suffix == ".lock":
            continue
        assert file.stat().st_size <= 20_000, f"{file.name} grew past its limit: rotated by two writers"
        lines += file.read_text().splitlines()
    assert all(LINE.fullmatch(line) for line in lines), "a line was cut or interleaved"
    assert sorted(lines) == sorted(f"w{n} {i:06d} {'y' * 80}." for n in range(3) for i in range(3000))


def test_a_rotation_that_fails_keeps_the_backups_it_has(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows the rename of an open file fails; each attempt would shift every backup first."""
    import logging

    from ingress_studio.log_rotation import SharedRotatingFileHandler

    path = tmp_path / "gui.log"
    handler = SharedRotatingFileHandler(path, max_bytes=200, backup_count=5)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("ingress_studio.test_rotation")
    log.propagate = False
    log.addHandler(handler)
    try:
        for number in range(60):  # five full rotations' worth: backups .1 to .5 exist
            log.warning("line %03d %s", number, "x" * 40)
        assert sorted(p.name for p in tmp_path.glob("gui.log.*") if p.suffix != ".lock") == [
            f"gui.log.{n}" for n in range(1, 6)
        ]

        def held_open(source: str, destination: str) -> None:
            if source == handler.baseFilename:
                raise PermissionError(13, "The process cannot access the file")
            Path(source).rename(destination)

        monkeypatch.setattr(handler, "rotate", held_open)
        for number in range(40):
            log.warning("held %03d %s", number, "x" * 40)
        backups = [p for p in tmp_path.glob("gui.log.*") if p.suffix != ".lock"]
        assert len(backups) >= 4, sorted(p.name for p in backups)  # one shift at most, not one per line
        assert "held 039" in path.read_text()  # the lines kept coming, into the current file
    finally:
        log.removeHandler(handler)
        handler.close()
