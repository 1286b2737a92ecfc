"""Helpers for watching an ingress's live state through the real API, and for what a file carries."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import av
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient

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
