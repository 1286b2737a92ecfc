"""Room signalling's refusals and limits: tokens that may not watch are refused with a sentence the rtc SDK
shows; ping/pong keeps a session alive past the ping timeout, silence ends it; a client sending garbage is
closed and the sandbox goes on serving viewers."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from livekit.protocol import ingress as ingress_pb
from livekit.protocol import rtc as rtc_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.sandbox.ice_interfaces import NO_ICE
from support.raw_http import connect, port_of
from support.room_viewers import RoomViewer, start_viewer, viewer_token
from support.sandbox_process import SandboxServer

ROOM = "stage"
PING_TIMEOUT_S = 2


async def with_room(server: SandboxServer) -> SandboxServer:
    """An ingress names ROOM, so the room exists (nobody publishes in it)."""
    async with IngressClient(server.project()) as client:
        request = ingress_pb.CreateIngressRequest(
            input_type=ingress_pb.RTMP_INPUT, name="x", room_name=ROOM, participant_identity="streamer"
        )
        await client.create(request)
    return server


@pytest.fixture(scope="module")
def short_pings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    flags = ["--room-ping-interval", "1", "--room-ping-timeout", str(PING_TIMEOUT_S)]
    server = SandboxServer(tmp_path_factory.mktemp("rooms"), extra_args=flags).start()
    asyncio.run(with_room(server))
    yield server
    server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.mark.parametrize(
    ("room", "grants", "said"),
    [
        (ROOM, {"room_join": False}, "401 Unauthorized - permissions denied: this token may not join rooms"),
        (
            "elsewhere",
            {},
            '404 Not Found - requested room does not exist: no ingress of this sandbox is in room "elsewhere"',
        ),
        (ROOM, {"can_subscribe": False}, "401 Unauthorized - permissions denied: the token does not allow subscribing"),
    ],
    ids=["without-room-join", "another-room", "without-can-subscribe"],
)
def test_a_token_that_may_not_watch_is_refused(
    short_pings: SandboxServer, viewers: list[RoomViewer], room: str, grants: dict[str, bool], said: str
) -> None:
    viewer = start_viewer(short_pings, viewer_token(short_pings, room, **grants))
    viewers.append(viewer)
    refused = viewer.next(lambda e: e["event"] in ("refused", "joined"), what="the answer to the join")
    assert refused["event"] == "refused"
    assert said in refused["message"]


async def test_validate_says_why(short_pings: SandboxServer, http: aiohttp.ClientSession) -> None:
    headers = {"Authorization": f"Bearer {viewer_token(short_pings, ROOM, room_join=False)}"}
    async with http.get(f"{short_pings.url}/rtc/validate", headers=headers) as response:
        assert (response.status, await response.text()) == (
            401,
            "permissions denied: this token may not join rooms (it has no room_join grant); make one with room_join",
        )
    headers = {"Authorization": f"Bearer {viewer_token(short_pings, ROOM)}"}
    async with http.get(f"{short_pings.url}/rtc/validate", headers=headers) as response:
        assert response.status == 200
    async with http.get(f"{short_pings.url}/rtc/v1", headers=headers) as response:
        assert response.status == 404  # v0 only: the SDK falls back on exactly this status


def test_pings_keep_a_session_alive_past_the_ping_timeout(
    short_pings: SandboxServer, viewers: list[RoomViewer]
) -> None:
    seconds = 4 * PING_TIMEOUT_S
    viewer = start_viewer(short_pings, viewer_token(short_pings, ROOM), seconds=seconds)
    viewers.append(viewer)
    viewer.event("joined")
    ended = viewer.next(lambda e: e["event"] in ("done", "disconnected"), timeout=seconds + 10, what="the end")
    assert ended["event"] == "done", "the sandbox ended a session that pinged"


async def signalling(server: SandboxServer, http: aiohttp.ClientSession) -> aiohttp.ClientWebSocketResponse:
    url = f"{server.url}/rtc?sdk=python&protocol=16&auto_subscribe=1"
    headers = {"Authorization": f"Bearer {viewer_token(server, ROOM, identity='raw')}"}
    return await http.ws_connect(url, headers=headers)


async def messages_until_closed(ws: aiohttp.ClientWebSocketResponse, timeout: float) -> list[str]:
    kinds: list[str] = []
    async with asyncio.timeout(timeout):
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                kinds.append(rtc_pb.SignalResponse.FromString(message.data).WhichOneof("message") or "")
    return kinds


async def test_a_silent_client_is_closed_after_the_ping_timeout(
    short_pings: SandboxServer, http: aiohttp.ClientSession
) -> None:
    ws = await signalling(short_pings, http)
    kinds = await messages_until_closed(ws, timeout=PING_TIMEOUT_S + 10)
    assert kinds[:2] == ["join", "offer"]
    assert ws.closed


@pytest.mark.parametrize(
    "garbage",
    [b"\xff" * 100, "hello", b"\x0a\xff\xff\xff\xff\x0f"],
    ids=["random-bytes", "text", "truncated-protobuf"],
)
async def test_a_client_sending_garbage_is_closed_and_others_still_watch(
    short_pings: SandboxServer, http: aiohttp.ClientSession, viewers: list[RoomViewer], garbage: bytes | str
) -> None:
    ws = await signalling(short_pings, http)
    await (ws.send_str(garbage) if isinstance(garbage, str) else ws.send_bytes(garbage))
    await messages_until_closed(ws, timeout=5)
    assert ws.close_code in (1003, 1007)
    viewer = start_viewer(short_pings, viewer_token(short_pings, ROOM), seconds=1)
    viewers.append(viewer)
    viewer.event("joined")


async def test_clients_hanging_up_during_the_upgrade_cost_no_traceback(
    tmp_path: Path, viewers: list[RoomViewer]
) -> None:
    """A client gone before the sandbox writes its upgrade or its first messages is a viewer leaving: the
    sandbox logged each as a failure with a traceback (and aiohttp an "Unhandled exception" after it)."""
    server = await with_room(SandboxServer(tmp_path / "data", stderr_file=tmp_path / "stderr.txt").start())
    try:
        upgrade = (
            "GET /rtc?sdk=python&protocol=16 HTTP/1.1\r\nHost: sandbox\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {viewer_token(server, ROOM, identity='hasty')}\r\n\r\n"
        ).encode()
        for _ in range(20):
            _reader, writer = await connect(port_of(server.url))
            writer.write(upgrade)
            writer.transport.abort()  # at once, before any answer
        viewer = start_viewer(server, viewer_token(server, ROOM), seconds=1)
        viewers.append(viewer)
        viewer.event("joined")  # and the sandbox goes on serving viewers
    finally:
        assert server.stop() == 0
    assert "Traceback" not in server.stderr_text() and "Unhandled exception" not in server.stderr_text()


async def test_an_oversized_message_is_refused(short_pings: SandboxServer, http: aiohttp.ClientSession) -> None:
    ws = await signalling(short_pings, http)
    await ws.send_bytes(bytes(1024 * 1024))
    await messages_until_closed(ws, timeout=5)
    assert ws.close_code == 1009  # message too big


def test_a_host_with_loopback_alone_refuses_joins_with_a_sentence() -> None:
    """A network namespace of its own with only loopback up (`unshare -n`, as root) is such a host."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot make a network namespace here (needs root and unshare)")
    script = Path(__file__).parents[1] / "support" / "loopback_only_join.py"
    result = subprocess.run(["unshare", "-n", sys.executable, str(script)], capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["event"] == "refused"
    assert f"503 Service Unavailable - {NO_ICE}" in answer["message"]
