"""Benchmark: how responsive the real window stays while it streams 1080p30 (not part of the tests).

A sandbox runs as a child; an RTMP ingress is created with the 1080p30 video preset, so the Go-live panel's
default profile is 1080p30. The real MainWindow opens at --size under Xvfb (or Qt's offscreen platform with
--offscreen), connects to the sandbox, selects the ingress and goes live from its own Go-live panel with a
generated 1920x1080 30 fps file, looped; the engine is the window's child, as in the app. Both previews are on
screen: "What we send" (the engine's JPEGs, up to 15 a second) and "What the sandbox receives" (the details
panel's arrival preview, polled from the sandbox).

Each round measures, in the same run:
  1. idle: the window shown, the ingress selected, nothing live, for --idle-seconds (the reference);
  2. live: from --warmup seconds after the ingress reports PUBLISHING, for --seconds.
Measured in each phase:
  - event-loop lag: a precise 10 ms single-shot QTimer in the window's process, restarted at every tick;
    the lag of a tick is how late it ran after it was due (p50, p99, max; target p99 <= 30 ms while live);
  - the same timer in a bare process (a QCoreApplication, no window) at the same time: what the machine's
    load alone does to a 10 ms timer, so a slow tick can be told apart from a busy CPU (with --bare-busy-ms
    it also burns that much CPU per tick while live, a stand-in for the window's own work: 1 ms a tick is
    about what the window's GUI thread uses);
  - how long the window's GUI thread (and the bare process) waited for a CPU: runnable but not running,
    from /proc/thread-self/schedstat, in ms per second;
  - CPU, user+system over wall, in % of one core: the window's process (getrusage of itself, its
    threads included, its children not), the engine child, the sandbox and Xvfb (/proc, with descendants);
  - the window's involuntary context switches (preempted by the scheduler: a sign of a busy machine);
  - preview pictures the window showed and dropped (SendPreview's counters) and the arrival preview's.

--path transcode (the default) sends the file twice as a looped playlist: a playlist is always encoded,
so the engine transcodes to the 1080p30 profile and sends 15 previews a second. --path remux sends the
one file, looped: it already fits RTMP, so the engine sends it as it is (no profile) and previews only its
keyframes (one a second for this file).

--events times every top-level Qt event the window's process delivers while live (an overriding
QApplication.notify, a little overhead of its own): by event type and receiver, the wall time, the GUI
thread's CPU and how long it waited for a CPU, to see where the GUI thread's time goes. --cprofile writes a
cProfile of the GUI thread while live (pstats; wall-clock times).

    .venv/bin/python tests/bench/window_responsiveness.py [--seconds 30] [--rounds 2] [--size 1280x800]
        [--idle-seconds 5] [--warmup 5] [--path transcode|remux] [--offscreen] [--bare-busy-ms 0]
        [--events] [--cprofile FILE]

Needs Xvfb (Debian: xvfb) unless --offscreen.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

TICK_MS = 10
TARGET_P99_MS = 30.0
TICKS = os.sysconf("SC_CLK_TCK")
warnings.filterwarnings("ignore", message="The HMAC key")  # PyJWT on the sandbox's well-known dev secret


# -- measuring ---------------------------------------------------------------------------------------


def lag_probe(interval_ms: int = TICK_MS, busy_s: float = 0.0) -> Any:
    """A 10 ms precise single-shot QTimer, restarted at every tick; `lags` holds how late each tick ran (s).
    With `busy_s`, each tick also keeps the CPU busy that long (a stand-in for a window's own work)."""
    from PySide6.QtCore import QObject, Qt, QTimer

    class LagProbe(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.interval = interval_ms / 1000
            self.lags: list[float] = []
            self.worst_at: list[tuple[float, float]] = []  # (lag, monotonic time) of ticks over the target
            self._due = 0.0
            self.timer = QTimer(self)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.setSingleShot(True)
            self.timer.setInterval(interval_ms)
            self.timer.timeout.connect(self._tick)

        def start(self) -> None:
            self.lags = []
            self.worst_at = []
            self._due = time.perf_counter() + self.interval
            self.timer.start()

        def stop(self) -> list[float]:
            self.timer.stop()
            return self.lags

        def _tick(self) -> None:
            now = time.perf_counter()
            lag = max(0.0, now - self._due)
            self.lags.append(lag)
            if lag * 1000 > TARGET_P99_MS:
                self.worst_at.append((lag, time.monotonic()))
            if busy_s:
                busy_until = time.thread_time() + busy_s
                while time.thread_time() < busy_until:
                    pass
                now = time.perf_counter()
            self._due = now + self.interval
            self.timer.start()

    return LagProbe()


def bare_probe_main(seconds: float, busy_ms: float) -> None:
    """The child: say ready, wait for a line on stdin, measure for `seconds`, print the lags as JSON."""
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication([])
    probe = lag_probe(busy_s=busy_ms / 1000)
    print("ready", flush=True)
    sys.stdin.readline()
    waited = cpu_wait()
    probe.start()
    QTimer.singleShot(round(seconds * 1000), app.quit)
    app.exec()
    print(json.dumps({"lags": probe.stop(), "cpu_wait": cpu_wait() - waited}), flush=True)


class BareProbe:
    """The lag probe in a bare process of its own, run while the window is measured (read off the GUI thread)."""

    def __init__(self, seconds: float, busy_ms: float = 0.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--bare-probe", str(seconds), "--bare-busy-ms", str(busy_ms)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        stdout = self.process.stdout
        assert stdout is not None

        def read() -> None:
            for line in stdout:
                self.lines.put(line)

        threading.Thread(target=read, daemon=True).start()

    async def ready(self) -> None:
        await self._line(20)

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    async def result(self, timeout: float) -> tuple[list[float], float]:
        """The lags (s) and how long its thread waited for a CPU (s)."""
        result = json.loads(await self._line(timeout))
        await until(lambda: self.process.poll() is not None, 5, "the bare lag probe to exit")
        return [float(lag) for lag in result["lags"]], float(result["cpu_wait"])

    async def _line(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return self.lines.get_nowait()
            except queue.Empty:
                await asyncio.sleep(0.05)
        self.kill()
        raise SystemExit("the bare lag probe did not answer")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


def timed_application() -> Any:
    """A QApplication that, while `recording`, times every top-level event it delivers (--events): wall time,
    the GUI thread's CPU and its wait for a CPU, by event type and receiver."""
    from collections import defaultdict

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    class TimedApplication(QApplication):
        def __init__(self) -> None:
            super().__init__([])
            self.recording = False
            self.depth = 0
            self.totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0])

        def notify(self, receiver: Any, event: Any) -> bool:
            if not self.recording or self.depth:
                return super().notify(receiver, event)
            name = type(receiver).__name__  # now: the event may delete the receiver
            if isinstance(receiver, QTimer):
                name += f" {receiver.interval()} ms in {type(receiver.parent()).__name__}"
            elif receiver.objectName():
                name += f" {receiver.objectName()}"
            key = f"{getattr(event.type(), 'name', event.type())} -> {name}"
            wall, cpu, waited = time.perf_counter(), time.thread_time(), cpu_wait()
            self.depth += 1
            try:
                return super().notify(receiver, event)
            finally:
                self.depth -= 1
                wall, cpu, waited = time.perf_counter() - wall, time.thread_time() - cpu, cpu_wait() - waited
                total = self.totals[key]
                total[0] += 1
                total[1] += wall
                total[2] += cpu
                total[3] += waited
                total[4] = max(total[4], wall)

        def report(self, seconds: float, top: int = 12) -> list[str]:
            lines = [
                f"{'Qt event -> receiver':<58} {'count':>6} {'wall':>7} {'CPU':>7} {'waiting':>8} {'max':>7}"
                "  (ms per s; max in ms)"
            ]
            rows = sorted(self.totals.items(), key=lambda item: -item[1][1])
            for key, (count, wall, cpu, waited, longest) in rows[:top]:
                lines.append(
                    f"{key[:58]:<58} {count:6.0f} {1000 * wall / seconds:7.1f} {1000 * cpu / seconds:7.1f}"
                    f" {1000 * waited / seconds:8.1f} {1000 * longest:7.1f}"
                )
            wall, cpu, waited = (sum(row[index] for row in self.totals.values()) for index in (1, 2, 3))
            lines.append(
                f"{'all events':<58} {sum(row[0] for row in self.totals.values()):6.0f} {1000 * wall / seconds:7.1f}"
                f" {1000 * cpu / seconds:7.1f} {1000 * waited / seconds:8.1f}"
            )
            self.totals.clear()
            return lines

    return TimedApplication()


def own_cpu() -> tuple[float, int]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_nivcsw


def cpu_wait() -> float:
    """Seconds this thread has spent runnable but waiting for a CPU (the scheduler's run delay)."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return float("nan")


def process_tree_cpu(pid: int | None) -> float:
    """User+system seconds of a process and its living descendants (0 for a process gone)."""
    if pid is None:
        return 0.0
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    tree, grew = {pid}, True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grew = True
    return sum(times.get(member, 0.0) for member in tree)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Lag:
    p50: float
    p99: float
    max: float
    ticks: int
    over_target: int

    @classmethod
    def of(cls, lags: list[float]) -> Lag:
        ms = [lag * 1000 for lag in lags]
        return cls(
            percentile(ms, 0.5),
            percentile(ms, 0.99),
            max(ms, default=float("nan")),
            len(ms),
            sum(1 for value in ms if value > TARGET_P99_MS),
        )

    def text(self) -> str:
        return (
            f"p50 {self.p50:5.1f} ms  p99 {self.p99:5.1f} ms  max {self.max:6.1f} ms"
            f"  ({self.ticks} ticks, {self.over_target} over {TARGET_P99_MS:.0f} ms)"
        )


@dataclass
class Phase:
    name: str
    seconds: float
    lag: Lag
    bare: Lag
    window_cpu: float  # % of one core
    involuntary_switches: int
    window_wait: float  # ms per second the window's GUI thread waited for a CPU
    bare_wait: float  # the same for the bare process
    x_server_cpu: float | None = None
    engine_cpu: float | None = None
    sandbox_cpu: float | None = None
    shown: int = 0
    dropped: int = 0
    arrival_shown: int = 0
    load: float = 0.0
    notes: list[str] = field(default_factory=list)

    def print(self) -> None:
        print(f"  {self.name:<5} window loop lag   {self.lag.text()}", flush=True)
        print(f"  {'':<5} bare process lag  {self.bare.text()}", flush=True)
        cpu = f"  {'':<5} CPU (% of a core)  window {self.window_cpu:5.1f}"
        if self.engine_cpu is not None:
            cpu += f"   engine {self.engine_cpu:5.1f}   sandbox {self.sandbox_cpu or 0:5.1f}"
        if self.x_server_cpu is not None:
            cpu += f"   X server {self.x_server_cpu:5.1f}"
        print(cpu + f"   (load average {self.load:.2f})", flush=True)
        print(
            f"  {'':<5} waiting for a CPU  window's GUI thread {self.window_wait:5.1f} ms/s"
            f" ({self.involuntary_switches} preemptions), bare process {self.bare_wait:5.1f} ms/s",
            flush=True,
        )
        if self.name == "live":
            per_s = self.shown / self.seconds
            arrived_per_s = self.arrival_shown / self.seconds
            print(
                f"  {'':<5} previews           what we send: {self.shown} shown ({per_s:.1f}/s),"
                f" {self.dropped} dropped; what the sandbox receives: {self.arrival_shown} shown"
                f" ({arrived_per_s:.1f}/s)",
                flush=True,
            )
        for note in self.notes:
            print(f"  {'':<5} {note}", flush=True)


# -- the scenario ------------------------------------------------------------------------------------


def create_ingress(server: Any) -> str:
    from livekit.protocol import ingress as ingress_pb

    from ingress_studio.api.client import IngressClient

    async def create() -> str:
        async with IngressClient(server.project()) as client:
            request = ingress_pb.CreateIngressRequest(
                input_type=ingress_pb.RTMP_INPUT,
                name="Bench 1080p30",
                room_name="bench",
                participant_identity="bench",
                video=ingress_pb.IngressVideoOptions(preset=ingress_pb.H264_1080P_30FPS_3_LAYERS),
            )
            return (await client.create(request)).ingress_id

    return asyncio.run(create())


async def until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


class Bench:
    def __init__(self, args: argparse.Namespace, window: Any, server: Any, ingress_id: str, clip: Path) -> None:
        self.args = args
        self.window = window
        self.server = server
        self.ingress_id = ingress_id
        self.clip = clip
        self.probe = lag_probe()
        self.last_stats: Any = None
        window.live.go_live.stats.connect(self._stats)

    def _stats(self, stats: Any) -> None:
        self.last_stats = stats

    def status(self) -> int | None:
        info = self.window.model.info(self.ingress_id)
        return info.state.status if info is not None else None

    async def measure(self, name: str, seconds: float, live: bool) -> Phase:
        bare = BareProbe(seconds, self.args.bare_busy_ms if live else 0.0)
        try:
            return await self._measure(bare, name, seconds, live)
        finally:
            bare.kill()  # a run that fails leaves no probe behind

    async def _measure(self, bare: BareProbe, name: str, seconds: float, live: bool) -> Phase:
        from PySide6.QtWidgets import QApplication

        window = self.window
        await bare.ready()
        sending, arrival = window.live.sending, window.details.preview
        shown, dropped, arrived = sending.pictures_shown, sending.pictures_dropped, arrival.pictures_shown
        engine_pid, sandbox_pid = window.live.engine.pid, self.server.process.pid
        x_pid = self.args.x_server_pid
        cpu, switches = own_cpu()
        waited = cpu_wait()
        engine, sandbox = process_tree_cpu(engine_pid), process_tree_cpu(sandbox_pid)
        x_server = process_tree_cpu(x_pid)
        started = time.monotonic()
        bare.go()
        self.probe.start()
        app: Any = QApplication.instance()
        timed = live and hasattr(app, "recording")  # --events
        if timed:
            app.recording = True
        profiler = None
        if live and self.args.cprofile is not None:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        await asyncio.sleep(seconds)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(self.args.cprofile))
        lags = self.probe.stop()
        wall = time.monotonic() - started
        if timed:
            app.recording = False
        cpu_after, switches_after = own_cpu()
        waited_after = cpu_wait()
        engine_after, sandbox_after = process_tree_cpu(engine_pid), process_tree_cpu(sandbox_pid)
        x_server_after = process_tree_cpu(x_pid)
        bare_lags, bare_waited = await bare.result(seconds + 20)
        phase = Phase(
            name,
            wall,
            Lag.of(lags),
            Lag.of(bare_lags),
            100 * (cpu_after - cpu) / wall,
            switches_after - switches,
            1000 * (waited_after - waited) / wall,
            1000 * bare_waited / seconds,
            x_server_cpu=100 * (x_server_after - x_server) / wall if x_pid is not None else None,
            load=os.getloadavg()[0],
        )
        if live:
            phase.engine_cpu = 100 * (engine_after - engine) / wall
            phase.sandbox_cpu = 100 * (sandbox_after - sandbox) / wall
            phase.shown = sending.pictures_shown - shown
            phase.dropped = sending.pictures_dropped - dropped
            phase.arrival_shown = arrival.pictures_shown - arrived
            stats = self.last_stats
            if stats is not None:
                phase.notes.append(
                    f"engine: {stats.fps_out:.1f} fps out (target {stats.target_fps or 0:.0f}),"
                    f" {stats.bitrate / 1e6:.1f} Mb/s, speed {stats.speed:.2f}x,"
                    f" encode {stats.encode_ms_per_frame:.1f} ms/frame, skipped {stats.frames_skipped},"
                    f" lost {stats.frames_lost}; {stats.path}"
                )
        if timed:
            phase.notes.extend(app.report(wall))
        if self.probe.worst_at:
            worst = sorted(self.probe.worst_at, reverse=True)[:5]
            phase.notes.append(
                "worst ticks: " + ", ".join(f"{lag * 1000:.0f} ms at +{at - started:.1f} s" for lag, at in worst)
            )
        return phase

    async def go_live(self) -> None:
        from livekit.protocol import ingress as ingress_pb

        from ingress_studio.controllers.go_live import LiveState

        window, panel = self.window, self.window.live.panel
        files = [self.clip, self.clip] if self.args.path == "transcode" else [self.clip]
        window.live.take_files(files)
        panel.source.loop.setChecked(True)
        refusal = panel.start()
        if refusal is not None:
            raise SystemExit(f"the Go-live panel refused to start: {refusal}")
        await until(
            lambda: (
                window.live.go_live.state is LiveState.LIVE
                and self.status() == ingress_pb.IngressState.Status.ENDPOINT_PUBLISHING
            ),
            90,
            "the ingress to be PUBLISHING",
        )

    async def stop_live(self) -> None:
        from livekit.protocol import ingress as ingress_pb

        from ingress_studio.controllers.go_live import LiveState

        self.window.live.panel.stop()
        await until(lambda: self.window.live.go_live.state is LiveState.OFF, 30, "the push to stop")
        await until(
            lambda: self.status() != ingress_pb.IngressState.Status.ENDPOINT_PUBLISHING,
            30,
            "the ingress to leave PUBLISHING",
        )

    def check_on_screen(self) -> str:
        """Both previews visible and showing pictures, or SystemExit saying which is not."""
        sending, arrival = self.window.live.sending, self.window.details.preview
        for name, view in (("what we send", sending), ("what the sandbox receives", arrival)):
            if not view.isVisible() or view.picture.visibleRegion().isEmpty():
                raise SystemExit(f"the {name} preview is not on screen")
            if view.picture.pixmap().isNull():
                raise SystemExit(f"the {name} preview shows no picture")
        size = [f"{v.picture.pixmap().width()}x{v.picture.pixmap().height()}" for v in (sending, arrival)]
        return f"previews on screen: what we send {size[0]}, what the sandbox receives {size[1]}"

    async def round(self, number: int) -> tuple[Phase, Phase]:
        args = self.args
        print(f"round {number}/{args.rounds}", flush=True)
        idle = await self.measure("idle", args.idle_seconds, live=False)
        idle.print()
        await self.go_live()
        await asyncio.sleep(args.warmup)
        where = self.check_on_screen()
        live = await self.measure("live", args.seconds, live=True)
        live.notes.insert(0, where)
        live.print()
        await self.stop_live()
        return idle, live


async def scenario(
    args: argparse.Namespace, window: Any, picker: Any, server: Any, ingress_id: str, clip: Path
) -> None:
    sandbox = picker.current_project()
    assert sandbox is not None
    window.connect_project(sandbox)
    await until(lambda: window.model.info(ingress_id) is not None, 30, "the ingress in the table")
    if not window.select_ingress(ingress_id):
        raise SystemExit("could not select the ingress")
    bench = Bench(args, window, server, ingress_id, clip)
    combo = window.live.panel.encoding.profile
    if args.profile:
        index = combo.findData(args.profile)
        if index < 0:
            raise SystemExit(f"the panel offers no profile {args.profile}")
        combo.setCurrentIndex(index)
    print(f"encoding: {combo.currentText()}; path {args.path}", flush=True)
    await asyncio.sleep(2)  # the pre-flight check of the selection, the first refreshes
    results: list[tuple[Phase, Phase]] = []
    try:
        for number in range(1, args.rounds + 1):
            results.append(await bench.round(number))
    finally:
        await window.shutdown()
    summary(args, results)


def summary(args: argparse.Namespace, results: list[tuple[Phase, Phase]]) -> None:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    idle = [i for i, _ in results]
    live = [lv for _, lv in results]
    print()
    print(f"summary (medians of {len(results)} rounds; live {args.seconds:g} s, idle {args.idle_seconds:g} s):")
    for label, key in (("p50", "p50"), ("p99", "p99"), ("max", "max")):
        i = median([getattr(p.lag, key) for p in idle])
        lv = median([getattr(p.lag, key) for p in live])
        bare = median([getattr(p.bare, key) for p in live])
        target = f"  (target <= {TARGET_P99_MS:.0f} ms)" if key == "p99" else ""
        print(
            f"  loop lag {label}: live {lv:6.1f} ms   idle {i:6.1f} ms   live/idle {lv / i if i else float('inf'):6.2f}"
            f"   bare process meanwhile {bare:6.1f} ms{target}"
        )
    window_live = median([p.window_cpu for p in live])
    window_idle = median([p.window_cpu for p in idle])
    engine = median([p.engine_cpu or 0 for p in live])
    sandbox = median([p.sandbox_cpu or 0 for p in live])
    print(f"  window CPU: live {window_live:.1f} % of a core, idle {window_idle:.1f} %")
    if live[0].x_server_cpu is not None:
        print(f"  X server (Xvfb) CPU: live {median([p.x_server_cpu or 0 for p in live]):.1f} %")
    print(
        f"  waiting for a CPU while live: the window's GUI thread {median([p.window_wait for p in live]):.1f} ms/s,"
        f" the bare process {median([p.bare_wait for p in live]):.1f} ms/s"
    )
    print(
        f"  engine CPU: {engine:.1f} %   sandbox CPU: {sandbox:.1f} %"
        f"   window / engine: {window_live / engine if engine else float('nan'):.3f}"
    )
    shown = sum(p.shown for p in live)
    dropped = sum(p.dropped for p in live)
    seconds = sum(p.seconds for p in live)
    print(
        f"  previews: what we send {shown / seconds:.1f}/s shown, {dropped} dropped of {shown + dropped};"
        f" what the sandbox receives {sum(p.arrival_shown for p in live) / seconds:.1f}/s shown"
    )
    print(f"  (window {args.size} on {'offscreen' if args.offscreen else 'Xvfb'}, {os.cpu_count()} CPUs)")


# -- the run -------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> None:
    from support.media_files import make_media
    from support.sandbox_process import SandboxServer
    from support.xvfb import Xvfb

    width, height = (int(part) for part in args.size.lower().split("x"))
    xvfb = None
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    else:
        xvfb = Xvfb(width, height).start()
        assert xvfb.process is not None
        args.x_server_pid = xvfb.process.pid
        os.environ["DISPLAY"] = xvfb.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            os.environ["HOME"] = str(root / "home")  # no real settings or keyring are touched
            os.environ["XDG_CONFIG_HOME"] = str(root / "config")
            media_w, media_h = (int(part) for part in args.media_size.lower().split("x"))
            made = time.monotonic()
            clip = make_media(root / "clip.mp4", args.clip_seconds, size=(media_w, media_h), fps=30)
            print(
                f"made {args.clip_seconds:g} s of {media_w}x{media_h} at 30 fps"
                f" ({clip.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - made:.1f} s",
                flush=True,
            )
            server = SandboxServer(root / "sandbox").start()
            try:
                ingress_id = create_ingress(server)
                show_window(args, server, ingress_id, clip, root / "bench.ini", (width, height))
            finally:
                server.stop()
    finally:
        if xvfb is not None:
            xvfb.stop()


def show_window(
    args: argparse.Namespace, server: Any, ingress_id: str, clip: Path, settings_file: Path, size: tuple[int, int]
) -> None:
    import qasync
    from PySide6.QtCore import QSettings

    from ingress_studio.ui.app import create_application
    from ingress_studio.ui.main_window import MainWindow
    from ingress_studio.ui.preferences import Preferences
    from ingress_studio.ui.project_picker import ProjectPicker

    if args.events:
        timed_application()  # create_application takes the QApplication that exists
    app = create_application([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(Preferences(QSettings(str(settings_file), QSettings.Format.IniFormat)))
    picker = ProjectPicker(sandbox_url=server.url)
    window.set_project_picker(picker)
    picker.project_chosen.connect(window.connect_project)
    window.connection_state.connect(picker.set_status)
    window.resize(*size)
    window.move(0, 0)
    window.show()
    with loop:
        loop.run_until_complete(scenario(args, window, picker, server, ingress_id, clip))
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30, help="live measurement per round (default 30)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--size", default="1280x800", help="screen and window size, WxH (default 1280x800)")
    parser.add_argument("--idle-seconds", type=float, default=5, help="the idle reference per round (default 5)")
    parser.add_argument("--warmup", type=float, default=5, help="after PUBLISHING, before measuring (default 5)")
    parser.add_argument("--path", choices=["transcode", "remux"], default="transcode")
    parser.add_argument("--media-size", default="1920x1080", help="the generated file's size (default 1920x1080)")
    parser.add_argument("--clip-seconds", type=float, default=20, help="the generated file's length (default 20)")
    parser.add_argument("--profile", help="an encoding profile instead of the ingress's (default: its 1080p30)")
    parser.add_argument("--offscreen", action="store_true", help="Qt's offscreen platform instead of Xvfb")
    parser.add_argument(
        "--events", action="store_true", help="time every Qt event while live: where the GUI thread's time goes"
    )
    parser.add_argument("--cprofile", type=Path, help="write a cProfile of the window's thread while live (last round)")
    parser.add_argument(
        "--bare-busy-ms",
        type=float,
        default=0.0,
        help="while live, the bare process also burns this much CPU per tick (1 ms ~ the window's GUI thread)",
    )
    parser.add_argument("--bare-probe", type=float, help=argparse.SUPPRESS)  # the bare process's own mode
    args = parser.parse_args()
    args.x_server_pid = None
    if args.bare_probe is not None:
        bare_probe_main(args.bare_probe, args.bare_busy_ms)
        return
    run(args)


if __name__ == "__main__":
    main()
