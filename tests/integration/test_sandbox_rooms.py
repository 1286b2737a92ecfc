"""The sandbox's rooms, watched by the official `livekit.rtc.Room` (in a child process) as a hidden
subscriber: what an ingress receives over RTMP (Debian's ffmpeg CLI) and WHIP (`ingress-studio push`)
arrives as decoded video of the published size and audio; several viewers; an ingress stopping and
starting while watched."""

from __future__ import annotations

import subprocess

from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.api.client import IngressClient
from support.live_state import Status, push_test_pattern, status_is, wait_for
from support.room_viewers import RoomViewer, start_viewer, viewer_token
from support.rtmp_test_pattern import create_ingress, ffmpeg_test_pattern
from support.sandbox_process import SandboxServer

ROOM = "stage"


async def create(client: IngressClient, input_type: int, identity: str = "streamer") -> ingress_pb.IngressInfo:
    return await create_ingress(client, input_type, ROOM, identity)


def joined_with_ingress(viewer: RoomViewer, identity: str) -> dict[str, object]:
    """The joined event's participant of this identity (the viewer may also learn of it just after joining)."""
    joined = viewer.event("joined")
    for participant in joined["participants"]:
        if participant["identity"] == identity:
            return dict(participant)
    raise AssertionError(f"{identity} not in the room at join: {joined}")


async def test_an_rtmp_ingress_is_watched_by_two_viewers(
    fresh_sandbox: SandboxServer, viewers: list[RoomViewer], publishers: list[subprocess.Popen[str]]
) -> None:
    async with IngressClient(fresh_sandbox.project()) as client:
        info = await create(client, ingress_pb.RTMP_INPUT)
        publishers.append(ffmpeg_test_pattern(f"{info.url}/{info.stream_key}"))
        live = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))

        first = start_viewer(fresh_sandbox, viewer_token(fresh_sandbox, ROOM, "first"))
        viewers.append(first)
        ingress = joined_with_ingress(first, "streamer")
        assert ingress["kind"] == models_pb.ParticipantInfo.Kind.INGRESS
        assert ingress["name"] == "Streamer"
        # The very track sids the ingress reports in IngressState.tracks.
        reported = {("video" if t.type == models_pb.TrackType.VIDEO else "audio", t.sid) for t in live.state.tracks}
        assert {(t["kind"], t["sid"]) for t in ingress["tracks"]} == reported  # type: ignore[attr-defined]

        picture = first.event("video")
        assert (picture["width"], picture["height"]) == (640, 360)
        sound = first.next(lambda e: e["event"] == "audio" and e["frames"] >= 50, what="a second of audio")
        assert sound["sample_rate"] == 48000
        assert sound["peak"] > 1000  # the tone, not silence

        second = start_viewer(fresh_sandbox, viewer_token(fresh_sandbox, ROOM, "second"))
        viewers.append(second)
        second.event("joined")
        assert (second.event("video")["width"], second.event("audio")["sample_rate"]) == (640, 48000)
        # The first goes on receiving while the second watches.
        frames_then = first.event("video")["frames"]
        assert first.next(lambda e: e["event"] == "video" and e["frames"] >= frames_then + 30, what="more video")


async def test_a_whip_push_is_watched(fresh_sandbox: SandboxServer, viewers: list[RoomViewer]) -> None:
    async with IngressClient(fresh_sandbox.project()) as client:
        info = await create(client, ingress_pb.WHIP_INPUT)
        pushing = push_test_pattern(fresh_sandbox, info.ingress_id, seconds=12)
        await wait_for(client, info.ingress_id, lambda i: i.state.status == Status.ENDPOINT_PUBLISHING)
        viewer = start_viewer(fresh_sandbox, viewer_token(fresh_sandbox, ROOM))
        viewers.append(viewer)
        assert joined_with_ingress(viewer, "streamer")["kind"] == models_pb.ParticipantInfo.Kind.INGRESS
        picture = viewer.next(lambda e: e["event"] == "video" and e["frames"] >= 10, what="video")
        assert (picture["width"], picture["height"]) == (1280, 720)
        assert viewer.next(lambda e: e["event"] == "audio" and e["frames"] >= 50, what="audio")["sample_rate"] == 48000
        pushing.cancel()


async def test_an_ingress_stopping_and_starting_while_watched(
    fresh_sandbox: SandboxServer, viewers: list[RoomViewer], publishers: list[subprocess.Popen[str]]
) -> None:
    async with IngressClient(fresh_sandbox.project()) as client:
        info = await create(client, ingress_pb.RTMP_INPUT)
        viewer = start_viewer(fresh_sandbox, viewer_token(fresh_sandbox, ROOM), seconds=60)
        viewers.append(viewer)
        assert viewer.event("joined")["participants"] == []  # the room exists (an ingress names it), empty

        for round_number in range(2):
            publisher = ffmpeg_test_pattern(f"{info.url}/{info.stream_key}", size="320x240")
            publishers.append(publisher)
            viewer.event("participant", identity="streamer", present=True, timeout=30)
            subscribed = viewer.event("subscribed", kind="video")
            picture = viewer.event("video", track=subscribed["track"])
            assert (picture["width"], picture["height"]) == (320, 240), round_number
            viewer.event("audio")

            publisher.kill()
            publisher.wait()
            await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE))
            viewer.event("participant", identity="streamer", present=False)


async def test_two_ingresses_in_one_room_are_both_watched(
    fresh_sandbox: SandboxServer, viewers: list[RoomViewer], publishers: list[subprocess.Popen[str]]
) -> None:
    async with IngressClient(fresh_sandbox.project()) as client:
        camera = await create(client, ingress_pb.RTMP_INPUT, "camera")
        slides = await create(client, ingress_pb.RTMP_INPUT, "slides")
        publishers.append(ffmpeg_test_pattern(f"{camera.url}/{camera.stream_key}", size="640x360"))
        publishers.append(ffmpeg_test_pattern(f"{slides.url}/{slides.stream_key}", size="320x240"))
        for info in (camera, slides):
            await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        viewer = start_viewer(fresh_sandbox, viewer_token(fresh_sandbox, ROOM))
        viewers.append(viewer)
        joined = viewer.event("joined")
        assert {participant["identity"] for participant in joined["participants"]} == {"camera", "slides"}
        sizes: set[tuple[int, int]] = set()
        while len(sizes) < 2:
            picture = viewer.event("video")
            sizes.add((picture["width"], picture["height"]))
        assert sizes == {(640, 360), (320, 240)}  # each participant's own picture, on one connection
        subscribed = {event["identity"] for event in viewer.seen if event["event"] == "subscribed"}
        assert subscribed == {"camera", "slides"}


async def test_b_frames_as_obs_sends_them_reach_the_room_at_full_rate(
    fresh_sandbox: SandboxServer, viewers: list[RoomViewer], publishers: list[subprocess.Popen[str]]
) -> None:
    """WebRTC has no B-frames: forwarded as they are, a viewer sees a picture per keyframe (here 8 s apart)."""
    async with IngressClient(fresh_sandbox.project()) as client:
        info = await create_ingress(client, ingress_pb.RTMP_INPUT, ROOM)
        url = f"{info.url}/{info.stream_key}"
        publishers.append(ffmpeg_test_pattern(url, b_frames=2, keyframe_every=250))
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        viewer = start_viewer(fresh_sandbox, viewer_token(fresh_sandbox, ROOM))
        viewers.append(viewer)
        first = viewer.event("video", timeout=10)
        assert (first["width"], first["height"]) == (640, 360)
        # 60 pictures within the next few seconds: the stream flows, not one picture per keyframe interval
        later = viewer.next(lambda e: e["event"] == "video" and e["frames"] >= 60, timeout=6, what="60 pictures")
        assert later["t"] - first["t"] < 6
        second = start_viewer(fresh_sandbox, viewer_token(fresh_sandbox, ROOM, "second"))
        viewers.append(second)  # starts from the re-encoder's cached pictures, on one encode for both
        assert second.next(lambda e: e["event"] == "video" and e["frames"] >= 30, timeout=8, what="30 pictures")
