"""`ingress-studio watch` against a live ingress: the real sandbox, Debian's ffmpeg CLI publishing over RTMP,
and the official rtc SDK in the watch command. What a user reads once a second, as JSON and as a line."""

from __future__ import annotations

import json
import re
import subprocess

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support.live_state import Status, status_is, wait_for
from support.rtmp_test_pattern import PATTERN_FPS, create_ingress, ffmpeg_test_pattern
from support.run_program import watch as run_watch
from support.sandbox_process import SandboxServer

SILENCE_DB = -90.0


async def live_ingress(sandbox: SandboxServer, room: str, publishers: list[subprocess.Popen[str]]) -> str:
    """An RTMP ingress of `room` that ffmpeg publishes to (640x360, 30 fps, a tone), once PUBLISHING."""
    async with IngressClient(sandbox.project()) as client:
        info = await create_ingress(client, ingress_pb.RTMP_INPUT, room)
        publishers.append(ffmpeg_test_pattern(f"{info.url}/{info.stream_key}"))
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
    return info.ingress_id


async def watch(sandbox: SandboxServer, ingress_id: str, *options: str) -> subprocess.CompletedProcess[str]:
    return await run_watch(sandbox.url, sandbox.api_key, sandbox.api_secret, ingress_id, *options)


async def test_json_lines_say_what_the_room_receives_then_exit_0(
    watched_sandbox: SandboxServer, publishers: list[subprocess.Popen[str]]
) -> None:
    ingress_id = await live_ingress(watched_sandbox, "cli-json", publishers)
    result = await watch(watched_sandbox, ingress_id, "--json", "--duration", "6")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert 5 <= len(lines) <= 7 and {line["event"] for line in lines} == {"stats"}
    elapsed = [line["elapsed"] for line in lines]
    assert elapsed == sorted(elapsed)
    # The first second or two may come before the tracks do; the rest must show the whole stream.
    for stats in lines[2:]:
        assert stats["present"] is True, stats
        video, audio = stats["video"], stats["audio"]
        assert (video["width"], video["height"]) == (640, 360), stats
        assert video["fps"] > PATTERN_FPS / 2, stats  # a sanity bound, not a measurement
        assert video["frames"] > 0
        assert video["bitrate"] is None or video["bitrate"] > 0, stats
        assert max(audio["peak_db"]) > -40 and max(audio["rms_db"]) > SILENCE_DB, stats  # the tone
        assert (audio["sample_rate"], audio["channels"]) == (48000, 2)
        assert stats["since_last_frame_s"] is not None and stats["since_last_frame_s"] < 1, stats
        assert stats["join_s"] is not None and stats["join_s"] > 0
        assert stats["first_frame_s"] is not None and stats["first_frame_s"] >= stats["join_s"]
        assert stats["latency_ms"] is None and stats["latency_p95_ms"] is None  # ffmpeg draws no clock stamp
    frames = [line["video"]["frames"] for line in lines[2:]]
    assert frames == sorted(frames) and frames[-1] > frames[0]


async def test_the_plain_line_is_the_room_views_words(
    watched_sandbox: SandboxServer, publishers: list[subprocess.Popen[str]]
) -> None:
    ingress_id = await live_ingress(watched_sandbox, "cli-line", publishers)
    result = await watch(watched_sandbox, ingress_id, "--duration", "4")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert 3 <= len(lines) <= 5, lines
    # kbps only when the SDK's stats count bytes (not in a track's first second; not always in livekit 1.2.0)
    line = re.compile(
        r"video 640x360 (\d+\.\d) fps( \d+ kbps)? · audio peak (-?\d+\.\d) dB · last frame (\d\.\d\d) s ago"
    )
    last = line.fullmatch(lines[-1])
    assert last is not None, lines
    assert float(last.group(1)) > PATTERN_FPS / 2 and float(last.group(3)) > -40 and float(last.group(4)) < 1
    assert "Traceback" not in result.stderr
