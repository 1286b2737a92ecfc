"""A body over the limit is a 413 "request body too large" (livekit-server's answer), decided from its
Content-Length before a byte of it is read, on the API and the WHIP port; never a 500 or a traceback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from ingress_studio.api.client import IngressClient
from support.raw_http import connect, exchange, port_of, read_response
from support.sandbox_process import SandboxServer
from support.twirp_raw import token

MB = 1_000_000


@pytest.fixture(scope="module")
def server(watched_sandbox: SandboxServer) -> SandboxServer:
    return watched_sandbox


@pytest.fixture(autouse=True)
def no_traceback(server: SandboxServer) -> Iterator[None]:
    yield
    assert "Traceback" not in server.stderr_text()


def _twirp_head(length: int, bearer: str | None, extra: str = "") -> bytes:
    auth = f"Authorization: Bearer {bearer}\r\n" if bearer else ""
    return (
        f"POST /twirp/livekit.Ingress/CreateIngress HTTP/1.1\r\nHost: sandbox\r\n{auth}"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n{extra}\r\n"
    ).encode()


@pytest.mark.parametrize("size", [5 * MB, 50 * MB, 10**12])
@pytest.mark.parametrize("with_token", [True, False])
async def test_announced_size_over_the_limit_is_refused_before_the_body(
    server: SandboxServer, size: int, with_token: bool
) -> None:
    # Only the head is sent: the answer must come without the sandbox waiting for (or reading) the body.
    status, headers, body = await exchange(port_of(server.url), _twirp_head(size, token() if with_token else None))
    assert (status, body) == (413, b"request body too large")
    assert headers["content-type"].startswith("text/plain")
    assert headers["connection"] == "close"


async def test_real_oversized_bodies_plain_and_chunked(server: SandboxServer) -> None:
    url = f"{server.url}/twirp/livekit.Ingress/CreateIngress"
    headers = {"Authorization": f"Bearer {token()}", "Content-Type": "application/json"}
    big = b'{"name": "' + b"x" * (6 * MB) + b'"}'

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    async with aiohttp.ClientSession() as session:
        for data in (big, chunks()):  # with a Content-Length, then chunked (no length to check first)
            async with session.post(url, data=data, headers=headers) as response:
                assert response.status == 413
                assert await response.text() == "request body too large"
    async with IngressClient(server.project()) as client:  # the sandbox serves on
        await client.list()


async def test_a_body_within_the_limit_still_works(server: SandboxServer) -> None:
    reader, writer = await connect(port_of(server.url))
    body = b'{"roomName": "' + b"r" * (MB // 2) + b'"}'
    writer.write(_twirp_head(len(body), token()).replace(b"CreateIngress", b"ListIngress") + body)
    status, _, answer = await read_response(reader)
    writer.close()
    assert status == 200 and answer.startswith(b"{")


async def test_whip_offer_over_the_limit(server: SandboxServer) -> None:
    head = f"POST /w/somekey HTTP/1.1\r\nHost: sandbox\r\nContent-Length: {2 * MB}\r\n\r\n".encode()
    status, _, body = await exchange(port_of(server.info["whip_base_url"]), head)
    assert (status, body) == (413, b"request body too large")
