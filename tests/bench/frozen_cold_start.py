"""Benchmark: the frozen app's cold start to its window on screen, beside the source app's (not part of the tests).

A bundle cannot take cold_start.py's launcher (nothing can be run inside it before the app), so both are
timed from outside the same way: from spawning `BINARY gui --no-sandbox` (and `python -m ingress_studio gui
--no-sandbox`, with compiled bytecode) to the moment the X server reports a viewable top-level window named
"Ingress Studio" (xdotool, polled every 10 ms), with a fresh HOME and XDG folders each time. Qt paints on
the expose that follows the map, so this is a few milliseconds before the first painted frame that
cold_start.py measures; the source app's figure here against cold_start.py's shows the difference.

    .venv/bin/python tests/bench/frozen_cold_start.py --binary dist/ingress-studio/ingress-studio [--rounds 5]

Target (issue 13/14): median and max <= 1.0 s. Needs Xvfb and xdotool (Debian: xvfb xdotool).
"""

from __future__ import annotations

import argparse
import shutil
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
WINDOW_TIMEOUT_S = 30
POLL_S = 0.01


def window_visible(env: dict[str, str]) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Ingress Studio"], capture_output=True, env=env
    )
    return found.returncode == 0 and bool(found.stdout.strip())


def one_round(command: list[str], folder: Path, base: dict[str, str]) -> float:
    env = fresh_session_environment(folder, base) | {"QT_QPA_PLATFORM": "xcb"}
    stderr_path = folder / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        spawned = time.monotonic()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr, env=env)
    try:
        while not window_visible(env):
            if process.poll() is not None:
                raise RuntimeError(f"the window ended before showing: {stderr_path.read_text(errors='replace')}")
            if time.monotonic() - spawned > WINDOW_TIMEOUT_S:
                raise RuntimeError(f"no window within {WINDOW_TIMEOUT_S} s")
            time.sleep(POLL_S)
        return time.monotonic() - spawned
    finally:
        end_window(process, WINDOW_TIMEOUT_S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", type=Path, required=True, help="the frozen ingress-studio")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("xdotool") is None:
        raise SystemExit("xdotool is needed (Debian: apt-get install xdotool)")

    from support.xvfb import Xvfb

    xvfb = Xvfb(1280, 800).start()
    deadline = time.monotonic() + WINDOW_TIMEOUT_S
    while subprocess.run(["xdotool", "getdisplaygeometry"], capture_output=True, env=xvfb.env()).returncode != 0:
        if time.monotonic() > deadline:
            raise SystemExit(f"Xvfb {xvfb.display} takes no clients")
        time.sleep(POLL_S)  # its socket appears before it answers
    commands = {
        "frozen": [str(args.binary.absolute()), "gui", "--no-sandbox"],
        "source": [sys.executable, "-m", "ingress_studio", "gui", "--no-sandbox"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    print(f"cold start to a visible window, {args.rounds} rounds, Xvfb {xvfb.display}, target <= {TARGET_S:.1f} s")
    try:
        with tempfile.TemporaryDirectory(prefix="frozen-cold-start-") as scratch:
            base = environment_with_bytecode(Path(scratch) / "pycache", xvfb.env())
            base["PYTHONPATH"] = str(ROOT / "app")
            # the display's first client and the first read of each program's files: shown, not counted
            for name, command in commands.items():
                seconds = one_round(command, Path(scratch) / f"warm-up-{name}", base)
                print(f"  warm-up (not counted): {name} {seconds:.3f} s", flush=True)
            for number in range(1, args.rounds + 1):
                line = []
                for name, command in commands.items():
                    seconds = one_round(command, Path(scratch) / f"round-{number}-{name}", base)
                    times[name].append(seconds)
                    line.append(f"{name} {seconds:.3f} s")
                print(f"  round {number}: {'   '.join(line)}", flush=True)
    finally:
        xvfb.stop()
    for name, values in times.items():
        median, worst = statistics.median(values), max(values)
        verdict = "met" if worst <= TARGET_S else "MISSED"
        print(f"{name}: median {median:.3f} s, max {worst:.3f} s  (target <= {TARGET_S:.1f} s: {verdict})")


if __name__ == "__main__":
    main()
