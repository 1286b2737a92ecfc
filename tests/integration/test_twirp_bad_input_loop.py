"""A bounded loop of bad Twirp requests (a fixed seed, a few hundred of them, a time limit, loopback only):
garbage and truncated protobuf, bad JSON, wrong content types, huge and odd headers, broken HTTP, bad
tokens. Each gets an answer below 500 (or a closed connection for what is not HTTP), and afterwards the
sandbox is alive, serves the official client's create and list, and has written no traceback."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from livekit import api as lkapi
from livekit.protocol import ingress as ingress_pb

from support.raw_http import connect, port_of, read_response
from support.sandbox_process import SandboxServer
from support.twirp_raw import token

SEED = 9
TIME_LIMIT_S = 90
PATH = "/twirp/livekit.Ingress/CreateIngress"
VALID = ingress_pb.CreateIngressRequest(
    input_type=ingress_pb.IngressInput.RTMP_INPUT, name="loop", room_name="loop", participant_identity="p"
)
VALID_JSON = b'{"inputType": "RTMP_INPUT", "name": "loop", "roomName": "loop", "participantIdentity": "p"}'


def _request(
    body: bytes = b"",
    content_type: str = "application/protobuf",
    bearer: str | None = None,
    extra_headers: bytes = b"",
    path: str = PATH,
) -> bytes:
    auth = f"Authorization: Bearer {bearer}\r\n" if bearer is not None else ""
    head = f"POST {path} HTTP/1.1\r\nHost: sandbox\r\n{auth}Content-Type: {content_type}\r\n"
    return head.encode() + extra_headers + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _mutated(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        spot = rng.randrange(len(out) + 1)
        choice = rng.random()
        if choice < 0.4 and out:
            out[min(spot, len(out) - 1)] = rng.randrange(256)
        elif choice < 0.7:
            out[spot:spot] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        else:
            del out[spot : spot + rng.randint(1, 8)]
    return bytes(out)


def _bad_tokens(rng: random.Random) -> Iterator[str]:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    good = token()
    header, payload, signature = good.split(".")
    yield from ["", "x", "a.b", "a.b.c", "..", good + "x", f"{header}.{payload}", f"{header}.{payload}.{signature}.x"]
    yield from [f"{b64(b'{')}.{payload}.{signature}", f"{header}.{b64(b'[1]')}.{signature}"]
    yield f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{payload}."
    yield token(secret="wrong"), token(key="nobody"), token(ingress_admin=False), "A" * 7000
    for _ in range(20):
        yield _mutated(good.encode(), rng).decode("latin-1")


def bad_requests(rng: random.Random) -> Iterator[bytes]:
    protobuf, bearer = VALID.SerializeToString(), token()
    for cut in range(len(protobuf)):  # every truncation
        yield _request(protobuf[:cut] + b"\xff", bearer=bearer)
    for _ in range(100):
        yield _request(_mutated(protobuf, rng), bearer=bearer)
        yield _request(bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))), bearer=bearer)
    for _ in range(100):
        yield _request(_mutated(VALID_JSON, rng), "application/json", bearer)
    for content_type in ("text/plain", "", "application/x-protobuf", "application/json; charset=latin-1", "*/*"):
        yield _request(VALID_JSON, content_type, bearer)
    for bad in _bad_tokens(rng):
        yield _request(protobuf, bearer=bad)
    yield _request(b"x" * 5_000_000, bearer=bearer)  # over the size limit, sent
    yield _request(bearer=bearer).replace(b"Content-Length: 0", b"Content-Length: 50000000")  # announced only
    yield _request(protobuf, bearer=bearer, extra_headers=b"X-Big: " + b"a" * 9000 + b"\r\n")
    yield _request(protobuf, bearer=bearer, extra_headers=b"".join(b"X-%d: 1\r\n" % n for n in range(300)))
    yield _request(protobuf, bearer=bearer, extra_headers=b"X-Bytes: \xff\xfe\x00\x01\r\n")
    yield _request(protobuf, bearer=bearer, extra_headers=b"no colon here\r\n")
    yield _request(protobuf, bearer=bearer, extra_headers=b"Content-Length: 3\r\n")
    yield _request(protobuf, bearer=bearer, extra_headers=b"Transfer-Encoding: chunked\r\n")
    yield _request(protobuf, bearer="\u00e9\u00e9.\u00e9.\u00e9".encode().decode("latin-1"))
    for path in ("/twirp/livekit.Ingress/%ff", "/twirp/%00", "/twirp/livekit.Ingress/" + "x" * 5000, "*", "//x"):
        yield _request(protobuf, bearer=bearer, path=path)
    yield b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: s\r\nContent-Length: -1\r\n\r\n"
    yield b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: s\r\nContent-Length: 1x\r\n\r\n"
    yield b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
    yield b"BREW " + PATH.encode() + b" HTTP/1.1\r\nHost: s\r\n\r\n"
    yield b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    yield b"GET " + PATH.encode() + b" HTTP/9.9\r\n\r\n"
    yield b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(200)  # a TLS ClientHello
    for _ in range(20):
        yield bytes(rng.randrange(256) for _ in range(rng.randint(1, 300))) + b"\r\n\r\n"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    sandbox = SandboxServer(tmp_path / "data", stderr_file=tmp_path / "stderr.txt").start()
    yield sandbox
    if sandbox.process is not None and sandbox.process.poll() is None:
        sandbox.stop()


async def _send(port: int, raw: bytes) -> int | None:
    """The answer's status, or None when the sandbox closed the connection without one."""
    reader, writer = await connect(port)
    try:
        writer.write(raw)
        await writer.drain()
        return (await read_response(reader, timeout=5))[0]
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    finally:
        writer.close()


async def test_bad_requests_then_good_ones(server: SandboxServer) -> None:
    requests = list(bad_requests(random.Random(SEED)))
    assert len(requests) > 300
    port = port_of(server.url)
    statuses: list[int | None] = []
    async with asyncio.timeout(TIME_LIMIT_S):
        for start in range(0, len(requests), 8):
            statuses += await asyncio.gather(*(_send(port, raw) for raw in requests[start : start + 8]))
    server_errors = [
        (status, raw[:120]) for status, raw in zip(statuses, requests, strict=True) if (status or 0) >= 500
    ]
    assert not server_errors
    assert statuses.count(None) < 40  # only what is not HTTP at all goes unanswered

    async with lkapi.LiveKitAPI(server.url, server.api_key, server.api_secret, failover=False) as client:
        created = await client.ingress.create_ingress(VALID)
        listed = await client.ingress.list_ingress(ingress_pb.ListIngressRequest(room_name="loop"))
    assert created.ingress_id in [info.ingress_id for info in listed.items]
    assert server.process is not None and server.process.poll() is None
    assert server.stop() == 0
    stderr = server.stderr_text()
    assert "Traceback" not in stderr, stderr[:3000]
