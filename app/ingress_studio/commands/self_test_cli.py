"""`ingress-studio self-test`: whether this installation (a frozen bundle above all, where missing hidden
imports, data files and keyring backends hide) can do what the app does, checked for real, in one minute.

In order, one line per check: every module imports; the FFmpeg in PyAV has the encoders, muxers and
protocols the engine needs; the rtc SDK's native library loads; which keyring keeps secrets; then the
sandbox on free ports, an RTMP and a WHIP ingress through the Ingress API, a few seconds of test pattern
pushed to each, a room watcher seeing a picture (self_test_live.py). Exit code 0 when nothing failed.

The parser imports nothing heavy: every command's start builds it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable

from ingress_studio.commands.self_test_report import FAILED_EXIT, SelfTestReport

TOTAL_S = 90.0  # every step's bound lies within this
WATCHDOG_GRACE_S = 20.0  # for stopping what was started after TOTAL_S; then the process ends regardless


def add_self_test_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "self-test",
        help="check this installation end to end: modules, FFmpeg, the rtc SDK, the keyring, a sandbox round trip",
        description="Imports every module, checks the encoders, muxers and protocols of PyAV's FFmpeg, loads the "
        "rtc SDK's native library, reports the keyring, then starts the sandbox on free ports (a temporary data "
        "folder), pushes the test pattern to an RTMP and a WHIP ingress and watches the room. One line per check; "
        f"exit code 0 when all pass, 1 when one fails. Bounded to about {TOTAL_S:.0f} seconds.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document of the checks at the end")


def run_self_test_command(args: argparse.Namespace) -> int:
    from ingress_studio.commands.self_test_installation import (
        check_ffmpeg,
        check_keyring,
        check_modules,
        check_sdk_library,
    )
    from ingress_studio.commands.self_test_modules import exception_sentence
    from ingress_studio.config.paths import user_log_dir

    report = SelfTestReport(sys.stdout, as_json=args.json, log_dir=user_log_dir())
    deadline = report.started + TOTAL_S
    running: list[Callable[[], list[int]]] = []  # the live round trip's children, for the watchdog
    watchdog = _Watchdog(TOTAL_S + WATCHDOG_GRACE_S, running)
    watchdog.start()
    try:
        checks = (("modules", check_modules), ("PyAV", check_ffmpeg), ("livekit FFI", check_sdk_library))
        for name, check in (*checks, ("keyring", check_keyring)):
            try:
                check(report)
            except Exception as exc:  # a bug in a check must not hide the checks after it
                report.failed(name, f"the check itself failed ({exception_sentence(exc)})")
        _run_live(report, deadline, running)
    except KeyboardInterrupt:
        report.finish(interrupted=True)
        raise
    finally:
        watchdog.cancel()
    return report.finish()


def _run_live(report: SelfTestReport, deadline: float, running: list[Callable[[], list[int]]]) -> None:
    import asyncio
    import tempfile
    from pathlib import Path

    from ingress_studio.commands.self_test_live import LiveRoundTrip

    async def live(data_dir: Path) -> None:
        round_trip = LiveRoundTrip(report, data_dir, deadline)
        running.append(round_trip.child_pids)
        task = asyncio.current_task()
        assert task is not None
        with contextlib.suppress(NotImplementedError, AttributeError):  # Windows has neither handler nor SIGTERM
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        await round_trip.run()

    # never the user's sandbox folder: its ingresses and database stay as they are
    with tempfile.TemporaryDirectory(prefix="ingress-studio-self-test-", ignore_cleanup_errors=True) as folder:
        try:
            asyncio.run(live(Path(folder)))
        except asyncio.CancelledError:  # SIGTERM: everything was stopped on the way out
            raise KeyboardInterrupt from None


class _Watchdog:
    """The last resort if a step hangs where no bound reaches (an import, a native call): after `after_s`,
    kill what was started and end the process with the failure code."""

    def __init__(self, after_s: float, running: list[Callable[[], list[int]]]) -> None:
        self._after_s = after_s
        self._running = running
        self._timer = threading.Timer(after_s, self._give_up)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()

    def _give_up(self) -> None:
        kill = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows: SIGTERM is TerminateProcess
        for pids in self._running:
            for pid in pids():
                with contextlib.suppress(OSError):
                    os.kill(pid, kill)
        print(f"self-test FAILED: still running after {self._after_s:g} s; stopped.", file=sys.stdout, flush=True)
        sys.stderr.flush()
        os._exit(FAILED_EXIT)
