"""A bug is one line on the terminal that points at the log; the traceback is in the log, not on the screen.

The program runs in a child process; a command is replaced by one that fails, because an unexpected error
is by nature one that no input of ours is known to cause.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROGRAM = """
import sys, threading
import ingress_studio.cli as cli

def in_the_command(_args):
    {}[0]

def in_a_thread(_args):
    worker = threading.Thread(target=lambda: 1 / 0, name="worker")
    worker.start()
    worker.join()
    return 0

cli.run_devices_command = in_the_command if sys.argv[1] == "command" else in_a_thread
sys.exit(cli.main(["devices"]))
"""


def run(where: str, state: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(state)}
    return subprocess.run([sys.executable, "-c", PROGRAM, where], capture_output=True, text=True, timeout=60, env=env)


def log_file_named_in(line: str) -> Path:
    path = Path(line.rsplit("The details are in ", 1)[1])
    assert path.is_file(), line
    return path


def test_an_unexpected_error_is_one_line_pointing_at_the_log(tmp_path: Path) -> None:
    result = run("command", tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("ingress-studio devices: unexpected error (KeyError: 0). The details are in ")
    log = log_file_named_in(line).read_text()
    assert "Traceback" in log and "in_the_command" in log


def test_an_error_in_a_thread_is_one_line_too(tmp_path: Path) -> None:
    result = run("thread", tmp_path)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("ingress-studio devices: unexpected error (ZeroDivisionError: division by zero).")
    assert "Traceback" in log_file_named_in(line).read_text()
