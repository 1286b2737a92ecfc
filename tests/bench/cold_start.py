"""Benchmark: the window's cold start, from process start to its first painted frame (not part of the tests).

Each round starts `python -m ingress_studio gui --no-sandbox` in a fresh process, with a fresh HOME and XDG
folders (no saved settings, no lk config), under Xvfb (or Qt's offscreen platform with --offscreen). Nothing
in the app knows about the measurement: a small launcher creates the QApplication the app then reuses
(create_application takes an existing instance), installs an event filter on it that notes the first
QEvent.Paint delivered to a widget of a QMainWindow, and runs the package's __main__ as `python -m` would.

The app's bytecode is compiled first, into a cache of the run's own, as an installed app has it
(installed_bytecode.py says why).

The time is measured inside the window's process: the launcher's time.monotonic() offset by how long the
process had already lived when the launcher's first line ran (/proc/self/stat's start time against
CLOCK_BOOTTIME, 10 ms resolution), so the interpreter's own start is included. The time this script saw
between spawning the process and reading the launcher's line is printed too, as a check.

    .venv/bin/python tests/bench/cold_start.py [--rounds 5] [--offscreen]

Target: median and max <= 1.0 s. Needs Xvfb (Debian: xvfb) unless --offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fresh_session import end_window, fresh_session_environment  # beside this script: on sys.path when run
from installed_bytecode import environment_with_bytecode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

TARGET_S = 1.0
PAINT_TIMEOUT_S = 30

LAUNCHER = """
import os, time
launcher_started = time.monotonic()
ticks = os.sysconf("SC_CLK_TCK")
process_started = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19]) / ticks
lived_before_launcher = time.clock_gettime(time.CLOCK_BOOTTIME) - process_started

import json, runpy, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and isinstance(watched.window(), QMainWindow)
        ):
            app.removeEventFilter(self)
            since_start = lived_before_launcher + time.monotonic() - launcher_started
            print(json.dumps({"first_paint_s": since_start, "before_launcher_s": lived_before_launcher}), flush=True)
        return False

app = QApplication(sys.argv[:1])
first_paint = FirstPaint()
app.installEventFilter(first_paint)
runpy.run_module("ingress_studio", run_name="__main__", alter_sys=True)
"""


def one_round(folder: Path, display_env: dict[str, str]) -> tuple[float, float, float]:
    """(first paint since process start, the part before the launcher ran, as seen from this script)."""
    # no project: the window shows its empty state, as on a first start
    env = fresh_session_environment(folder, display_env) | {"PYTHONPATH": str(ROOT / "app")}
    stderr_path = folder / "window-stderr.txt"
    command = [sys.executable, "-c", LAUNCHER, "gui", "--no-sandbox"]
    with stderr_path.open("wb") as stderr:
        spawned = time.monotonic()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # the window prints nothing else on stdout
        seen_s = time.monotonic() - spawned
        if not line:
            raise RuntimeError(f"the window ended before painting: {stderr_path.read_text(errors='replace')}")
        figures = json.loads(line)
        return float(figures["first_paint_s"]), float(figures["before_launcher_s"]), seen_s
    finally:
        end_window(process, PAINT_TIMEOUT_S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--offscreen", action="store_true", help="Qt's offscreen platform instead of Xvfb")
    args = parser.parse_args()

    from support.xvfb import Xvfb

    xvfb = None
    if args.offscreen:
        display_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    else:
        xvfb = Xvfb(1280, 800).start()
        display_env = {**xvfb.env(), "QT_QPA_PLATFORM": "xcb"}
    platform = "offscreen" if args.offscreen else f"Xvfb {xvfb.display if xvfb else ''}"
    print(f"cold start to the first painted frame, {args.rounds} rounds, {platform}, target <= {TARGET_S:.1f} s")
    firsts: list[float] = []
    try:
        with tempfile.TemporaryDirectory(prefix="cold-start-") as scratch:
            display_env = environment_with_bytecode(Path(scratch) / "pycache", display_env)
            # The display's own first client pays for it (Xvfb compiles its keymap then), and the first
            # round reads the libraries from disk: a desktop has both warm, so that round is shown, not counted.
            first, before, seen = one_round(Path(scratch) / "warm-up", display_env)
            print(f"  warm-up (not counted): first paint {first:.3f} s", flush=True)
            for number in range(1, args.rounds + 1):
                first, before, seen = one_round(Path(scratch) / f"round-{number}", display_env)
                firsts.append(first)
                print(
                    f"  round {number}: first paint {first:.3f} s after process start"
                    f" (interpreter before the launcher {before:.3f} s; seen from here {seen:.3f} s)",
                    flush=True,
                )
    finally:
        if xvfb is not None:
            xvfb.stop()
    median, worst = statistics.median(firsts), max(firsts)
    verdict = "met" if worst <= TARGET_S else "NOT met"
    print(f"median {median:.3f} s   max {worst:.3f} s   target <= {TARGET_S:.1f} s: {verdict}")


if __name__ == "__main__":
    main()
