"""Helpers for watching an ingress's live state through the real API, and for what a file carries."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import av
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.run_program import run_ingress_studio
from support.sandbox_process import SandboxServer

Status = ingress_pb.IngressState.Status


async def wait_for(
    client: IngressClient,
    ingress_id: str,
    condition: Callable[[ingress_pb.IngressInfo], bool],
    timeout: float = 20.0,
) -> ingress_pb.IngressInfo:
    """Poll ListIngress until `condition` holds; fail with the last state seen."""
    deadline = time.monotonic() + timeout
    info = ingress_pb.IngressInfo()
    while time.monotonic() < deadline:
        [info] = await client.list(ingress_id=ingress_id)
        if condition(info):
            return info
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out; last state: {info.state}")


def status_is(*statuses: int) -> Callable[[ingress_pb.IngressInfo], bool]:
    return lambda info: info.state.status in statuses


def stream_bitrates(path: Path) -> dict[str, float]:
    """Bits per second each stream of a file carries (packet bytes over the stream's duration)."""
    sizes: dict[str, int] = {}
    times: dict[str, list[float]] = {}
    with av.open(str(path)) as container:
        for packet in container.demux():
            if packet.size == 0 or packet.dts is None or packet.time_base is None:
                continue
            kind = packet.stream.type
            sizes[kind] = sizes.get(kind, 0) + packet.size
            times.setdefault(kind, []).append(float(packet.dts * packet.time_base))
    return {kind: sizes[kind] * 8 / (max(t) - min(t)) for kind, t in times.items()}


Finished = subprocess.CompletedProcess[str]


def push_test_pattern(server: SandboxServer, ingress_id: str, seconds: int) -> asyncio.Task[Finished]:
    """`ingress-studio push test: --ingress ID` against the sandbox, in the background, with stats lines."""
    env = {"LIVEKIT_URL": server.url, "LIVEKIT_API_KEY": server.api_key, "LIVEKIT_API_SECRET": server.api_secret}
    command = ["push", "test:", "--ingress", ingress_id, "--duration", str(seconds), "--stats-json"]
    return asyncio.create_task(asyncio.to_thread(run_ingress_studio, *command, env=env))


def assert_received_what_was_pushed(result: subprocess.CompletedProcess[str], ended: ingress_pb.IngressInfo) -> None:
    """The sandbox's average_bitrate (audio + video) within 10 % of what the push says it sent."""
    last = json.loads(result.stdout.splitlines()[-1])
    sent_bps = last["bytes_sent"] * 8 / last["time"]
    received_bps = ended.state.video.average_bitrate + ended.state.audio.average_bitrate
    assert abs(received_bps - sent_bps) <= 0.10 * sent_bps, (received_bps, sent_bps)


def ffmpeg_publish(source: Path, url: str, loop: bool = False) -> subprocess.Popen[str]:
    """Debian's ffmpeg CLI sending a file at its real rate, as it is (no re-encoding), over RTMP."""
    looping = ["-stream_loop", "-1"] if loop else []
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re", *looping, "-i", str(source), "-c", "copy"]
    return subprocess.Popen([*command, "-f", "flv", url], stderr=subprocess.PIPE, text=True)
