"""Benchmark: glass-to-glass latency read from the clock stamp (not part of the tests).

Every picture carries the wall-clock time it was generated (`push --stamp-clock`, the format in
docs/control-protocol.md "The clock stamp"); whoever decodes it subtracts that from now. Four paths, each
for --seconds of measurement:
  1. `ingress-studio push test: --stamp-clock` -> nginx-rtmp, read back with PyAV (low-delay options,
     every frame decoded, the stamp read from each);
  2. the same push -> the sandbox over RTMP, latency from its levels route (polled 10 times a second,
     with the MJPEG preview held open so that the sandbox decodes every picture, not only keyframes);
  3. the same push -> the sandbox over WHIP, the same way;
  4. a 5 s network stall: the push of 1 through a TCP hop that stops reading for --stall seconds, read back
     as in 1; how many pictures arrive over 1 s late after it, and how soon latency is back at its level;
  5. the floor: pictures generated and stamped here (media/clock_stamp.py, at generation time), piped
     as rawvideo into Debian's ffmpeg CLI (libx264 ultrafast, zerolatency) -> nginx-rtmp, read back
     as in 1.
The first --warmup seconds of readings of every path are skipped (the reader probes and connects, the
encoder and the receiver settle). Both ends run on this machine, so they share one clock. For each push,
the engine's own share (picture handed over by its reader -> packet written to the connection) is its
--stats-json `engine_delay_p50_ms`/`engine_delay_p95_ms` over the last 10 s.

    .venv/bin/python tests/bench/latency.py [--seconds 20] [--warmup 3] [--profile 720p30] [--x264-preset ultrafast]

Targets (issue 13): through nginx-rtmp <= 100 ms p95, sandbox RTMP <= 300 ms p95, sandbox WHIP <= 200 ms
p95, after a 5 s stall latency back at its level within 10 s; the floor is what ffmpeg's own path costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import av
import numpy
from jwt.warnings import InsecureKeyLengthWarning
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.media import clock_stamp, wall_clock
from support.nginx_rtmp import NginxRtmp
from support.sandbox_process import SandboxServer
from support.stall_proxy import StallProxy
from support.twirp_raw import token

warnings.filterwarnings("ignore", category=InsecureKeyLengthWarning)  # the sandbox's well-known dev secret

TARGETS_P95_MS = {"nginx": 100.0, "sandbox-rtmp": 300.0, "sandbox-whip": 200.0}
# Low delay for the reader: no input buffering, no decoder delay, and a probe that looks at little.
LOW_DELAY = {"fflags": "nobuffer", "flags": "low_delay", "probesize": "32768", "analyzeduration": "0"}
FLOOR_SIZE = (1280, 720)
FLOOR_RATE = 30
POLLS_PER_SECOND = 10
SETTLE_S = 15.0  # how long a path may take to show its first stamped picture


def summary(label: str, readings: list[float], target: float | None) -> str:
    if len(readings) < 2:
        return f"{label:<26} no readings"
    p50 = statistics.median(readings)
    p95 = statistics.quantiles(readings, n=100, method="inclusive")[94]
    aim = f"  (target p95 <= {target:.0f} ms: {'met' if p95 <= target else 'MISSED'})" if target else ""
    return f"{label:<26} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  n {len(readings):5d}{aim}"


class Push:
    """`push test: --stamp-clock --stats-json`, its stats lines collected."""

    def __init__(self, targets: list[str], args: argparse.Namespace, seconds: float) -> None:
        command = [sys.executable, "-m", "ingress_studio", "push", "test:", "--stamp-clock", "--profile", args.profile]
        if args.x264_preset:
            command += ["--x264-preset", args.x264_preset]
        command += [*targets, "--duration", str(int(seconds) + 1), "--stats-json"]
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.stats: list[dict[str, object]] = []
        stdout = self.process.stdout
        assert stdout is not None
        threading.Thread(target=lambda: [self.stats.append(json.loads(x)) for x in stdout if x[:1] == "{"]).start()

    def engine_share(self, label: str) -> str:
        live = [line for line in self.stats if line.get("engine_delay_p95_ms") is not None]
        if not live:
            return f"  {label}: the engine's own share: not reported"
        last = live[-1]
        return (
            f"  {label}: the engine's own share (reader -> connection), last 10 s: "
            f"p50 {last['engine_delay_p50_ms']} ms, p95 {last['engine_delay_p95_ms']} ms"
        )

    def finish(self, label: str) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        _, stderr = self.process.communicate(timeout=20)
        if self.process.returncode not in (0, -15):
            print(f"  push exited {self.process.returncode}: {stderr[-500:]}")
        share = self.engine_share(label)
        print(share)
        ENGINE_SHARES.append(share)


ENGINE_SHARES: list[str] = []


def read_back(url: str, seconds: float, warmup: float, label: str) -> list[float]:
    """Decode every picture of an RTMP stream with low-delay options; the latency of each after warmup."""
    deadline = time.monotonic() + SETTLE_S
    while True:
        try:
            container = av.open(url, options=LOW_DELAY, timeout=5.0)
            break
        except (av.error.FFmpegError, OSError):
            if time.monotonic() > deadline:
                raise SystemExit(f"could not read {url}") from None
            time.sleep(0.2)  # the publisher is not there yet
    per_second: list[list[float]] = []  # every second's readings, so that a drift or a stall shows
    try:
        stream = container.streams.video[0]
        stream.thread_type = "SLICE"  # frame threads would hold pictures back: latency, not throughput
        opened = time.monotonic()
        for frame in container.decode(stream):
            now = time.monotonic()
            if now - opened > warmup + seconds:
                break
            stamp = clock_stamp.read(frame)
            if stamp is not None and now - opened >= warmup:
                second = int(now - opened - warmup)
                if second >= len(per_second):
                    per_second.append([])
                per_second[-1].append(float(wall_clock.latency_ms(stamp)))
    finally:
        container.close()
    for index, chunk in enumerate(per_second, 1):
        print(f"  {label} second {index:3d}: min {min(chunk):6.1f}  max {max(chunk):6.1f} ms  ({len(chunk)} pictures)")
    return [value for chunk in per_second for value in chunk]


def nginx_path(nginx: NginxRtmp, args: argparse.Namespace) -> list[float]:
    push = Push(["--rtmp", nginx.url, "--stream-key", "push"], args, args.warmup + args.seconds + 2)
    try:
        return read_back(f"{nginx.url}/push", args.seconds, args.warmup, "nginx")
    finally:
        push.finish("nginx")


def stall_path(nginx: NginxRtmp, args: argparse.Namespace) -> str:
    """The push through a hop that stalls for --stall s after 5 s; what arrives after, second by second."""
    proxy = StallProxy(nginx.port).start()
    before_s, after_s = 5.0, 12.0
    push = Push(
        ["--rtmp", f"rtmp://127.0.0.1:{proxy.port}/x", "--stream-key", "stall"],
        args,
        SETTLE_S + args.warmup + before_s + args.stall + after_s,
    )
    arrivals: list[tuple[float, float]] = []  # (arrival time, latency ms)
    began: list[float] = []
    ended: list[float] = []

    def stall() -> None:
        time.sleep(args.warmup + before_s)
        began.append(time.monotonic())
        proxy.stall(args.stall)
        ended.append(time.monotonic())

    try:
        container = _open_when_published(f"{nginx.url}/stall", timeout=(5.0, 3 * args.stall))
        stalling = threading.Thread(target=stall, daemon=True)
        stalling.start()
        started = time.monotonic()
        try:
            stream = container.streams.video[0]
            stream.thread_type = "SLICE"
            for frame in container.decode(stream):
                now = time.monotonic()
                stamp = clock_stamp.read(frame)
                if stamp is not None and now - started >= args.warmup:
                    arrivals.append((now, wall_clock.latency_ms(stamp)))
                if ended and now - ended[0] > after_s:
                    break
        finally:
            container.close()
    finally:
        push.finish("stall")
        proxy.stop()
    if not ended:
        return "stall: the stream ended before the stall did"
    steady = [latency for at, latency in arrivals if at < began[0]]
    after = [(at - ended[0], latency) for at, latency in arrivals if at >= ended[0]]
    level = statistics.quantiles(steady, n=100, method="inclusive")[94] if len(steady) > 2 else 0.0
    for second in range(int(after_s)):
        chunk = [latency for since, latency in after if second <= since < second + 1]
        if chunk:
            print(
                f"  stall: second {second + 1:3d} after it: "
                f"min {min(chunk):7.1f}  max {max(chunk):7.1f} ms  ({len(chunk)})"
            )
    stale = sum(1 for _, latency in after if latency > 1000)
    back = next(
        (
            second
            for second in range(int(after_s))
            if all(latency <= level + 50 for since, latency in after if since >= second)
        ),
        None,
    )
    recovery = f"back at its level (p95 {level:.0f} ms + 50) {back} s after" if back is not None else "NOT back"
    met = "met" if back is not None and back <= 10 else "MISSED"
    return (
        f"stall of {args.stall:g} s: {stale} pictures over 1 s late after it, latency {recovery}"
        f"  (target within 10 s: {met})"
    )


def _open_when_published(url: str, timeout: tuple[float, float]) -> av.container.InputContainer:
    deadline = time.monotonic() + SETTLE_S
    while True:
        try:
            return av.open(url, options=LOW_DELAY, timeout=timeout)
        except (av.error.FFmpegError, OSError):
            if time.monotonic() > deadline:
                raise SystemExit(f"could not read {url}") from None
            time.sleep(0.2)  # the publisher is not there yet


def floor_path(nginx: NginxRtmp, args: argparse.Namespace) -> list[float]:
    width, height = FLOOR_SIZE
    ffmpeg = subprocess.Popen(
        [
            "ffmpeg", "-v", "error", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}",
            "-r", str(FLOOR_RATE), "-i", "-", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
            "-g", str(2 * FLOOR_RATE), "-b:v", "1900k", "-f", "flv", f"{nginx.url}/floor",
        ],
        stdin=subprocess.PIPE,
    )  # fmt: skip
    stop = threading.Event()

    def generate() -> None:
        assert ffmpeg.stdin is not None
        picture = numpy.full(width * height * 3 // 2, 128, dtype=numpy.uint8)
        luma = picture[: width * height].reshape(height, width)
        started, index = time.monotonic(), 0
        try:
            while not stop.is_set():
                luma[height // 2 :, :] = 128
                bar = (index * 8) % width  # a moving bar: the encoder has something to code
                luma[height // 2 :, bar : bar + 32] = 220
                clock_stamp.draw_on_luma(luma, wall_clock.wall_clock_ms())
                ffmpeg.stdin.write(picture.tobytes())
                ffmpeg.stdin.flush()
                index += 1
                time.sleep(max(0.0, started + index / FLOOR_RATE - time.monotonic()))
        except (BrokenPipeError, ValueError):
            pass
        finally:
            ffmpeg.stdin.close()

    generator = threading.Thread(target=generate, daemon=True)
    generator.start()
    try:
        return read_back(f"{nginx.url}/floor", args.seconds, args.warmup, "floor")
    finally:
        stop.set()
        generator.join(5)
        ffmpeg.wait(10)


async def new_ingress(server: SandboxServer, input_type: int) -> ingress_pb.IngressInfo:
    async with IngressClient(server.project()) as client:
        request = ingress_pb.CreateIngressRequest(input_type=input_type, room_name="bench")  # type: ignore[arg-type]
        request.participant_identity = "bench"
        return await client.create(request)


def hold_preview(url: str, bearer: str, stop: threading.Event) -> None:
    """Keep the MJPEG preview open: while it is watched the sandbox decodes (and stamps) every picture."""

    def run() -> None:
        while not stop.is_set():
            try:
                request = urllib.request.Request(url, headers={"Authorization": f"Bearer {bearer}"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    while not stop.is_set() and response.read(65536):
                        pass
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)  # not live yet

    threading.Thread(target=run, daemon=True).start()


def poll_levels(url: str, bearer: str, seconds: float, warmup: float, label: str) -> list[float]:
    """The sandbox's newest latency reading, 10 times a second; waits for the first, then warmup."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {bearer}"})

    def levels() -> dict[str, object]:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                loaded: dict[str, object] = json.loads(response.read())
                return loaded
        except (urllib.error.URLError, OSError):
            return {}

    deadline = time.monotonic() + SETTLE_S
    while levels().get("latency_ms") is None:
        if time.monotonic() > deadline:
            raise SystemExit(f"{label}: no stamped picture reached the sandbox")
        time.sleep(0.1)
    time.sleep(warmup)
    readings: list[float] = []
    last: dict[str, object] = {}
    started = time.monotonic()
    for index in range(int(seconds * POLLS_PER_SECOND)):
        last = levels()
        value = last.get("latency_ms")
        if isinstance(value, int | float):
            readings.append(float(value))
        if index % POLLS_PER_SECOND == POLLS_PER_SECOND - 1:
            second = readings[-POLLS_PER_SECOND:] or [float("nan")]
            number = index // POLLS_PER_SECOND + 1
            print(f"  {label} second {number:3d}: min {min(second):6.1f}  max {max(second):6.1f} ms")
        time.sleep(max(0.0, started + (index + 1) / POLLS_PER_SECOND - time.monotonic()))
    print(
        f"  {label}: the sandbox's own window: p50 {last.get('latency_p50_ms')} ms, p95 {last.get('latency_p95_ms')} ms"
    )
    return readings


def sandbox_path(server: SandboxServer, args: argparse.Namespace, whip: bool) -> list[float]:
    info = asyncio.run(new_ingress(server, ingress_pb.WHIP_INPUT if whip else ingress_pb.RTMP_INPUT))
    targets = (
        ["--whip", info.url, "--token", info.stream_key]
        if whip
        else ["--rtmp", info.url, "--stream-key", info.stream_key]
    )
    bearer = token()
    base = f"{server.url}/sandbox/ingress/{info.ingress_id}"
    stop = threading.Event()
    push = Push(targets, args, SETTLE_S + args.warmup + args.seconds + 2)
    try:
        hold_preview(f"{base}/preview.mjpeg", bearer, stop)
        return poll_levels(f"{base}/levels", bearer, args.seconds, args.warmup, "whip" if whip else "rtmp")
    finally:
        stop.set()
        push.finish("whip" if whip else "rtmp")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3, help="seconds of readings skipped at each path's start")
    parser.add_argument("--profile", default="720p30")
    parser.add_argument("--stall", type=float, default=5.0, help="seconds the network stalls in the stall path")
    parser.add_argument("--x264-preset", help="push's x264 preset (default: push's own), to compare with the floor's")
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        nginx = NginxRtmp(root / "nginx").start()
        server = SandboxServer(root / "sandbox").start()
        paths: list[tuple[str, Callable[[], list[float]]]] = [
            ("nginx", lambda: nginx_path(nginx, args)),
            ("sandbox-rtmp", lambda: sandbox_path(server, args, whip=False)),
            ("sandbox-whip", lambda: sandbox_path(server, args, whip=True)),
            ("floor", lambda: floor_path(nginx, args)),
        ]
        try:
            for name, run in paths:
                print(f"{name}: {args.seconds:.0f} s after {args.warmup:.0f} s of warmup", flush=True)
                results[name] = run()
            print(f"stall: {args.stall:g} s of stall after 5 s, then 12 s", flush=True)
            stall_result = stall_path(nginx, args)
        finally:
            server.stop()
            nginx.stop()
    print()
    print(summary("push -> nginx-rtmp (PyAV)", results["nginx"], TARGETS_P95_MS["nginx"]))
    print(summary("push -> sandbox RTMP", results["sandbox-rtmp"], TARGETS_P95_MS["sandbox-rtmp"]))
    print(summary("push -> sandbox WHIP", results["sandbox-whip"], TARGETS_P95_MS["sandbox-whip"]))
    print(summary("floor: ffmpeg CLI -> nginx", results["floor"], None))
    print(stall_result)
    for share in ENGINE_SHARES:
        print(share.strip())


if __name__ == "__main__":
    main()
