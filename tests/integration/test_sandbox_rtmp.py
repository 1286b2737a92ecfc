"""The sandbox's RTMP endpoint: real publishers (Debian's ffmpeg CLI, `ingress-studio push`, PyAV's
flv muxer) publish to it, and ListIngress, read through the official client, reports what arrived."""

from __future__ import annotations

import asyncio
import contextlib
import io
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import av
import pytest
from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.sandbox.rtmp_chunks import MAX_MESSAGE_SIZE, VIDEO
from support.live_state import (
    Status,
    assert_received_what_was_pushed,
    ffmpeg_publish,
    push_test_pattern,
    status_is,
    stream_bitrates,
    wait_for,
)
from support.media_files import make_media
from support.raw_http import closed_by_peer
from support.rtmp_raw import close, connect, memory_kib, message_header, set_chunk_size
from support.sandbox_process import SandboxServer
from support.twirp_raw import token

LIVE = (Status.ENDPOINT_BUFFERING, Status.ENDPOINT_PUBLISHING)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6 s of 960x540 at 30 fps, H.264 + AAC 48 kHz stereo."""
    return make_media(tmp_path_factory.mktemp("media") / "clip.mp4", 6.0, size=(960, 540), fps=30)


@pytest.fixture
def stopped_publishers() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(10)


async def create(
    client: IngressClient, input_type: int = ingress_pb.RTMP_INPUT, **fields: object
) -> ingress_pb.IngressInfo:
    request = ingress_pb.CreateIngressRequest(
        input_type=input_type,  # type: ignore[arg-type]
        name="cam",
        participant_identity="streamer",
        **{"room_name": "media", **fields},  # type: ignore[arg-type]
    )
    return await client.create(request)


def publishing_with_frame_rate(info: ingress_pb.IngressInfo) -> bool:
    return info.state.status == Status.ENDPOINT_PUBLISHING and info.state.video.framerate > 0


def publish_url(info: ingress_pb.IngressInfo) -> str:
    return f"{info.url}/{info.stream_key}"


async def test_ffmpeg_cli_publish_is_measured_then_inactive(
    sandbox: SandboxServer, clip: Path, stopped_publishers: list[subprocess.Popen[str]]
) -> None:
    sent = stream_bitrates(clip)
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        publisher = ffmpeg_publish(clip, publish_url(info))
        stopped_publishers.append(publisher)
        live = await wait_for(client, info.ingress_id, publishing_with_frame_rate)
        state = live.state
        assert state.resource_id.startswith("RT_") and len(state.resource_id) == 15
        assert state.started_at > 0 and state.ended_at == 0 and state.room_id.startswith("RM_")
        assert (state.video.mime_type, state.video.width, state.video.height) == ("video/H264", 960, 540)
        assert state.video.framerate == pytest.approx(30, abs=0.5)
        assert (state.audio.mime_type, state.audio.channels, state.audio.sample_rate) == ("audio/aac", 2, 48000)
        assert [(t.type, t.mime_type, t.width, t.height) for t in state.tracks] == [
            (models_pb.TrackType.VIDEO, "video/H264", 960, 540),  # fits the default 720p preset as it is
            (models_pb.TrackType.AUDIO, "audio/opus", 0, 0),  # the room gets Opus
        ]
        first_update = state.updated_at
        await asyncio.sleep(1.5)
        [later] = await client.list(ingress_id=info.ingress_id)
        assert later.state.updated_at > first_update  # refreshed while live

        assert publisher.wait(30) == 0, publisher.stderr.read() if publisher.stderr else ""
        ended = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE))
        assert ended.state.ended_at >= ended.state.started_at > 0
        assert ended.state.resource_id == state.resource_id
        # average_bitrate = bytes received * 8 / seconds since the first packet: within 10 % of the file's
        assert ended.state.video.average_bitrate == pytest.approx(sent["video"], rel=0.10)
        assert ended.state.audio.average_bitrate == pytest.approx(sent["audio"], rel=0.10)


async def test_ingress_studio_push_is_measured(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        pushing = push_test_pattern(sandbox, info.ingress_id, seconds=7)
        live = await wait_for(client, info.ingress_id, publishing_with_frame_rate)
        assert (live.state.video.width, live.state.video.height) == (1280, 720)
        assert live.state.video.framerate == pytest.approx(30, abs=0.5)
        assert (live.state.audio.mime_type, live.state.audio.channels, live.state.audio.sample_rate) == (
            "audio/aac",
            2,
            48000,
        )
        result = await pushing
        assert result.returncode == 0, result.stderr
        ended = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE))
    assert_received_what_was_pushed(result, ended)


async def test_wrong_key_disabled_and_wrong_type_are_refused(sandbox: SandboxServer, clip: Path) -> None:
    async with IngressClient(sandbox.project()) as client:
        disabled = await create(client, enabled=False)
        whip = await create(client, ingress_pb.WHIP_INPUT)
        roomless = await create(client, room_name="")  # accepted at create; the service checks at publish
        base = disabled.url
        cases = {
            "unknown": (f"{base}/NoSuchKey123", "ingress does not exist"),
            "disabled": (publish_url(disabled), "session is disabled"),
            "wrong type": (f"{base}/{whip.stream_key}", "invalid ingress type"),
            "empty key": (f"{base}/", "missing stream key"),
            "no room": (publish_url(roomless), "invalid ingress: no room name"),
        }
        for name, (url, reason) in cases.items():
            result = subprocess.run(
                ["ffmpeg", "-hide_banner", "-re", "-i", str(clip), "-c", "copy", "-f", "flv", url],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert result.returncode != 0, name
            assert reason in result.stderr, (name, result.stderr[-500:])
        # Like the ingress service, a refused publish leaves an ERROR with the reason on the ingress it named.
        [after] = await client.list(ingress_id=disabled.ingress_id)
        assert (after.state.status, after.state.error) == (Status.ENDPOINT_ERROR, "session is disabled")
        [after] = await client.list(ingress_id=whip.ingress_id)
        assert (after.state.status, after.state.error) == (Status.ENDPOINT_ERROR, "invalid ingress type")
        [after] = await client.list(ingress_id=roomless.ingress_id)
        assert (after.state.status, after.state.error) == (Status.ENDPOINT_ERROR, "invalid ingress: no room name")


async def test_two_publishers_on_two_keys_and_a_second_on_a_live_key(
    sandbox: SandboxServer, clip: Path, stopped_publishers: list[subprocess.Popen[str]]
) -> None:
    async with IngressClient(sandbox.project()) as client:
        first, second = await create(client), await create(client)
        for info in (first, second):
            stopped_publishers.append(ffmpeg_publish(clip, publish_url(info), loop=True))
        for info in (first, second):
            await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        intruder = subprocess.run(
            ["ffmpeg", "-hide_banner", "-re", "-i", str(clip), "-c", "copy", "-f", "flv", publish_url(first)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert intruder.returncode != 0
        assert "already has a live session" in intruder.stderr
        [still] = await client.list(ingress_id=first.ingress_id)
        assert still.state.status == Status.ENDPOINT_PUBLISHING  # the first stream was not disturbed


@pytest.mark.parametrize("change", ["update", "delete"])
async def test_update_or_delete_during_a_publish_ends_it(
    sandbox: SandboxServer, clip: Path, stopped_publishers: list[subprocess.Popen[str]], change: str
) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        publisher = ffmpeg_publish(clip, publish_url(info), loop=True)
        stopped_publishers.append(publisher)
        live = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        if change == "update":
            updated = await client.update(ingress_pb.UpdateIngressRequest(ingress_id=info.ingress_id, name="renamed"))
            assert updated.state.status == Status.ENDPOINT_INACTIVE and updated.state.ended_at > 0
        else:
            deleted = await client.delete(info.ingress_id)
            assert deleted.state.status == Status.ENDPOINT_INACTIVE
        assert await asyncio.to_thread(publisher.wait, 15) != 0  # the publisher's connection was closed
        if change == "update":
            [after] = await client.list(ingress_id=info.ingress_id)
            assert after.state.status == Status.ENDPOINT_INACTIVE
            assert after.state.resource_id == live.state.resource_id
            # The publisher may reconnect, as OBS would: a new session starts on the same key.
            again = ffmpeg_publish(clip, publish_url(info))
            stopped_publishers.append(again)
            restarted = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
            assert restarted.state.resource_id != live.state.resource_id


async def test_preview_of_what_arrived(
    sandbox: SandboxServer, clip: Path, stopped_publishers: list[subprocess.Popen[str]]
) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        base = f"{sandbox.url}/sandbox/ingress/{info.ingress_id}"
        headers = {"Authorization": f"Bearer {token()}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            async with http.get(f"{base}/preview.jpg") as response:
                assert response.status == 404
                assert "no live session" in await response.text()
            stopped_publishers.append(ffmpeg_publish(clip, publish_url(info), loop=True))
            await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
            async with http.get(f"{base}/preview.jpg") as response:
                assert response.status == 200 and response.content_type == "image/jpeg"
                jpeg = await response.read()
            picture = av.open(io.BytesIO(jpeg), format="image2pipe")
            frame = next(picture.decode(video=0))
            assert (frame.width, frame.height) == (640, 360)  # 960x540 scaled to the preview width
            # While watched, every picture is decoded: the MJPEG stream brings new ones several times a second.
            pictures = 0
            started = time.monotonic()
            async with http.get(f"{base}/preview.mjpeg") as response:
                assert response.content_type == "multipart/x-mixed-replace"
                async for line in response.content:
                    if line.startswith(b"Content-Type: image/jpeg"):
                        pictures += 1
                    if time.monotonic() - started > 2.0:
                        break
            assert pictures >= 8
            async with http.get(f"{base}/levels") as response:
                levels = await response.json()
            assert levels["status"] == "publishing" and len(levels["peak_db"]) == 2
            assert -40 < levels["peak_db"][0] <= 0  # the clip's tone, not silence
            assert levels["latency_ms"] is None and levels["latency_p95_ms"] is None  # no clock stamp in the clip
        async with aiohttp.ClientSession() as anonymous, anonymous.get(f"{base}/levels") as response:
            assert response.status == 401


async def test_no_media_for_the_timeout_ends_the_session(tmp_path: Path) -> None:
    server = SandboxServer(tmp_path / "sandbox", extra_args=["--no-media-timeout", "2"]).start()
    try:
        async with IngressClient(server.project()) as client:
            info = await create(client)
            # PyAV's flv muxer publishes one second of pictures, then holds the connection open silently.
            output = av.open(publish_url(info), "w", format="flv")
            stream = output.add_stream("libx264", rate=30, options={"preset": "ultrafast", "tune": "zerolatency"})
            stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
            for index in range(30):
                frame = av.VideoFrame(320, 240, "yuv420p")
                frame.pts = index
                output.mux(stream.encode(frame))
            started = await wait_for(client, info.ingress_id, status_is(*LIVE))
            ended = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_ERROR), timeout=15)
            assert ended.state.error == "source encoder not ready"  # the real watchdog's words
            assert ended.state.resource_id == started.state.resource_id
            with contextlib.suppress(av.FFmpegError, OSError):
                output.close()
    finally:
        server.stop()


async def test_a_session_cut_by_a_sandbox_crash_is_ended_on_restart(
    tmp_path: Path, clip: Path, stopped_publishers: list[subprocess.Popen[str]]
) -> None:
    server = SandboxServer(tmp_path / "sandbox").start()
    async with IngressClient(server.project()) as client:
        info = await create(client)
        stopped_publishers.append(ffmpeg_publish(clip, publish_url(info), loop=True))
        live = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
    assert server.process is not None
    server.process.kill()  # no chance to write the end of the session
    server.process.wait(10)
    again = SandboxServer(tmp_path / "sandbox").start()
    try:
        async with IngressClient(again.project()) as client:
            [after] = await client.list(ingress_id=info.ingress_id)
        assert after.state.status == Status.ENDPOINT_INACTIVE  # reusable: ready for the next publish
        assert after.state.resource_id == live.state.resource_id and after.state.ended_at > live.state.started_at
    finally:
        again.stop()


async def test_a_stream_with_b_frames_is_measured_from_its_first_keyframe(
    sandbox: SandboxServer, tmp_path: Path, stopped_publishers: list[subprocess.Popen[str]]
) -> None:
    # ffmpeg's default x264 output: B-frames, and here a keyframe only every 5 s. A decoder that waited
    # for the next keyframe to release the first would leave the ingress BUFFERING for 5 s.
    clip = make_media(tmp_path / "bframes.mp4", 8.0, size=(640, 360), fps=30, bframes=2, gop=150)
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        stopped_publishers.append(ffmpeg_publish(clip, publish_url(info)))
        live = await wait_for(client, info.ingress_id, lambda i: i.state.video.width > 0, timeout=3.5)
    assert live.state.status == Status.ENDPOINT_PUBLISHING
    assert (live.state.video.width, live.state.video.height) == (640, 360)


async def test_a_stalled_publisher_stops_showing_a_frame_rate(
    sandbox: SandboxServer, clip: Path, stopped_publishers: list[subprocess.Popen[str]]
) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        publisher = ffmpeg_publish(clip, publish_url(info), loop=True)
        stopped_publishers.append(publisher)
        await wait_for(client, info.ingress_id, publishing_with_frame_rate)
        publisher.send_signal(signal.SIGSTOP)  # frozen: its connection stays open, nothing arrives
        try:
            stalled = await wait_for(client, info.ingress_id, lambda i: i.state.video.framerate == 0, timeout=10)
        finally:
            publisher.send_signal(signal.SIGCONT)
    assert stalled.state.status == Status.ENDPOINT_PUBLISHING  # still connected: the no-media watchdog decides
    assert stalled.state.video.width == 960  # what arrived is still reported


def rtmp_port(server: SandboxServer) -> int:
    return int(server.info["rtmp_base_url"].rsplit(":", 1)[1].split("/")[0])


# Five raise the chunk size to the largest message the sandbox takes, five far past any message (the
# sandbox used to buffer each whole chunk before looking at its size); then each announces 16 MB.
OVERSIZED_OPENINGS = [set_chunk_size(MAX_MESSAGE_SIZE) + message_header(0xFFFFFF, VIDEO)] * 5 + [
    set_chunk_size(0x7FFFFFFF) + message_header(0xFFFFFF, VIDEO)
] * 5


async def send_oversized(port: int, opening: bytes, body_bytes: int) -> None:
    _, writer = await connect(port)
    block = bytes(65536)
    try:
        writer.write(opening)
        for _ in range(body_bytes // len(block)):
            writer.write(block)
            await writer.drain()
    except ConnectionError:
        pass  # the sandbox hung up: what should happen
    finally:
        await close(writer)


async def test_oversized_chunks_are_refused_at_their_header_and_cost_no_memory(fresh_sandbox: SandboxServer) -> None:
    port = rtmp_port(fresh_sandbox)
    assert fresh_sandbox.process is not None
    before = memory_kib(fresh_sandbox.process.pid)
    await asyncio.gather(*(send_oversized(port, opening, 16 << 20) for opening in OVERSIZED_OPENINGS))
    await asyncio.sleep(0.5)
    after = memory_kib(fresh_sandbox.process.pid)
    grown_mib = {name: (after[name] - before[name]) / 1024 for name in after}
    assert grown_mib["VmHWM"] < 30 and grown_mib["VmRSS"] < 30, (before, after)
    # Refused at the header: the connection closes before one byte of the body was sent.
    connections = [await connect(port) for _ in OVERSIZED_OPENINGS]
    for (_, writer), opening in zip(connections, OVERSIZED_OPENINGS, strict=True):
        writer.write(opening)
    closed = await asyncio.gather(*(closed_by_peer(reader, 5) for reader, _ in connections))
    for _, writer in connections:
        await close(writer)
    assert all(closed), closed
