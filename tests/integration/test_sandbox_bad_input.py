"""Bounded loops of generated bad input against the sandbox's WHIP and RTMP endpoints, on loopback.

Each loop stops after a number of rounds or a time limit, whichever comes first, and ends with a good
publish (`ingress-studio push test:`) reaching PUBLISHING and no traceback in the sandbox's stderr.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import struct
import time
from collections.abc import Awaitable, Callable

import aiohttp
from aiortc import RTCConfiguration, RTCPeerConnection
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.sandbox.rtmp_chunks import (
    ABORT,
    AUDIO,
    COMMAND_AMF0,
    COMMAND_AMF3,
    DATA_AMF0,
    USER_CONTROL,
    VIDEO,
    WINDOW_ACK_SIZE,
    Message,
    encode_message,
)
from support import whip_peer  # noqa: F401  (keeps aiortc's candidates on loopback in this process)
from support.live_state import Status, push_test_pattern, wait_for
from support.raw_http import closed_by_peer
from support.rtmp_raw import close, command, connect, message_header, set_chunk_size
from support.sandbox_process import SandboxServer
from support.whip_publisher import MovingPicture

ROUNDS = 600
TIME_LIMIT_S = 30.0
SEED = 9
LIVE = (Status.ENDPOINT_BUFFERING, Status.ENDPOINT_PUBLISHING)


async def create(client: IngressClient, input_type: int) -> ingress_pb.IngressInfo:
    request = ingress_pb.CreateIngressRequest(
        input_type=input_type,  # type: ignore[arg-type]
        name="target",
        room_name="bad-input",
        participant_identity="streamer",
    )
    return await client.create(request)


async def run_rounds(make_round: Callable[[int], Awaitable[None]]) -> int:
    """Run rounds until ROUNDS or TIME_LIMIT_S; returns how many ran."""
    deadline = time.monotonic() + TIME_LIMIT_S
    done = 0
    while done < ROUNDS and time.monotonic() < deadline:
        await make_round(done)
        done += 1
    return done


async def assert_still_serves_a_good_publish(server: SandboxServer, info: ingress_pb.IngressInfo) -> None:
    async with IngressClient(server.project()) as client:
        await wait_for(client, info.ingress_id, lambda i: i.state.status not in LIVE)
        pushing = push_test_pattern(server, info.ingress_id, seconds=4)
        await wait_for(
            client,
            info.ingress_id,
            lambda i: i.state.status == Status.ENDPOINT_PUBLISHING and i.state.video.framerate > 0,
        )
        result = await pushing
    assert result.returncode == 0, result.stderr


def assert_no_traceback(server: SandboxServer) -> None:
    assert server.stop() == 0
    assert server.process is not None and server.process.stderr is not None
    stderr = server.process.stderr.read()
    assert "Traceback" not in stderr and "Error handling request" not in stderr, stderr[-3000:]


# -- WHIP --------------------------------------------------------------------------------------------

BOGUS_SDP_LINES = [
    "m=video abc UDP/TLS/RTP/SAVPF x",
    "m=audio 9 UDP/TLS/RTP/SAVPF",
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
    "m=text 9 RTP/AVP 0",
    "a=rtpmap:96",
    "a=rtpmap:x VP8/90000",
    "a=rtpmap:97 H264/notaclock",
    "a=fmtp:97 profile-level-id=zzzzzz;packetization-mode=1",
    "a=fmtp:97 packetization-mode=banana",
    "a=rtcp-fb:96",
    "a=ssrc:abc cname:x",
    "a=ssrc-group:FID 1",
    "a=candidate:garbage",
    "a=candidate:1 1 udp 1 999.1.1.1 99999 typ host",
    "a=setup:sideways",
    "a=fingerprint:sha-256",
    "a=fingerprint:md5 00",
    "a=ice-ufrag:",
    "a=ice-pwd:",
    "a=simulcast:send a;b",
    "a=rid:a send",
    "a=extmap:x urn:ietf:params:rtp-hdrext:sdes:mid",
    "a=extmap:99999 urn:x",
    "a=rtcp:abc",
    "a=msid:",
    "a=group:BUNDLE 7 8 9",
    "a=mid:",
    "c=IN IP4 999.999.1.1",
    "c=IN IP6 zz::1",
    "a=sctp-port:x",
    "a=max-message-size:-1",
    "b=AS:x",
    "o=- x x IN IP4",
    "a=" + "x" * 100_000,
]


async def valid_offer() -> str:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    pc.addTransceiver(MovingPicture(), direction="sendonly")
    pc.addTransceiver("audio", direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    offer = str(pc.localDescription.sdp)
    await pc.close()
    return offer


def bad_body(rng: random.Random, offer: str) -> bytes:
    lines = offer.splitlines()
    shape = rng.randrange(11)
    if shape == 0:
        return os.urandom(rng.randrange(0, 2048))
    if shape == 1:
        return offer[: rng.randrange(len(offer))].encode()
    if shape == 2:
        for _ in range(rng.randint(1, 6)):
            del lines[rng.randrange(len(lines))]
    elif shape == 3:
        for _ in range(rng.randint(1, 4)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(BOGUS_SDP_LINES))
    elif shape == 4:
        index = rng.randrange(len(lines))
        line = list(lines[index])
        for _ in range(rng.randint(1, 5)):
            if line:
                line[rng.randrange(len(line))] = chr(rng.randrange(32, 0x2FF))
        lines[index] = "".join(line)
    elif shape == 5:
        start = rng.randrange(len(lines))
        lines[start:start] = lines[start : start + rng.randint(1, 30)]  # duplicated lines or sections
    elif shape == 6:
        return offer.encode().replace(b"\r\n", rng.choice([b"\n", b"\r", b"", b"\r\r\n"]))
    elif shape == 9:  # codecs the service does not take, or an unknown codec name
        names = ["PCMU", "G722", "H265", "AV1", "VP9", "x" * 300, ""]
        return re.sub(r"(a=rtpmap:\d+ )\w+", lambda m: m.group(1) + rng.choice(names), offer).encode()
    elif shape == 10:  # a second video or audio section
        sections = re.split(r"(?=^m=)", offer, flags=re.M)
        return "".join([*sections, rng.choice(sections[1:])]).encode()
    elif shape == 7:
        raw = bytearray(offer.encode())
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(0x80, 0x100)  # not UTF-8 any more
        return bytes(raw)
    else:
        lines = [line for line in lines if not line.startswith(rng.choice(["m=", "a=ice", "a=fingerprint", "v="]))]
    return ("\r\n".join(lines) + "\r\n").encode()


async def test_whip_survives_generated_bad_requests(fresh_sandbox: SandboxServer) -> None:
    rng = random.Random(SEED)
    offer = await valid_offer()
    async with IngressClient(fresh_sandbox.project()) as client:
        whip = await create(client, ingress_pb.WHIP_INPUT)
        rtmp = await create(client, ingress_pb.RTMP_INPUT)
    base = whip.url
    origin = base.removesuffix("/w")
    odd_keys = [rtmp.stream_key, "NoSuchKey123", "", "k" * 4000, "%00", "ünï/..", " ", whip.stream_key.lower()]
    seen: dict[int, int] = {}

    async def one_round(number: int) -> None:
        key = whip.stream_key if rng.random() < 0.6 else rng.choice(odd_keys)
        kind = rng.randrange(4)
        headers = {"Content-Type": rng.choice(["application/sdp", "text/plain", "application/json", "", "x/y"])}
        if kind == 0:  # a bad offer on the path or in the header
            body = bad_body(rng, offer)
            if rng.random() < 0.5:
                url = f"{base}/{key}"
            else:
                url, headers["Authorization"] = base, rng.choice(["Bearer ", "", "Basic "]) + key
            method = "POST"
        elif kind == 1:  # the right offer on a wrong or odd key
            url, body, method = f"{base}/{key}", offer.encode(), "POST"
        elif kind == 2:  # methods and paths the endpoint does not serve
            method = rng.choice(["GET", "PUT", "HEAD", "DELETE", "PATCH", "OPTIONS", "POST"])
            suffix = rng.choice(["", f"/{key}", f"/{key}/WH_nosuch12345", f"/{key}/WH_x/extra", "/x/y/z/w"])
            url, body = base + suffix, os.urandom(rng.randrange(0, 64))
        else:  # DELETE and PATCH of resources that are not there, or not theirs
            method = rng.choice(["DELETE", "PATCH"])
            url, body = f"{base}/{key}/WH_{rng.randrange(10**12):012d}", bad_body(rng, offer)
        headers = {name: value for name, value in headers.items() if value}
        async with http.request(method, url, data=body, headers=headers) as response:
            text = await response.text(errors="replace")
            seen[response.status] = seen.get(response.status, 0) + 1
            assert response.status < 500 or text == "request needs to specify either IngressId or StreamKey", (
                number,
                method,
                url[:200],
                body[:200],
                response.status,
                text[:500],
            )
            if response.status == 201:  # a mutation the service would take too: end it again at once
                async with http.delete(origin + response.headers["Location"]) as ended:
                    assert ended.status == 200

    async with aiohttp.ClientSession() as http:
        rounds = await run_rounds(one_round)
    assert rounds >= 100, rounds
    assert all(seen.get(status, 0) > 0 for status in (201, 400, 404, 405, 406)), seen  # every path was taken
    await assert_still_serves_a_good_publish(fresh_sandbox, whip)
    assert_no_traceback(fresh_sandbox)


# -- RTMP --------------------------------------------------------------------------------------------


def media(type_id: int, body: bytes, timestamp: int = 0) -> bytes:
    return encode_message(Message(type_id, 1, timestamp, body), 128, csid=6 if type_id == VIDEO else 4)


def publishing(key: str) -> bytes:
    """connect, createStream and publish on `key`, as FFmpeg sends them."""
    return (
        command("connect", 1, {"app": "x", "tcUrl": "rtmp://127.0.0.1/x"})
        + command("createStream", 2, None)
        + command("publish", 3, None, key, "live", stream_id=1)
    )


def garbage_after_publish(rng: random.Random) -> bytes:
    """Media an encoder would not send: bodies of the right types with random contents."""
    shapes = [
        lambda: media(VIDEO, b"\x17\x00\x00\x00\x00" + os.urandom(rng.randrange(0, 200))),  # a random avcC
        lambda: media(VIDEO, b"\x17\x01\x00\x00\x00" + os.urandom(rng.randrange(0, 4000))),  # a random keyframe
        lambda: media(VIDEO, b"\x27\x01\xff\xff\xff" + os.urandom(rng.randrange(0, 400))),  # negative composition
        lambda: media(VIDEO, bytes([rng.randrange(256)]) + os.urandom(rng.randrange(0, 40))),  # any codec id
        lambda: media(AUDIO, b"\xaf\x00" + os.urandom(rng.randrange(0, 8))),  # a random AudioSpecificConfig
        lambda: media(AUDIO, b"\xaf\x01" + os.urandom(rng.randrange(0, 800))),
        lambda: media(AUDIO, os.urandom(rng.randrange(0, 20))),
        lambda: media(VIDEO, b"\x17\x01\x00\x00\x00" + os.urandom(100), timestamp=rng.randrange(1 << 32)),
        lambda: encode_message(Message(DATA_AMF0, 1, 0, os.urandom(rng.randrange(0, 300))), 128, csid=5),
    ]
    return b"".join(rng.choice(shapes)() for _ in range(rng.randint(1, 12)))


def bogus_commands(rng: random.Random, key: str) -> bytes:
    shapes = [
        lambda: encode_message(Message(COMMAND_AMF0, 0, 0, os.urandom(rng.randrange(0, 300))), 128, csid=3),
        lambda: encode_message(Message(COMMAND_AMF3, 0, 0, os.urandom(rng.randrange(0, 300))), 128, csid=3),
        lambda: command("publish", 3, None, rng.choice([None, 5.0, {"a": 1}, True, "", "x" * 60000]), stream_id=1),
        lambda: command("publish"),
        lambda: command("connect"),
        lambda: command(rng.choice(["play", "seek", "pause", "FCSubscribe", "@setDataFrame", "\x00", "é" * 300])),
        lambda: command("createStream", {"nested": {"deeper": {"deepest": None}}}, None),
        lambda: command("deleteStream", 4, None, 1.0),
        lambda: publishing(key) + publishing(key),  # publishing twice on one connection
        lambda: encode_message(Message(COMMAND_AMF0, 0, 0, b"\x02\xff\xffabc"), 128, csid=3),  # string past the end
        lambda: encode_message(Message(COMMAND_AMF0, 0, 0, b"\x0a\x00\x00\x00\x01" * 50 + b"\x05"), 128, csid=3),
        lambda: encode_message(Message(COMMAND_AMF0, 0, 0, b"\x0a\xff\xff\xff\xff"), 128, csid=3),  # 4 G items
        lambda: encode_message(Message(COMMAND_AMF0, 0, 0, b"\x0c\xff\xff\xff\xff" + b"x"), 128, csid=3),
    ]
    return b"".join(rng.choice(shapes)() for _ in range(rng.randint(1, 5)))


def oversized_fields(rng: random.Random) -> bytes:
    shapes = [
        lambda: message_header(0xFFFFFF, VIDEO) + os.urandom(rng.randrange(0, 4096)),
        lambda: message_header(rng.randrange(8 << 20, 1 << 24), rng.randrange(256)),
        lambda: set_chunk_size(rng.choice([0, 1, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << 32)])),
        lambda: encode_message(Message(WINDOW_ACK_SIZE, 0, 0, struct.pack(">I", rng.choice([0, 1, 0xFFFFFFFF]))), 128),
        lambda: encode_message(Message(USER_CONTROL, 0, 0, os.urandom(rng.randrange(0, 3))), 128, csid=2),
        lambda: encode_message(Message(ABORT, 0, 0, struct.pack(">I", rng.randrange(1 << 32))), 128, csid=2),
        lambda: bytes([0x06]) + b"\xff\xff\xff" + (10).to_bytes(3, "big") + bytes([VIDEO, 1, 0, 0, 0]),  # no ext stamp
        lambda: b"".join(bytes([1]) + struct.pack("<H", csid) + message_header(300, AUDIO)[1:] for csid in range(80)),
        lambda: bytes([rng.choice([0x43, 0x83, 0xC3, 0xC9])]) + os.urandom(rng.randrange(0, 20)),  # no prior header
        lambda: command("connect", 1, {"app": "x" * 65535}),
    ]
    return b"".join(rng.choice(shapes)() for _ in range(rng.randint(1, 4)))


async def test_rtmp_survives_generated_bad_connections(fresh_sandbox: SandboxServer) -> None:
    rng = random.Random(SEED)
    async with IngressClient(fresh_sandbox.project()) as client:
        rtmp = await create(client, ingress_pb.RTMP_INPUT)
    port = int(fresh_sandbox.info["rtmp_base_url"].rsplit(":", 1)[1].split("/")[0])

    async def one_round(_number: int) -> None:
        kind = rng.randrange(6)
        if kind == 0:  # a handshake cut short
            reader, writer = await connect(port, handshake=False)
            writer.write((b"\x03" + os.urandom(1536))[: rng.randrange(0, 1538)])
        elif kind == 1:  # not RTMP at all, or another version
            reader, writer = await connect(port, handshake=False)
            writer.write(bytes([rng.choice([0, 6, 0x16, ord("G")])]) + os.urandom(rng.randrange(0, 3100)))
        else:
            reader, writer = await connect(port)
            if kind == 2:
                writer.write(os.urandom(rng.randrange(1, 4096)))
            elif kind == 3:
                writer.write(bogus_commands(rng, rtmp.stream_key))
            elif kind == 4:
                writer.write(oversized_fields(rng))
            else:
                writer.write(publishing(rtmp.stream_key) + garbage_after_publish(rng))
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        await closed_by_peer(reader, rng.choice([0.0, 0.05, 0.2]))
        await close(writer)

    rounds = await run_rounds(one_round)
    assert rounds >= 100, rounds
    await assert_still_serves_a_good_publish(fresh_sandbox, rtmp)
    assert_no_traceback(fresh_sandbox)
