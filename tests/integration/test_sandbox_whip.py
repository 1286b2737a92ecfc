"""The sandbox's WHIP endpoint: `ingress-studio push` (PyAV's whip muxer) and an aiortc publisher send
to it; ListIngress reports what arrived; refusals carry the ingress service's codes and words."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.rtcrtpsender import RTCRtpSender
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from support import whip_peer  # noqa: F401  (keeps aiortc's candidates on loopback in this process)
from support.live_state import Status, assert_received_what_was_pushed, push_test_pattern, status_is, wait_for
from support.sandbox_process import SandboxServer
from support.whip_publisher import MovingPicture, start_publisher


async def create(client: IngressClient, **fields: object) -> ingress_pb.IngressInfo:
    request = ingress_pb.CreateIngressRequest(
        input_type=ingress_pb.WHIP_INPUT,
        name="whip",
        participant_identity="streamer",
        **{"room_name": "media", **fields},  # type: ignore[arg-type]
    )
    return await client.create(request)


async def offer_sdp(pc: RTCPeerConnection) -> str:
    await pc.setLocalDescription(await pc.createOffer())
    return str(pc.localDescription.sdp)


@pytest.fixture
async def publisher() -> AsyncIterator[RTCPeerConnection]:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    yield pc
    await pc.close()


async def test_push_over_whip_is_measured_then_inactive(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        pushing = push_test_pattern(sandbox, info.ingress_id, seconds=7)
        live = await wait_for(
            client,
            info.ingress_id,
            lambda i: i.state.status == Status.ENDPOINT_PUBLISHING and i.state.video.framerate > 0,
        )
        state = live.state
        assert state.resource_id.startswith("WH_")
        assert (state.video.mime_type, state.video.width, state.video.height) == ("video/H264", 1280, 720)
        assert state.video.framerate == pytest.approx(30, abs=1)
        assert (state.audio.mime_type, state.audio.channels, state.audio.sample_rate) == ("audio/opus", 2, 48000)
        # Without transcoding the room gets what was sent.
        assert [t.mime_type for t in state.tracks] == ["video/H264", "audio/opus"]
        result = await pushing
        assert result.returncode == 0, result.stderr
        ended = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE))  # the push's DELETE
    assert ended.state.ended_at > ended.state.started_at
    assert_received_what_was_pushed(result, ended)


async def test_vp8_from_a_webrtc_publisher(sandbox: SandboxServer, publisher: RTCPeerConnection) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        transceiver = publisher.addTransceiver(MovingPicture(), direction="sendonly")
        vp8 = [c for c in RTCRtpSender.getCapabilities("video").codecs if c.mimeType == "video/VP8"]
        transceiver.setCodecPreferences(vp8)
        async with aiohttp.ClientSession() as http:
            headers = {"Authorization": info.stream_key, "Content-Type": "application/sdp"}  # "Bearer " is optional
            async with http.post(info.url, data=await offer_sdp(publisher), headers=headers) as response:
                assert response.status == 201, await response.text()
                assert response.headers["Content-Type"] == "application/sdp"
                location = response.headers["Location"]
                assert location.startswith(f"/w/{info.stream_key}/WH_")
                assert len(response.headers["ETag"]) == 8
                answer = await response.text()
            await publisher.setRemoteDescription(RTCSessionDescription(answer, "answer"))
            live = await wait_for(client, info.ingress_id, lambda i: i.state.video.width > 0)
            assert (live.state.video.mime_type, live.state.video.width, live.state.video.height) == (
                "video/VP8",
                480,
                270,
            )
            assert live.state.status == Status.ENDPOINT_PUBLISHING
            origin = info.url.removesuffix("/w")
            async with http.delete(origin + location) as response:
                assert response.status == 200
            ended = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE))
            assert ended.state.ended_at > 0
            async with http.delete(origin + location) as response:
                assert (response.status, await response.text()) == (404, "ingress not found")


async def test_refusals_have_the_services_codes_and_words(sandbox: SandboxServer, publisher: RTCPeerConnection) -> None:
    publisher.addTransceiver("video", direction="sendonly")
    publisher.addTransceiver("audio", direction="sendonly")
    offer = await offer_sdp(publisher)
    async with IngressClient(sandbox.project()) as client:
        disabled = await create(client, enabled=False)
        rtmp_request = ingress_pb.CreateIngressRequest(input_type=ingress_pb.RTMP_INPUT, room_name="m")
        rtmp_request.participant_identity = "r"
        rtmp = await client.create(rtmp_request)
        roomless = await create(client, room_name="")
        base = disabled.url
        async with aiohttp.ClientSession(headers={"Content-Type": "application/sdp"}) as http:
            cases = [
                (f"{base}/NoSuchKey123", {}, 404, "ingress does not exist"),
                (base, {"Authorization": f"Bearer {disabled.stream_key}"}, 403, "session is disabled"),
                (f"{base}/{rtmp.stream_key}", {}, 400, "invalid ingress type"),
                (f"{base}/{roomless.stream_key}", {}, 400, "invalid ingress: no room name"),
            ]
            for url, headers, status, text in cases:
                async with http.post(url, data=offer, headers=headers) as response:
                    assert (response.status, await response.text()) == (status, text)
            # A browser asks first (CORS preflight), then must be allowed to read Location.
            async with http.options(f"{base}/{disabled.stream_key}") as response:
                assert response.status == 204
                assert response.headers["Access-Control-Allow-Origin"] == "*"
                assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
        [after] = await client.list(ingress_id=disabled.ingress_id)
        assert (after.state.status, after.state.error) == (Status.ENDPOINT_ERROR, "session is disabled")


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        ("two video tracks", "more than 1 track with given media kind"),
        ("PCMU audio", "unsupported format for the source media"),
    ],
)
async def test_offers_the_service_cannot_take_are_406(
    sandbox: SandboxServer, publisher: RTCPeerConnection, shape: str, text: str
) -> None:
    if shape == "two video tracks":
        publisher.addTransceiver("video", direction="sendonly")
        publisher.addTransceiver("video", direction="sendonly")
    else:
        transceiver = publisher.addTransceiver("audio", direction="sendonly")
        transceiver.setCodecPreferences(
            [c for c in RTCRtpSender.getCapabilities("audio").codecs if c.mimeType == "audio/PCMU"]
        )
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        async with aiohttp.ClientSession() as http:
            headers = {"Authorization": f"Bearer {info.stream_key}", "Content-Type": "application/sdp"}
            async with http.post(info.url, data=await offer_sdp(publisher), headers=headers) as response:
                assert (response.status, await response.text()) == (406, text)
        [after] = await client.list(ingress_id=info.ingress_id)
        assert (after.state.status, after.state.error) == (Status.ENDPOINT_ERROR, text)


NO_MEDIA_SDP = b"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "application/sdp"),
        (b"hello, this is not an offer", "text/plain"),
        (b'{"type": "offer", "sdp": "v=0"}', "application/json"),
        (NO_MEDIA_SDP, "application/sdp"),  # an SDP, but nothing to receive
        (b"v=0\r\n\xff\xfe\x80 not UTF-8\r\n", "application/sdp"),
    ],
    ids=["empty", "plain text", "JSON", "SDP without media", "not UTF-8"],
)
async def test_a_body_that_is_not_an_sdp_offer_is_400_and_changes_nothing(
    sandbox: SandboxServer, body: bytes, content_type: str
) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        async with aiohttp.ClientSession() as http:
            for _ in range(2):  # no session is held: the second try is answered the same
                headers = {"Authorization": f"Bearer {info.stream_key}", "Content-Type": content_type}
                async with http.post(info.url, data=body, headers=headers) as response:
                    assert response.status == 400, await response.text()
                    assert response.content_type == "text/plain"
                    reason = await response.text()
                    assert "SDP" in reason and reason.endswith("."), reason
        [after] = await client.list(ingress_id=info.ingress_id)
        assert after.state == info.state  # no session started, no error left on the ingress


async def test_an_offer_whose_bundle_group_names_no_m_line_is_400(
    sandbox: SandboxServer, publisher: RTCPeerConnection
) -> None:
    # aiortc trips over it (a transceiver left without a transport): a 406 blaming the codecs and a
    # traceback from one of its background tasks.
    publisher.addTransceiver(MovingPicture(), direction="sendonly")
    publisher.addTransceiver("audio", direction="sendonly")
    offer = (await offer_sdp(publisher)).replace("a=mid:0", "a=mid:7")  # the group still leads with mid 0
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        async with aiohttp.ClientSession() as http:
            headers = {"Authorization": f"Bearer {info.stream_key}", "Content-Type": "application/sdp"}
            async with http.post(info.url, data=offer, headers=headers) as response:
                assert response.status == 400 and "BUNDLE" in await response.text()
        [after] = await client.list(ingress_id=info.ingress_id)
        assert after.state == info.state


async def post_offer(http: aiohttp.ClientSession, info: ingress_pb.IngressInfo, publisher: RTCPeerConnection) -> str:
    """Publish `publisher` to `info`; returns the session's Location."""
    headers = {"Authorization": f"Bearer {info.stream_key}", "Content-Type": "application/sdp"}
    async with http.post(info.url, data=await offer_sdp(publisher), headers=headers) as response:
        assert response.status == 201, await response.text()
        answer, location = await response.text(), response.headers["Location"]
    await publisher.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    return location


async def test_only_the_sessions_own_key_ends_or_patches_it(
    sandbox: SandboxServer, publisher: RTCPeerConnection
) -> None:
    publisher.addTransceiver(MovingPicture(), direction="sendonly")
    async with IngressClient(sandbox.project()) as client:
        info, other = await create(client), await create(client)
        origin = info.url.removesuffix("/w")
        async with aiohttp.ClientSession() as http:
            location = await post_offer(http, info, publisher)
            await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
            resource = location.rsplit("/", 1)[1]
            for wrong in ("WRONGKEY1234", other.stream_key):
                async with http.delete(f"{origin}/w/{wrong}/{resource}") as response:
                    assert (response.status, await response.text()) == (404, "ingress not found")
                async with http.patch(f"{origin}/w/{wrong}/{resource}", data=b"a=ice-ufrag:x") as response:
                    assert (response.status, await response.text()) == (404, "ingress not found")
            [still] = await client.list(ingress_id=info.ingress_id)
            assert still.state.status == Status.ENDPOINT_PUBLISHING
            async with http.delete(origin + location) as response:
                assert response.status == 200
            await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE))


def answered_codecs(answer: str) -> dict[str, list[str]]:
    """Per m-line kind, the answer's payload types as "name param=value;…" from its rtpmap and fmtp lines."""
    codecs: dict[str, list[str]] = {}
    for section in re.split(r"\r?\n(?=m=)", answer)[1:]:
        kind, *_, formats = section.splitlines()[0].removeprefix("m=").split(" ", 3)
        rtpmap = dict(re.findall(r"^a=rtpmap:(\d+) ([^/\r\n]+)", section, re.M))
        fmtp = dict(re.findall(r"^a=fmtp:(\d+) (\S+)", section, re.M))
        codecs[kind] = [f"{rtpmap.get(pt, '?')} {fmtp.get(pt, '')}".strip() for pt in formats.split()]
    return codecs


async def test_the_answer_offers_only_the_codecs_the_sandbox_takes(
    sandbox: SandboxServer, publisher: RTCPeerConnection
) -> None:
    # aiortc offers every codec it has: Opus, G722, PCMU, PCMA; VP8 and H.264, each with RTX.
    video = publisher.addTransceiver(MovingPicture(), direction="sendonly")
    publisher.addTransceiver("audio", direction="sendonly")
    h264_first = sorted(RTCRtpSender.getCapabilities("video").codecs, key=lambda c: c.mimeType != "video/H264")
    video.setCodecPreferences(h264_first)
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        async with aiohttp.ClientSession() as http:
            headers = {"Authorization": f"Bearer {info.stream_key}", "Content-Type": "application/sdp"}
            async with http.post(info.url, data=await offer_sdp(publisher), headers=headers) as response:
                assert response.status == 201, await response.text()
                answer, location = await response.text(), response.headers["Location"]
            async with http.delete(info.url.removesuffix("/w") + location) as response:
                assert response.status == 200
    codecs = answered_codecs(answer)
    assert codecs["audio"] == ["opus", "PCMA"]
    assert {codec.split()[0] for codec in codecs["video"]} == {"H264", "VP8", "rtx"}
    assert codecs["video"][0].startswith("H264 ")  # the publisher's preference comes first
    assert all("packetization-mode=1" in codec for codec in codecs["video"] if codec.startswith("H264"))


async def test_a_publisher_killed_without_delete_ends_its_session_within_10_s(sandbox: SandboxServer) -> None:
    async with IngressClient(sandbox.project()) as client:
        info = await create(client)
        child, _location = start_publisher(info.url, info.stream_key)
        try:
            live = await wait_for(
                client,
                info.ingress_id,
                lambda i: i.state.status == Status.ENDPOINT_PUBLISHING and i.state.video.framerate > 0,
            )
        finally:
            child.kill()  # a browser tab closed: no DELETE, no goodbye
        killed = time.monotonic()
        ended = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE), timeout=10)
        child.communicate(timeout=10)
    assert time.monotonic() - killed <= 10
    assert ended.state.resource_id == live.state.resource_id and ended.state.ended_at > 0
    assert ended.state.video.framerate == 0  # no pictures for seconds: no rate shown
