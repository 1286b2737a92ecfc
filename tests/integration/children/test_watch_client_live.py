"""The watch client against the real `ingress-studio watcher` (the official rtc SDK in it) in a real sandbox's
room, with Debian's ffmpeg CLI publishing over RTMP: what a live ingress, one that goes live later, one that
stops and starts again, and a server that goes away look like to the window."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import av
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.api.viewer_token import viewer_token
from ingress_studio.children.exits import ChildExit, CleanExit
from ingress_studio.children.watch_client import WatchClient
from ingress_studio.children.watch_commands import QuitWatcher, StopWatching, WatchRoom
from ingress_studio.children.watch_events import (
    EndReason,
    RoomConnection,
    RoomState,
    WatchedParticipant,
    WatchEnded,
    WatchLevels,
    WatchPreview,
    WatchStats,
)
from support.child_events import next_of
from support.live_state import Status, status_is, wait_for
from support.rtmp_test_pattern import PATTERN_FPS, create_ingress, ffmpeg_test_pattern
from support.sandbox_process import SandboxServer

PREVIEW_WIDTH = 320
T = TypeVar("T")


def watch_room(sandbox: SandboxServer, room: str, preview: bool = True) -> WatchRoom:
    token = viewer_token(sandbox.api_key, sandbox.api_secret, room)
    return WatchRoom(sandbox.url, token, "streamer", preview=preview, preview_width=PREVIEW_WIDTH)


async def rtmp_ingress(sandbox: SandboxServer, room: str) -> ingress_pb.IngressInfo:
    async with IngressClient(sandbox.project()) as client:
        return await create_ingress(client, ingress_pb.RTMP_INPUT, room)


async def publish(sandbox: SandboxServer, info: ingress_pb.IngressInfo) -> subprocess.Popen[str]:
    """ffmpeg publishing the test pattern to the ingress, once the sandbox says PUBLISHING."""
    publisher = ffmpeg_test_pattern(f"{info.url}/{info.stream_key}")
    async with IngressClient(sandbox.project()) as client:
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
    return publisher


async def stop_publishing(
    sandbox: SandboxServer, info: ingress_pb.IngressInfo, publisher: subprocess.Popen[str]
) -> None:
    publisher.kill()
    publisher.wait()
    async with IngressClient(sandbox.project()) as client:
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE))


async def next_without_ending(
    watcher: WatchClient, kind: type[T], where: Callable[[T], bool] = lambda _event: True, timeout: float = 20
) -> T:
    """Like next_of, and the watcher must stay in the room meanwhile: no `ended`, no disconnected state."""

    def left(event: object) -> bool:
        return isinstance(event, WatchEnded) or (
            isinstance(event, RoomState) and event.state is RoomConnection.DISCONNECTED
        )

    wanted = next_of(watcher, object, lambda event: (isinstance(event, kind) and where(event)) or left(event), timeout)
    event = await wanted
    assert not left(event), f"the watcher left the room: {event}"
    assert isinstance(event, kind)
    return event


def streaming(stats: WatchStats) -> bool:
    """A stats second with the whole stream: pictures that keep coming and sound."""
    return (
        stats.present
        and stats.video is not None
        and stats.video.frames > 0
        and stats.since_last_frame_s is not None
        and stats.since_last_frame_s < 1
        and stats.audio is not None
    )


def decoded_size(jpeg: bytes) -> tuple[int, int]:
    codec = av.CodecContext.create("mjpeg", "r")
    [picture] = codec.decode(av.Packet(jpeg))
    return picture.width, picture.height


async def test_a_live_ingress_is_watched_stopped_watched_again_and_the_watcher_quits(
    watcher: WatchClient, watched_sandbox: SandboxServer, publishers: list[subprocess.Popen[str]]
) -> None:
    info = await rtmp_ingress(watched_sandbox, "child-live")
    publishers.append(await publish(watched_sandbox, info))
    await watcher.send(watch_room(watched_sandbox, "child-live"))
    assert await next_of(watcher, RoomState) == RoomState(RoomConnection.CONNECTING, "")
    assert await next_of(watcher, RoomState) == RoomState(RoomConnection.CONNECTED, "")

    participant = await next_of(watcher, WatchedParticipant, lambda p: all(t.subscribed for t in p.tracks))
    assert (participant.identity, participant.name, participant.present) == ("streamer", "Streamer", True)
    assert sorted((t.kind, t.mime_type.lower()) for t in participant.tracks) == [
        ("audio", "audio/opus"),
        ("video", "video/h264"),
    ]
    [video_track] = [t for t in participant.tracks if t.kind == "video"]
    assert (video_track.width, video_track.height) == (640, 360)

    preview = await next_of(watcher, WatchPreview)
    assert preview.width <= PREVIEW_WIDTH and abs(preview.width / preview.height - 640 / 360) < 0.02
    assert decoded_size(preview.jpeg) == (preview.width, preview.height)
    levels = await next_of(watcher, WatchLevels)
    assert len(levels.peak_db) == 2 and max(levels.peak_db) > -40  # the tone, in both channels of stereo
    stats = await next_of(watcher, WatchStats, streaming)
    assert stats.video is not None and (stats.video.width, stats.video.height) == (640, 360)
    assert stats.join_s is not None and stats.first_frame_s is not None

    await watcher.send(StopWatching())
    assert await next_of(watcher, RoomState) == RoomState(RoomConnection.DISCONNECTED, "")
    assert await next_of(watcher, WatchEnded) == WatchEnded(True, EndReason.STOPPED, "")

    # The same child joins again: a new watch counts from zero.
    await watcher.send(watch_room(watched_sandbox, "child-live", preview=False))
    assert await next_of(watcher, RoomState, lambda s: s.state is RoomConnection.CONNECTED)
    again = await next_of(watcher, WatchStats, streaming)
    assert again.video is not None and again.video.frames <= PATTERN_FPS * (again.elapsed + 1)
    assert again.first_frame_s is not None and again.first_frame_s <= again.elapsed

    await watcher.send(QuitWatcher())
    assert await next_of(watcher, WatchEnded) == WatchEnded(True, EndReason.STOPPED, "")
    assert isinstance(await next_of(watcher, ChildExit), CleanExit)


async def test_an_ingress_going_live_after_the_join_is_seen_arriving(
    watcher: WatchClient, watched_sandbox: SandboxServer, publishers: list[subprocess.Popen[str]]
) -> None:
    info = await rtmp_ingress(watched_sandbox, "child-later")  # the room exists: an ingress names it
    await watcher.send(watch_room(watched_sandbox, "child-later"))
    absent = await next_of(watcher, WatchedParticipant)
    assert absent == WatchedParticipant("streamer", "", False, ())
    waiting = await next_without_ending(watcher, WatchStats)
    assert not waiting.present and waiting.video is None and waiting.since_last_frame_s is None

    publishers.append(await publish(watched_sandbox, info))
    arrived = await next_without_ending(watcher, WatchedParticipant, lambda p: p.present)
    assert arrived.name == "Streamer"
    await next_without_ending(watcher, WatchPreview)
    stats = await next_without_ending(watcher, WatchStats, streaming)
    assert stats.first_frame_s is not None and stats.join_s is not None and stats.first_frame_s > stats.join_s


async def test_an_ingress_stopping_while_watched_leaves_the_watcher_waiting_in_the_room(
    watcher: WatchClient, watched_sandbox: SandboxServer, publishers: list[subprocess.Popen[str]]
) -> None:
    info = await rtmp_ingress(watched_sandbox, "child-restart")
    publisher = await publish(watched_sandbox, info)
    publishers.append(publisher)
    await watcher.send(watch_room(watched_sandbox, "child-restart", preview=False))
    before = await next_without_ending(watcher, WatchStats, streaming)

    await stop_publishing(watched_sandbox, info, publisher)
    gone = await next_without_ending(watcher, WatchedParticipant, lambda p: not p.present)
    assert gone.tracks == ()
    idle = await next_without_ending(watcher, WatchStats, lambda s: not s.present)
    assert idle.video is None and idle.audio is None

    publishers.append(await publish(watched_sandbox, info))
    await next_without_ending(watcher, WatchedParticipant, lambda p: p.present)
    assert before.video is not None
    frames_before = before.video.frames
    after = await next_without_ending(
        watcher, WatchStats, lambda s: streaming(s) and s.video is not None and s.video.frames > frames_before
    )
    assert after.video is not None and (after.video.width, after.video.height) == (640, 360)


async def test_a_server_that_goes_away_ends_the_watch_with_one_sentence(
    watcher: WatchClient, tmp_path: Path, publishers: list[subprocess.Popen[str]]
) -> None:
    sandbox = SandboxServer(tmp_path / "sandbox").start()
    try:
        info = await rtmp_ingress(sandbox, "child-gone")
        publishers.append(await publish(sandbox, info))
        await watcher.send(watch_room(sandbox, "child-gone", preview=False))
        await next_of(watcher, WatchStats, streaming)
    finally:
        assert sandbox.stop() == 0
    disconnected = await next_of(watcher, RoomState, lambda s: s.state is RoomConnection.DISCONNECTED)
    ended = await next_of(watcher, WatchEnded)
    assert (ended.ok, ended.reason) == (False, EndReason.DISCONNECTED), ended
    assert disconnected.message == ended.message
    assert ended.message == "The viewer left the room: the server shut down."  # the sandbox's leave says why
