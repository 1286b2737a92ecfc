"""Every RPC x every input type, over real HTTP, through the official livekit-api client and our facade."""

from __future__ import annotations

import re

import pytest
from livekit import api as lkapi
from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.api.client import IngressClient
from support.sandbox_process import SandboxServer

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ID_RE = re.compile(rf"^IN_[{ALPHABET}]{{12}}$")
KEY_RE = re.compile(rf"^[{ALPHABET}]{{12}}$")
Status = ingress_pb.IngressState.Status
INPUTS = [ingress_pb.IngressInput.RTMP_INPUT, ingress_pb.IngressInput.WHIP_INPUT, ingress_pb.IngressInput.URL_INPUT]


def create_request(input_type: int, room: str, name: str = "ingress") -> ingress_pb.CreateIngressRequest:
    request = ingress_pb.CreateIngressRequest(
        input_type=input_type,  # type: ignore[arg-type]
        name=name,
        room_name=room,
        participant_identity="streamer",
        participant_name="The Streamer",
        participant_metadata='{"role": "host"}',
    )
    if input_type == ingress_pb.IngressInput.URL_INPUT:
        request.url = "https://media.example/clip.mp4"
    return request


@pytest.mark.parametrize("input_type", INPUTS, ids=["rtmp", "whip", "url"])
async def test_official_client_round_trip(sandbox: SandboxServer, input_type: int) -> None:
    room = f"room-official-{input_type}"
    async with lkapi.LiveKitAPI(sandbox.url, sandbox.api_key, sandbox.api_secret, failover=False) as client:
        info = await client.ingress.create_ingress(create_request(input_type, room))
        assert ID_RE.match(info.ingress_id)
        assert info.input_type == input_type
        assert info.room_name == room and info.participant_identity == "streamer"
        assert info.participant_metadata == '{"role": "host"}'
        assert info.state.status == ingress_pb.IngressState.Status.ENDPOINT_INACTIVE
        if input_type == ingress_pb.IngressInput.RTMP_INPUT:
            assert KEY_RE.match(info.stream_key)
            assert info.url == sandbox.info["rtmp_base_url"] and re.match(r"^rtmp://127\.0\.0\.1:\d+/x$", info.url)
            assert info.reusable and info.enable_transcoding and not info.bypass_transcoding
        elif input_type == ingress_pb.IngressInput.WHIP_INPUT:
            assert KEY_RE.match(info.stream_key)
            assert info.url == sandbox.info["whip_base_url"] and re.match(r"^http://127\.0\.0\.1:\d+/w$", info.url)
            assert info.reusable and not info.enable_transcoding and info.bypass_transcoding
        else:
            assert info.stream_key == "" and info.url == "https://media.example/clip.mp4"
            assert not info.reusable and info.enable_transcoding

        listed = await client.ingress.list_ingress(ingress_pb.ListIngressRequest(room_name=room))
        assert [i.ingress_id for i in listed.items] == [info.ingress_id]
        assert not listed.HasField("next_page_token")

        if input_type != ingress_pb.IngressInput.URL_INPUT:
            updated = await client.ingress.update_ingress(
                ingress_pb.UpdateIngressRequest(ingress_id=info.ingress_id, name="renamed")
            )
            assert updated.name == "renamed" and updated.stream_key == info.stream_key

        deleted = await client.ingress.delete_ingress(ingress_pb.DeleteIngressRequest(ingress_id=info.ingress_id))
        assert deleted.ingress_id == info.ingress_id
        if input_type == ingress_pb.IngressInput.URL_INPUT:
            # A URL ingress starts pulling at once; media.example cannot be reached from here, so by now
            # its pull may have failed already.
            assert deleted.state.status in (Status.ENDPOINT_INACTIVE, Status.ENDPOINT_ERROR)
        else:
            assert deleted.state.status == Status.ENDPOINT_INACTIVE
        after = await client.ingress.list_ingress(ingress_pb.ListIngressRequest(room_name=room))
        assert list(after.items) == []


@pytest.mark.parametrize("input_type", INPUTS, ids=["rtmp", "whip", "url"])
async def test_facade_round_trip_with_options(sandbox: SandboxServer, input_type: int) -> None:
    room = f"room-facade-{input_type}"
    request = create_request(input_type, room, name="with options")
    request.audio.CopyFrom(
        ingress_pb.IngressAudioOptions(
            name="mic", source=models_pb.TrackSource.MICROPHONE, preset=ingress_pb.OPUS_MONO_64KBS
        )
    )
    request.video.CopyFrom(
        ingress_pb.IngressVideoOptions(
            name="cam",
            source=models_pb.TrackSource.CAMERA,
            options=ingress_pb.IngressVideoEncodingOptions(
                video_codec=models_pb.VideoCodec.H264_BASELINE,
                frame_rate=30,
                layers=[
                    models_pb.VideoLayer(quality=models_pb.VideoQuality.LOW, width=640, height=360, bitrate=500_000),
                    models_pb.VideoLayer(
                        quality=models_pb.VideoQuality.HIGH, width=1280, height=720, bitrate=2_000_000
                    ),
                ],
            ),
        )
    )
    if input_type == ingress_pb.IngressInput.WHIP_INPUT:
        request.enable_transcoding = True  # encoding options need transcoding on WHIP
    async with IngressClient(sandbox.project()) as client:
        info = await client.create(request)
        assert info.audio == request.audio and info.video == request.video
        [listed] = await client.list(ingress_id=info.ingress_id)
        listed.ClearField("state")  # a URL ingress's state moves on its own as soon as it is created
        info.ClearField("state")
        assert listed == info
        if input_type != ingress_pb.IngressInput.URL_INPUT:
            updated = await client.update(
                ingress_pb.UpdateIngressRequest(ingress_id=info.ingress_id, room_name="other-room", enabled=False)
            )
            assert updated.room_name == "other-room" and updated.HasField("enabled") and not updated.enabled
            assert [i.ingress_id for i in await client.list(room="other-room")] == [info.ingress_id]
        deleted = await client.delete(info.ingress_id)
        assert deleted.ingress_id == info.ingress_id


async def test_list_filters_by_room_and_id_ignores_room(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        a = await client.create(create_request(ingress_pb.IngressInput.RTMP_INPUT, "filter-a"))
        b = await client.create(create_request(ingress_pb.IngressInput.WHIP_INPUT, "filter-b"))
        assert [i.ingress_id for i in await client.list(room="filter-a")] == [a.ingress_id]
        everything = {i.ingress_id for i in await client.list()}
        assert {a.ingress_id, b.ingress_id} <= everything
        # with an id the room is ignored, like the real server
        assert [i.ingress_id for i in await client.list(room="filter-a", ingress_id=b.ingress_id)] == [b.ingress_id]
