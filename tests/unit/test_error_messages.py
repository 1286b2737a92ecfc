"""Failures that need a misbehaving peer: a silent server, a non-TLS port spoken to with TLS, a DNS failure."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError, describe_exception
from ingress_studio.config.project import Project, ProjectSource


def project(url: str) -> Project:
    return Project("p", url, "key", "secret-secret-secret", ProjectSource.SAVED)


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """Accepts TCP connections and never answers."""
    connections: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    for writer in connections:
        writer.close()
    server.close()


@pytest.fixture
async def plain_http_server() -> AsyncIterator[int]:
    app = web.Application()
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, sock)
    await site.start()
    yield sock.getsockname()[1]
    await runner.cleanup()


async def test_timeout(silent_server: str) -> None:
    async with IngressClient(project(silent_server), timeout_s=0.5) as client:
        with pytest.raises(ApiError) as caught:
            await client.list()
    assert caught.value.message == (
        f"The server at {silent_server} did not answer within 0.5 s. "
        "Check that it is running and reachable, then try again."
    )


async def test_tls_to_a_plain_port(plain_http_server: int) -> None:
    url = f"https://127.0.0.1:{plain_http_server}"
    async with IngressClient(project(url)) as client:
        with pytest.raises(ApiError) as caught:
            await client.list()
    assert caught.value.message.startswith("The secure connection to 127.0.0.1 failed (")
    assert "Check the URL's scheme" in caught.value.message


async def test_not_a_livekit_server(plain_http_server: int) -> None:
    url = f"http://127.0.0.1:{plain_http_server}"
    async with IngressClient(project(url)) as client:
        with pytest.raises(ApiError) as caught:
            await client.list()
    assert "does not answer like a LiveKit server" in caught.value.message


def test_dns_failure_sentence() -> None:
    # Name resolution would leave this machine (only loopback is allowed), so the exception aiohttp
    # raises for an unknown host is built here and mapped.
    key = aiohttp.client_reqrep.ConnectionKey("nohost.invalid", 443, True, True, None, None, None)
    error = aiohttp.ClientConnectorDNSError(key, OSError(-2, "Name or service not known"))
    message = describe_exception(error, "https://nohost.invalid", 10).message
    assert message == "Cannot find the host “nohost.invalid”: check the project URL and your network."


@pytest.mark.parametrize(
    ("url", "fragment"),
    [("localhost:7880", "is not a valid server URL"), ("ftp://h", "is not a valid server URL")],
)
async def test_bad_urls_and_missing_secret(url: str, fragment: str) -> None:
    async with IngressClient(project(url)) as client:
        with pytest.raises(ApiError, match=fragment):
            await client.list()
    no_secret = Project("nosecret", "http://127.0.0.1:1", "k", None, ProjectSource.SAVED)
    async with IngressClient(no_secret) as client:
        with pytest.raises(ApiError, match="has no API secret"):
            await client.list()
