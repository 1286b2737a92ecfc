"""Slow and idle HTTP clients are cut, on the API and the WHIP port, while good requests go on:
a request head must arrive within 10 s, its body within 10 s more, an idle keep-alive connection
closes after 20 s, a client that stops reading is dropped, and each port holds at most 256 connections."""

from __future__ import annotations

import asyncio
import socket
import time

import aiohttp
import pytest

from ingress_studio.api.client import IngressClient
from support.raw_http import closed_by_peer, connect, port_of, read_response, socket_count
from support.sandbox_process import SandboxServer

HEAD_LIMIT_S = 10
IDLE_LIMIT_S = 20
SLACK_S = 4  # the limit is checked on a timer; the machine may be busy with other tests


@pytest.fixture(scope="module")
def server(watched_sandbox: SandboxServer) -> SandboxServer:
    return watched_sandbox


def _port(server: SandboxServer, which: str) -> int:
    return port_of(server.url if which == "api" else server.info["whip_base_url"])


async def _good_request(server: SandboxServer, which: str) -> None:
    if which == "api":
        async with IngressClient(server.project()) as client:
            await client.list()
        return
    async with aiohttp.ClientSession() as session, session.options(server.info["whip_base_url"]) as response:
        assert response.status == 204  # the WHIP preflight


@pytest.mark.parametrize("which", ["api", "whip"])
async def test_partial_heads_are_closed_and_good_requests_go_on(server: SandboxServer, which: str) -> None:
    port = _port(server, which)
    opened = time.monotonic()
    clients = [await connect(port) for _ in range(50)]
    for _, writer in clients:
        writer.write(b"POST /twirp/livekit.Ingress/ListIngress HTTP/1.1\r\nHost: sandbox\r\n")

    async def trickle() -> None:  # one more header line a second: never a whole head
        for n in range(HEAD_LIMIT_S + SLACK_S):
            await asyncio.sleep(1)
            for _, writer in clients:
                if not writer.is_closing():
                    writer.write(f"X-Slow-{n}: 1\r\n".encode())

    async def closed_after(reader: asyncio.StreamReader) -> float:
        assert await closed_by_peer(reader, HEAD_LIMIT_S + SLACK_S), "a partial head was never cut"
        return time.monotonic() - opened

    trickling = asyncio.create_task(trickle())
    closing = asyncio.gather(*(closed_after(reader) for reader, _ in clients))
    for _ in range(3):  # meanwhile the port serves
        await _good_request(server, which)
        await asyncio.sleep(1)
    closed = await closing
    trickling.cancel()
    assert all(HEAD_LIMIT_S - 1 <= seconds <= HEAD_LIMIT_S + SLACK_S for seconds in closed), closed
    for _, writer in clients:
        writer.close()


@pytest.mark.parametrize("which", ["api", "whip"])
async def test_a_body_that_never_arrives_is_408(server: SandboxServer, which: str) -> None:
    reader, writer = await connect(_port(server, which))
    writer.write(b"POST /w/somekey HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 100\r\n\r\nv=0")
    status, headers, body = await read_response(reader, HEAD_LIMIT_S + SLACK_S)
    assert (status, body) == (408, b"the request body did not arrive within 10 s")
    assert headers["connection"] == "close"
    assert await closed_by_peer(reader, SLACK_S)
    writer.close()


async def test_an_idle_keep_alive_connection_is_closed(server: SandboxServer) -> None:
    reader, writer = await connect(_port(server, "api"))
    writer.write(b"GET / HTTP/1.1\r\nHost: sandbox\r\n\r\n")
    status, headers, _ = await read_response(reader)
    assert status == 200 and headers.get("connection") != "close"
    answered = time.monotonic()
    assert await closed_by_peer(reader, IDLE_LIMIT_S + SLACK_S)
    assert time.monotonic() - answered >= IDLE_LIMIT_S - 1
    writer.close()


async def test_the_next_head_has_10_s_from_its_first_byte(server: SandboxServer) -> None:
    reader, writer = await connect(_port(server, "api"))
    writer.write(b"GET / HTTP/1.1\r\nHost: sandbox\r\n\r\n")
    assert (await read_response(reader))[0] == 200
    await asyncio.sleep(5)  # idle, within the keep-alive time
    writer.write(b"GET / HTTP/1.1\r\n")
    started = time.monotonic()
    assert await closed_by_peer(reader, HEAD_LIMIT_S + SLACK_S)
    assert time.monotonic() - started >= HEAD_LIMIT_S - 1
    writer.close()


async def test_a_client_that_stops_reading_is_dropped(server: SandboxServer) -> None:
    # Pipelined requests whose answers are never read: once the socket buffers are full, nothing moves.
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", _port(server, "api")))
    sock.setblocking(False)
    pending = b""
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:  # as many whole requests as the sandbox takes
        pending = pending or b"GET / HTTP/1.1\r\nHost: sandbox\r\n\r\n" * 1000
        try:
            pending = pending[sock.send(pending) :]
        except BlockingIOError:
            await asyncio.sleep(0.05)
    await asyncio.sleep(10 + SLACK_S)  # the sandbox gives up on a write that cannot move for 10 s
    reader, writer = await asyncio.open_connection(sock=sock)
    assert await closed_by_peer(reader, SLACK_S), "a client that reads nothing kept its connection"
    writer.close()
    await _good_request(server, "api")


async def test_each_port_holds_at_most_256_connections(server: SandboxServer) -> None:
    assert server.process is not None
    pid, port = server.process.pid, _port(server, "api")
    before = socket_count(pid)
    held = [await connect(port) for _ in range(256)]
    for reader, writer in held:  # each one served once: all 256 are accepted
        writer.write(b"GET / HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        assert (await read_response(reader))[0] == 200
    reader, writer = await connect(port)  # the 257th waits in the backlog, costing the sandbox nothing
    writer.write(b"GET / HTTP/1.1\r\nHost: sandbox\r\n\r\n")
    with pytest.raises(TimeoutError):
        await read_response(reader, timeout=1.5)
    assert socket_count(pid) <= before + 256
    for _, held_writer in held[:10]:
        held_writer.close()
    status, _, body = await read_response(reader, timeout=3)  # a slot came free: it is served
    assert (status, body) == (200, b"OK")
    for _, held_writer in [*held[10:], (reader, writer)]:
        held_writer.close()
