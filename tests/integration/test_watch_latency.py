"""`watch` reads the clock stamp off the room's pictures: a real `push --stamp-clock` into the real sandbox over
RTMP, the official rtc SDK receiving in the watch command, the latency in its stats and its line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.live_state import Status, status_is, wait_for
from support.rtmp_test_pattern import create_ingress
from support.run_program import watch as run_watch
from support.sandbox_process import SandboxServer


async def stamped_ingress(sandbox: SandboxServer, room: str, publishers: list[subprocess.Popen[str]]) -> str:
    """An RTMP ingress of `room` that `push test: --stamp-clock` publishes to, once PUBLISHING."""
    project = {"LIVEKIT_URL": sandbox.url, "LIVEKIT_API_KEY": sandbox.api_key, "LIVEKIT_API_SECRET": sandbox.api_secret}
    async with IngressClient(sandbox.project()) as client:
        info = await create_ingress(client, ingress_pb.RTMP_INPUT, room)
        command = ["push", "test:", "--ingress", info.ingress_id, "--stamp-clock", "--duration", "40"]
        publishers.append(
            subprocess.Popen(
                [sys.executable, "-m", "ingress_studio", *command],
                env={**os.environ, **project},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
    return info.ingress_id


async def watch(sandbox: SandboxServer, ingress_id: str, *options: str) -> subprocess.CompletedProcess[str]:
    return await run_watch(sandbox.url, sandbox.api_key, sandbox.api_secret, ingress_id, *options)


async def test_watch_reports_the_latency_of_stamped_pictures(
    watched_sandbox: SandboxServer, publishers: list[subprocess.Popen[str]]
) -> None:
    ingress_id = await stamped_ingress(watched_sandbox, "latency-json", publishers)
    result = await watch(watched_sandbox, ingress_id, "--json", "--duration", "6")
    assert result.returncode == 0, result.stderr
    stats = [json.loads(line) for line in result.stdout.splitlines()]
    stamped = [line for line in stats if line["latency_ms"] is not None]
    assert stamped and stamped[-1] is stats[-1], stats  # the first second may come before the pictures do
    for line in stamped:
        # capture → engine → sandbox → room → the SDK's decoder, on one machine: well under a few seconds (a
        # new viewer's first pictures are the sandbox's cache since the last keyframe, up to 2 s old)
        assert 0 <= line["latency_ms"] < 5000, line
        assert 0 <= line["latency_p50_ms"] <= line["latency_p95_ms"] < 5000, line

    result = await watch(watched_sandbox, ingress_id, "--duration", "3")
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    assert re.search(r" · latency \d+ ms \(p95 \d+\)$", last), last
