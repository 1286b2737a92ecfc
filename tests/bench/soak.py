"""Soak: a looped playlist pushed to the sandbox for --minutes with the window open (not part of the tests).

A sandbox runs as a child (`ingress-studio sandbox`); an RTMP ingress is created on it. The real window is
started in a process of its own, as a file manager's "Open with" would start it: `gui FILE FILE --project
Environment --ingress ID --start-streaming --no-sandbox`, under Xvfb (or offscreen with --offscreen), with a
fresh HOME whose saved Go-live source has "loop" set, so the two generated files play as a looped playlist
(a playlist is always transcoded by the engine, the window's child). The live docks (Go live, the stats,
both previews) are the window's own while it is live.

Every --interval seconds (10) it samples, from /proc, the resident memory (VmRSS), the open files
(/proc/PID/fd) and the threads (/proc/PID/status) of the window, the engine (the window's child found in
/proc) and the sandbox, and prints a line. At the end: each one's drift, the last minute's mean minus the
second minute's mean, against the targets (RSS <= 20 MB; open files and threads flat). The first minute is
warm-up, not drift: the previews join, the room view's child starts, caches and buffers fill; its figures
are printed beside, from the start.

    .venv/bin/python tests/bench/soak.py [--minutes 30] [--interval 10] [--offscreen]

Needs Xvfb (Debian: xvfb) unless --offscreen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
warnings.filterwarnings("ignore", message="The HMAC key")  # PyJWT on the sandbox's well-known dev secret

RSS_DRIFT_TARGET_MB = 20.0
PUBLISHING_TIMEOUT_S = 90
WINDOW_SECONDS = 60  # the second and the last minute are compared
WARM_UP_SECONDS = 60
PROCESSES = ("window", "engine", "sandbox")


@dataclass(frozen=True)
class Sample:
    at_s: float  # since the push was publishing
    rss_mb: float
    files: int
    threads: int


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)
    pids: list[int] = field(default_factory=list)  # more than one: the process was replaced

    def drift(self, figure: str, end_s: float, from_s: float = WARM_UP_SECONDS) -> float | None:
        first = [getattr(s, figure) for s in self.samples if from_s <= s.at_s < from_s + WINDOW_SECONDS]
        last = [getattr(s, figure) for s in self.samples if s.at_s >= end_s - WINDOW_SECONDS]
        if not first or not last:
            return None
        return float(statistics.mean(last) - statistics.mean(first))


def status_fields(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines)}


def sample(pid: int, at_s: float) -> Sample | None:
    try:
        fields = status_fields(pid)
        files = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None  # ended between two reads
    rss_kb = int(fields.get("VmRSS", "0 kB").split()[0])
    return Sample(at_s, rss_kb / 1024, files, int(fields["Threads"]))


def save_looped_source(config_home: Path, files: list[Path]) -> None:
    """The saved Go-live source the window starts with: files, looped (files on the command line keep `loop`)."""
    from PySide6.QtCore import QSettings

    from ingress_studio.controllers.source_choice import SourceChoice, SourceKind

    choice = SourceChoice(SourceKind.FILES, tuple(str(path) for path in files), loop=True)
    path = config_home / "Ingress Studio" / "Ingress Studio.conf"  # where QSettings() keeps them on Linux
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("go_live/source", choice.to_json())
    settings.sync()


async def soak(args: argparse.Namespace, scratch: Path, display_env: dict[str, str]) -> dict[str, Series]:
    from livekit.protocol import ingress as ingress_pb

    from ingress_studio.api.client import IngressClient
    from support.child_processes import engine_child_of
    from support.live_state import Status, status_is, wait_for
    from support.media_files import make_media
    from support.sandbox_process import SandboxServer
    from support.window_process import WindowProcess

    files = [
        make_media(scratch / "first.mp4", 20, size=(640, 360), fps=30),
        make_media(scratch / "second.mp4", 20, size=(640, 360), fps=30),
    ]
    home = scratch / "home"
    save_looped_source(home / ".config", files)
    server = SandboxServer(scratch / "sandbox", stderr_file=scratch / "sandbox-stderr.txt").start()
    window: WindowProcess | None = None
    series = {name: Series(name) for name in PROCESSES}
    try:
        async with IngressClient(server.project()) as client:
            request = ingress_pb.CreateIngressRequest(
                input_type=ingress_pb.RTMP_INPUT, name="soak", room_name="studio", participant_identity="soak"
            )
            info = await client.create(request)
            env = {
                **display_env,
                "LIVEKIT_URL": server.url,
                "LIVEKIT_API_KEY": server.api_key,
                "LIVEKIT_API_SECRET": server.api_secret,
                "HOME": str(home),
                "XDG_CONFIG_HOME": str(home / ".config"),
            }
            command = (*map(str, files), "--project", "Environment", "--ingress", info.ingress_id)
            window = WindowProcess(scratch / "window", (*command, "--start-streaming", "--no-sandbox"), env).start()
            await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING), timeout=PUBLISHING_TIMEOUT_S)
            assert window.process is not None and server.process is not None
            print(f"publishing; sampling every {args.interval:g} s for {args.minutes:g} min", flush=True)
            header = "".join(f" | {name:^24}" for name in PROCESSES)
            print(f"{'t (s)':>6}{header}", flush=True)
            print(f"{'':>6}" + " | {:>9} {:>6} {:>7}".format("RSS MB", "files", "threads") * 3, flush=True)
            started = time.monotonic()
            end = started + args.minutes * 60
            while True:
                at_s = time.monotonic() - started
                pids = {"window": window.process.pid, "engine": engine_child_of(window.process.pid)}
                pids["sandbox"] = server.process.pid
                cells = []
                for name in PROCESSES:
                    pid = pids[name]
                    taken = sample(pid, at_s) if pid is not None else None
                    if pid is None or taken is None:
                        cells.append(f" | {'(not running)':>24}")
                        continue
                    if pid not in series[name].pids:
                        series[name].pids.append(pid)
                    series[name].samples.append(taken)
                    cells.append(f" | {taken.rss_mb:9.1f} {taken.files:6d} {taken.threads:7d}")
                print(f"{at_s:6.0f}{''.join(cells)}", flush=True)
                if not window.running:
                    print(f"the window ended early: {window.stderr_text()[-2000:]}", flush=True)
                    break
                if time.monotonic() + args.interval > end + 0.5:
                    break
                await asyncio.sleep(max(0.0, started + at_s + args.interval - time.monotonic()))
    finally:
        if window is not None and window.running:
            window.stop()
        server.stop()
    return series


def report(series: dict[str, Series]) -> None:
    end_s = max((s.at_s for one in series.values() for s in one.samples), default=0.0)
    print(
        f"drift over {end_s:.0f} s: the last minute's mean minus the second minute's"
        " (in brackets: minus the first minute's, warm-up included)"
    )
    for one in series.values():
        rss, files, threads = (one.drift(figure, end_s) for figure in ("rss_mb", "files", "threads"))
        cold = [one.drift(figure, end_s, from_s=0.0) for figure in ("rss_mb", "files", "threads")]
        if rss is None or files is None or threads is None or None in cold:
            print(f"  {one.name:<8} too few samples (the run needs at least 3 minutes)")
            continue
        cold_rss, cold_files, cold_threads = (float(figure or 0.0) for figure in cold)
        rss_ok = "met" if rss <= RSS_DRIFT_TARGET_MB else "NOT met"
        flat = "flat" if files == 0 and threads == 0 else "NOT flat"
        replaced = f"   (replaced: pids {one.pids})" if len(one.pids) > 1 else ""
        print(
            f"  {one.name:<8} RSS {rss:+7.1f} MB [{cold_rss:+.1f}] (target <= {RSS_DRIFT_TARGET_MB:.0f} MB: {rss_ok})"
            f"   files {files:+5.1f} [{cold_files:+.1f}]   threads {threads:+5.1f} [{cold_threads:+.1f}] ({flat})"
            f"{replaced}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--interval", type=float, default=10, help="seconds between samples")
    parser.add_argument("--offscreen", action="store_true", help="Qt's offscreen platform instead of Xvfb")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "app"))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "app"), os.environ.get("PYTHONPATH")]))

    from support.xvfb import Xvfb

    xvfb = None
    if args.offscreen:
        display_env = {"QT_QPA_PLATFORM": "offscreen"}
    else:
        xvfb = Xvfb(1280, 800).start()
        display_env = {"DISPLAY": xvfb.display, "QT_QPA_PLATFORM": "xcb"}
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a stopped soak still stops its children
    try:
        with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
            series = asyncio.run(soak(args, Path(scratch), display_env))
    finally:
        if xvfb is not None:
            xvfb.stop()
    report(series)


if __name__ == "__main__":
    main()
