"""Benchmark: what receiving one 1080p30 RTMP stream costs the sandbox (not part of the tests).

A 1080p30 H.264 + AAC file is published in real time (`ffmpeg -re -c copy`) four ways:
  1. to the sandbox, with nobody looking at its preview (the meter decodes keyframes and audio);
  2. to the sandbox, with an MJPEG preview viewer connected throughout (every picture decoded,
     10 JPEGs a second);
  3. to Debian's ffmpeg CLI listening for RTMP and decoding everything (`-f null`), the reference:
     the cost of a receiver that decodes the whole stream;
  4. to the sandbox over WHIP (`ingress-studio push`, which re-encodes to H.264 baseline + Opus; aiortc
     decodes every WebRTC picture by design), for information.
CPU is user+system time of the receiving process only (from /proc for the sandbox, wait4 for
ffmpeg), divided by the media seconds: "cores". The publisher's CPU is not counted.

    .venv/bin/python tests/bench/sandbox_receive_cost.py [--seconds 30] [--rounds 2]

Target: the sandbox's cost for one 1080p30 input <= 0.35 of a core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from jwt.warnings import InsecureKeyLengthWarning
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.sandbox_process import SandboxServer
from support.twirp_raw import token

TICKS = os.sysconf("SC_CLK_TCK")
warnings.filterwarnings("ignore", category=InsecureKeyLengthWarning)  # the sandbox's well-known dev secret


def process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def make_source(path: Path, seconds: int) -> None:
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-b:v", "6000k", "-maxrate", "6000k",
            "-bufsize", "12000k", "-g", "60", "-bf", "0", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-ac", "2", "-b:a", "128k", str(path),
        ],
        check=True,
    )  # fmt: skip


def publish(source: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["ffmpeg", "-v", "error", "-re", "-i", str(source), "-c", "copy", "-f", "flv", url], stdin=subprocess.DEVNULL
    )


async def new_ingress(server: SandboxServer, input_type: int) -> ingress_pb.IngressInfo:
    async with IngressClient(server.project()) as client:
        request = ingress_pb.CreateIngressRequest(input_type=input_type, room_name="bench")  # type: ignore[arg-type]
        request.participant_identity = "bench"
        return await client.create(request)


def watch_preview(url: str, stop: threading.Event, counted: list[int]) -> threading.Thread:
    async def run() -> None:
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token()}"}) as http:
            while not stop.is_set():
                try:
                    async with http.get(url) as response:
                        async for line in response.content:
                            counted[0] += line.startswith(b"Content-Type: image/jpeg")
                            if stop.is_set():
                                return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)  # not live yet: try again

    thread = threading.Thread(target=lambda: asyncio.run(run()), daemon=True)
    thread.start()
    return thread


def sandbox_run(server: SandboxServer, source: Path, seconds: int, viewer: bool) -> float:
    assert server.process is not None
    info = asyncio.run(new_ingress(server, ingress_pb.RTMP_INPUT))
    stop, counted = threading.Event(), [0]
    if viewer:
        watch_preview(f"{server.url}/sandbox/ingress/{info.ingress_id}/preview.mjpeg", stop, counted)
    before = process_cpu(server.process.pid)
    publisher = publish(source, f"{info.url}/{info.stream_key}")
    if publisher.wait() != 0:
        raise SystemExit("publishing to the sandbox failed")
    time.sleep(0.5)  # the last packets and the session's end
    cpu = process_cpu(server.process.pid) - before
    stop.set()
    label = "sandbox, preview watched" if viewer else "sandbox, nobody watching"
    extra = f"   ({counted[0]} preview pictures)" if viewer else ""
    print(f"{label:<28} cpu {cpu:6.2f} s   {cpu / seconds:.3f} cores{extra}", flush=True)
    return cpu / seconds


def whip_run(server: SandboxServer, seconds: int) -> float:
    assert server.process is not None
    info = asyncio.run(new_ingress(server, ingress_pb.WHIP_INPUT))
    before = process_cpu(server.process.pid)
    command = [sys.executable, "-m", "ingress_studio", "push", "test:", "--whip", info.url, "--token", info.stream_key]
    command += ["--profile", "1080p30", "--duration", str(seconds)]
    if subprocess.run(command, capture_output=True).returncode != 0:
        raise SystemExit("pushing over WHIP failed")
    cpu = process_cpu(server.process.pid) - before
    print(f"{'sandbox, WHIP (aiortc)':<28} cpu {cpu:6.2f} s   {cpu / seconds:.3f} cores", flush=True)
    return cpu / seconds


def ffmpeg_run(source: Path, seconds: int) -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"rtmp://127.0.0.1:{port}/x/key"
    listener = subprocess.Popen(
        ["ffmpeg", "-v", "fatal", "-listen", "1", "-i", url, "-f", "null", "-"], stdin=subprocess.DEVNULL
    )
    time.sleep(1.0)  # listening
    publish(source, url).wait()
    _, _, usage = os.wait4(listener.pid, 0)  # the listener's own CPU, not the publisher's
    listener.returncode = 0
    cpu = usage.ru_utime + usage.ru_stime
    print(f"{'ffmpeg CLI, full decode':<28} cpu {cpu:6.2f} s   {cpu / seconds:.3f} cores", flush=True)
    return cpu / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "source-1080p30.mp4"
        make_source(source, args.seconds)
        server = SandboxServer(root / "sandbox").start()
        results: dict[str, list[float]] = {"idle": [], "watched": [], "ffmpeg": [], "whip": []}
        try:
            for round_number in range(1, args.rounds + 1):
                print(f"round {round_number}", flush=True)
                results["idle"].append(sandbox_run(server, source, args.seconds, viewer=False))
                results["watched"].append(sandbox_run(server, source, args.seconds, viewer=True))
                results["ffmpeg"].append(ffmpeg_run(source, args.seconds))
                results["whip"].append(whip_run(server, args.seconds))
        finally:
            server.stop()
    idle, watched = statistics.median(results["idle"]), statistics.median(results["watched"])
    ffmpeg, whip = statistics.median(results["ffmpeg"]), statistics.median(results["whip"])
    print()
    print(f"sandbox RTMP receive, nobody watching:  {idle:.3f} cores  (target <= 0.35)")
    print(f"sandbox RTMP receive, preview watched:  {watched:.3f} cores  (target <= 0.35)")
    print(f"ffmpeg CLI decoding everything:         {ffmpeg:.3f} cores")
    print(f"ratio sandbox idle / ffmpeg decode:     {idle / ffmpeg:.3f}")
    print(f"ratio sandbox watched / ffmpeg decode:  {watched / ffmpeg:.3f}")
    print(f"sandbox WHIP receive (aiortc decodes):  {whip:.3f} cores  (for information)")


if __name__ == "__main__":
    main()
