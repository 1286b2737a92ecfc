"""A WebRTC publisher (aiortc) sending a moving picture and audio to a WHIP endpoint.

`MovingPicture` is its video track. Run as a program (`python -m support.whip_publisher URL KEY`) it
publishes from a process of its own, prints the answer's Location once media can flow, and keeps
sending until killed: a test kills it the way a browser tab or a laptop disappears, without a DELETE.
"""

from __future__ import annotations

import asyncio
import fractions
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import aioice.ice
import av
import numpy
from aiortc import AudioStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription, VideoStreamTrack


class MovingPicture(VideoStreamTrack):
    """A 480x270 picture that changes every frame, so a VP8 encoder has something to send."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        picture = numpy.full((270, 480, 3), self.count % 255, dtype=numpy.uint8)
        self.count += 1
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
        frame.pts, frame.time_base = pts, fractions.Fraction(time_base)
        return frame


def start_publisher(url: str, stream_key: str) -> tuple[subprocess.Popen[str], str]:
    """The publisher as a child process; returns it with the Location of its session."""
    tests = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen(
        [sys.executable, "-m", "support.whip_publisher", url, stream_key],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    location = child.stdout.readline().strip()
    if not location.startswith("/"):
        child.kill()
        raise RuntimeError(f"the WHIP publisher did not start: {location} {child.communicate(timeout=10)}")
    return child, location


async def _publish(url: str, stream_key: str) -> None:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    pc.addTransceiver(MovingPicture(), direction="sendonly")
    pc.addTransceiver(AudioStreamTrack(), direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    headers = {"Authorization": f"Bearer {stream_key}", "Content-Type": "application/sdp"}
    async with aiohttp.ClientSession() as http, http.post(url, data=pc.localDescription.sdp, headers=headers) as reply:
        if reply.status != 201:
            print(f"refused: {reply.status} {await reply.text()}", flush=True)
            return
        answer, location = await reply.text(), reply.headers["Location"]
    await pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    print(location, flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"] if use_ipv4 else []
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    asyncio.run(_publish(sys.argv[1], sys.argv[2]))
