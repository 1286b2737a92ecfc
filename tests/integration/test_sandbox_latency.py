"""The sandbox reads the clock stamp off what arrives (RTMP and WHIP) and reports the glass-to-glass latency
in its levels route: a real `push --stamp-clock` into a real sandbox, the route read over real HTTP."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.live_state import Status, status_is, wait_for
from support.sandbox_process import SandboxServer
from support.twirp_raw import token


@pytest.fixture
def pushes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.terminate()
        process.wait(20)


def _stamped_push(server: SandboxServer, ingress_id: str, *extra: str) -> subprocess.Popen[str]:
    env = {"LIVEKIT_URL": server.url, "LIVEKIT_API_KEY": server.api_key, "LIVEKIT_API_SECRET": server.api_secret}
    command = [sys.executable, "-m", "ingress_studio", "push", "test:", "--ingress", ingress_id, "--stamp-clock"]
    return subprocess.Popen(
        [*command, "--duration", "30", *extra],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


async def _levels_with_latency(server: SandboxServer, ingress_id: str) -> dict[str, Any]:
    """The levels route, polled until it reports a latency (a keyframe with a stamp has been decoded)."""
    url = f"{server.url}/sandbox/ingress/{ingress_id}/levels"
    deadline = time.monotonic() + 20
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token()}"}) as http:
        while True:
            async with http.get(url) as response:
                levels: dict[str, Any] = await response.json() if response.status == 200 else {}
            if levels.get("latency_ms") is not None:
                return levels
            assert time.monotonic() < deadline, f"no latency reported; last: {levels}"
            await asyncio.sleep(0.2)


@pytest.mark.parametrize("input_type", [ingress_pb.RTMP_INPUT, ingress_pb.WHIP_INPUT], ids=["rtmp", "whip"])
async def test_a_stamped_push_gives_a_latency_in_the_levels_route(
    sandbox: SandboxServer, pushes: list[subprocess.Popen[str]], input_type: int
) -> None:
    async with IngressClient(sandbox.project()) as client:
        request = ingress_pb.CreateIngressRequest(
            input_type=input_type,  # type: ignore[arg-type]
            name="stamped",
            room_name="latency",
            participant_identity="stamped",
        )
        info = await client.create(request)
        pushes.append(_stamped_push(sandbox, info.ingress_id))
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        levels = await _levels_with_latency(sandbox, info.ingress_id)
    # on one machine: capture → encode → send → receive → decode takes well under a few seconds
    assert 0 <= levels["latency_ms"] < 3000, levels
    assert 0 <= levels["latency_p50_ms"] <= levels["latency_p95_ms"] < 3000, levels
