"""Run inside a network namespace with loopback alone (`unshare -n`): start a sandbox, make its room
exist, let the rtc SDK try to join, and print one JSON line with what the SDK said."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.room_viewers import start_viewer, viewer_token
from support.sandbox_process import SandboxServer


async def make_room(server: SandboxServer) -> None:
    async with IngressClient(server.project()) as client:
        request = ingress_pb.CreateIngressRequest(
            input_type=ingress_pb.RTMP_INPUT, name="x", room_name="stage", participant_identity="streamer"
        )
        await client.create(request)


def main() -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    with tempfile.TemporaryDirectory() as folder:
        server = SandboxServer(Path(folder)).start()
        try:
            asyncio.run(make_room(server))
            viewer = start_viewer(server, viewer_token(server, "stage"))
            answer = viewer.next(lambda e: e["event"] in ("refused", "joined"), timeout=40, what="the join's end")
            viewer.stop()
        finally:
            server.stop()
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
