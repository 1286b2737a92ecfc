"""An RTMP publisher for room tests: Debian's ffmpeg CLI sending a moving picture and a tone, and the ingress
it publishes to."""

from __future__ import annotations

import subprocess

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient

PATTERN_FPS = 30
TONE_HZ = 440


def ffmpeg_test_pattern(
    url: str, size: str = "640x360", seconds: int = 30, *, b_frames: int = 0, keyframe_every: int = 30
) -> subprocess.Popen[str]:
    """A moving test pattern (libx264, a keyframe every second unless asked otherwise) and a 440 Hz tone
    (AAC, about -18 dBFS). `b_frames`: as OBS's x264 sends by default (2), pictures out of order."""
    command = [
        "ffmpeg",
        "-hide_banner",
        "-loglevel",
        "error",
        "-re",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={size}:rate={PATTERN_FPS}",
    ]
    command += ["-f", "lavfi", "-i", f"sine=frequency={TONE_HZ}:sample_rate=48000", "-t", str(seconds)]
    command += ["-c:v", "libx264", "-preset", "veryfast", "-g", str(keyframe_every), "-bf", str(b_frames)]
    if not b_frames:
        command += ["-tune", "zerolatency"]  # which would turn B-frames off
    command += ["-c:a", "aac", "-b:a", "96k", "-f", "flv", url]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


async def create_ingress(
    client: IngressClient, input_type: int, room: str, identity: str = "streamer"
) -> ingress_pb.IngressInfo:
    request = ingress_pb.CreateIngressRequest(
        input_type=input_type,  # type: ignore[arg-type]
        name=identity,
        room_name=room,
        participant_identity=identity,
        participant_name=identity.title(),
    )
    return await client.create(request)
