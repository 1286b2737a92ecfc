"""Benchmark: what room viewers cost the sandbox for a 1080p30 RTMP ingress (not part of the tests).

A 1080p30 H.264 (6 Mb/s, keyframe every 2 s) + AAC file is published in real time to the sandbox with
Debian's ffmpeg CLI (`-re -c copy`, looped). Then 0, 1, 2 and 4 viewers (the official rtc SDK, each in
its own child process, `tests/support/room_viewer_child.py`) join its room. For each round:
- join: seconds `Room.connect()` took (the viewer's own measure);
- first frame: seconds from the start of `connect()` to the first decoded picture;
- sandbox CPU: user+system time of the sandbox process (from /proc) over a window once every viewer
  has pictures, divided by the window: "cores"; and the increase per viewer over the 0-viewer round.
The viewers' own CPU (decoding 1080p) is not counted, but they share the machine's cores.

    .venv/bin/python tests/bench/sandbox_room_cost.py [--window 15] [--viewers 0 1 2 4] [--b-frames 2]

With --b-frames the source has pictures out of order, which WebRTC cannot carry: the sandbox then decodes and
encodes the video again (once for all viewers), and that cost shows from the first viewer on.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jwt.warnings import InsecureKeyLengthWarning
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.room_viewers import RoomViewer, start_viewer, viewer_token
from support.sandbox_process import SandboxServer

TICKS = os.sysconf("SC_CLK_TCK")
ROOM = "bench"
warnings.filterwarnings("ignore", category=InsecureKeyLengthWarning)  # the sandbox's well-known dev secret


def process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def make_source(path: Path, b_frames: int) -> None:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "20",
         "-c:v", "libx264", "-preset", "veryfast", "-b:v", "6000k", "-maxrate", "6000k", "-bufsize", "12000k",
         "-g", "60", "-bf", str(b_frames), "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", str(path)],
        check=True,
    )  # fmt: skip


async def create_ingress(server: SandboxServer) -> ingress_pb.IngressInfo:
    async with IngressClient(server.project()) as client:
        request = ingress_pb.CreateIngressRequest(
            input_type=ingress_pb.RTMP_INPUT, name="bench", room_name=ROOM, participant_identity="streamer"
        )
        return await client.create(request)


def measure(server: SandboxServer, count: int, window: float) -> dict[str, float]:
    viewers: list[RoomViewer] = []
    joins: list[float] = []
    first_frames: list[float] = []
    try:
        for number in range(count):
            viewer = start_viewer(server, viewer_token(server, ROOM, identity=f"bench-{number}"), seconds=window + 60)
            viewers.append(viewer)
        for viewer in viewers:
            joined = viewer.event("joined", timeout=60)
            picture = viewer.event("video", timeout=60)
            joins.append(joined["join_s"])
            first_frames.append(picture["t"] - joined["t"] + joined["join_s"])
        assert server.process is not None
        time.sleep(2)  # past the start-up burst
        cpu_before, started = process_cpu(server.process.pid), time.monotonic()
        time.sleep(window)
        cores = (process_cpu(server.process.pid) - cpu_before) / (time.monotonic() - started)
    finally:
        for viewer in viewers:
            viewer.stop()
    return {
        "cores": cores,
        "join": max(joins) if joins else float("nan"),
        "first_frame": max(first_frames) if first_frames else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=float, default=15.0, help="seconds of CPU measurement per round")
    parser.add_argument("--viewers", type=int, nargs="+", default=[0, 1, 2, 4])
    parser.add_argument(
        "--b-frames", type=int, default=0, help="B-frames in the source (OBS's x264 sends 2): the sandbox re-encodes"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "1080p30.mp4"
        make_source(source, args.b_frames)
        server = SandboxServer(Path(folder) / "data").start()
        publisher: subprocess.Popen[bytes] | None = None
        try:
            info = asyncio.run(create_ingress(server))
            publisher = subprocess.Popen(
                ["ffmpeg", "-v", "error", "-re", "-stream_loop", "-1", "-i", str(source), "-c", "copy",
                 "-f", "flv", f"{info.url}/{info.stream_key}"]
            )  # fmt: skip
            asyncio.run(create_ingress_wait(server, info.ingress_id))
            baseline = None
            print(f"{'viewers':>7} {'join s':>7} {'1st frame s':>11} {'sandbox cores':>13} {'per viewer':>10}")
            for count in args.viewers:
                figures = measure(server, count, args.window)
                if count == 0:
                    baseline = figures["cores"]
                per_viewer = (figures["cores"] - baseline) / count if count and baseline is not None else float("nan")
                print(
                    f"{count:>7} {figures['join']:>7.2f} {figures['first_frame']:>11.2f} "
                    f"{figures['cores']:>13.3f} {per_viewer:>10.3f}",
                    flush=True,
                )
        finally:
            if publisher is not None:
                publisher.kill()
                publisher.wait()
            server.stop()


async def create_ingress_wait(server: SandboxServer, ingress_id: str) -> None:
    async with IngressClient(server.project()) as client:
        for _ in range(300):
            listed = await client.list(ingress_id=ingress_id)
            if listed and listed[0].state.status == ingress_pb.IngressState.Status.ENDPOINT_PUBLISHING:
                return
            await asyncio.sleep(0.1)
    raise RuntimeError("the ingress did not start publishing")


if __name__ == "__main__":
    main()
