"""Benchmark: what opening Help → Logs costs with every program's log full (not part of the tests).

Each of the viewer's programs gets --megabytes of log lines written by the real logging setup (rotated at
2 MB, as in the app), one line in 50 a warning with a URL that carries a stream key. The real LogViewer then
opens offscreen on a qasync loop and reads them. Printed: how long until the lines are shown, how many were
read and shown, and the event loop's lag meanwhile (a 10 ms timer restarted at each tick: p50, p99, max),
then the time one filter change takes (level, program, search) on the GUI thread.

    .venv/bin/python tests/bench/log_viewer_load.py [--megabytes 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parents[1]))

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ingress_studio.controllers.log_files import PROGRAMS
from ingress_studio.controllers.log_follower import LogFollower
from ingress_studio.ui.log_viewer import LogViewer
from support.log_writer import write_log

LINE_BYTES = 180  # about what one numbered line takes, header included


def lines(program: str, megabytes: float) -> list[tuple[str, str]]:
    count = int(megabytes * 1e6 / LINE_BYTES)
    return [
        ("WARNING", f"{program} {index:07d} retrying rtmp://live.example/x/kxqzmvbhtrwp{index}")
        if index % 50 == 0
        else ("INFO", f"{program} line {index:07d} " + "x" * 100)
        for index in range(count)
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(viewer: LogViewer) -> None:
    lags: list[float] = []
    due = time.perf_counter() + 0.01
    ticker = QTimer()
    ticker.setSingleShot(True)
    ticker.setTimerType(ticker.timerType().PreciseTimer)

    def tick() -> None:
        nonlocal due
        now = time.perf_counter()
        lags.append((now - due) * 1000)
        due = now + 0.01
        ticker.start(10)

    ticker.timeout.connect(tick)
    ticker.start(10)
    started = time.perf_counter()
    viewer.show()
    while viewer.follower.loading or not viewer.view.toPlainText():
        await asyncio.sleep(0.005)
    shown_s = time.perf_counter() - started
    ticker.stop()
    follower = viewer.follower
    print(f"read {len(follower.entries):,} records in {shown_s:.2f} s; {viewer.counts.text()}")
    print(
        f"event-loop lag while reading (ms): p50 {statistics.median(lags):.1f}, p99 {percentile(lags, 0.99):.1f},"
        f" max {max(lags):.1f} over {len(lags)} ticks"
    )
    for what, change in (
        ("level Warning", lambda: viewer.level.setCurrentText("Warning")),
        ("program push", lambda: viewer.program.setCurrentText("push")),
        ("all programs", lambda: viewer.program.setCurrentText("All programs")),
        ("search 'retrying'", lambda: (viewer.search.setText("retrying"), viewer.search.returnPressed.emit())),
        ("level Info, no search", lambda: (viewer.search.clear(), viewer.level.setCurrentText("Info"))),
    ):
        started = time.perf_counter()
        change()
        print(f"{what}: {(time.perf_counter() - started) * 1000:.0f} ms on the GUI thread; {viewer.counts.text()}")
    follower.stop()
    await follower.closed()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=4.0, help="of log lines for each program")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="log-viewer-bench-"))
    started = time.perf_counter()
    for program in PROGRAMS:
        write_log(folder, program, lines(program, args.megabytes))
    size = sum(path.stat().st_size for path in folder.glob("*.log*"))
    print(f"wrote {size / 1e6:.1f} MB for {len(PROGRAMS)} programs in {time.perf_counter() - started:.1f} s")
    app = QApplication(sys.argv)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    viewer = LogViewer(LogFollower(folder))
    viewer.resize(1100, 640)
    with loop:  # closing it ends its worker threads
        loop.run_until_complete(measure(viewer))


if __name__ == "__main__":
    main()
