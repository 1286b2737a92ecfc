"""HTTP/1.1 by hand over loopback sockets, for clients no library would be: heads sent in pieces, bodies
that never come, connections held open. Also: how many sockets a process holds (Linux /proc)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None, url
    return port


async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


async def read_response(reader: asyncio.StreamReader, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """One response: status, headers (lower-case names), body (by Content-Length)."""
    async with asyncio.timeout(timeout):
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers, body


async def exchange(port: int, request: bytes, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    reader, writer = await connect(port)
    try:
        writer.write(request)
        await writer.drain()
        return await read_response(reader, timeout)
    finally:
        writer.close()


async def closed_by_peer(reader: asyncio.StreamReader, timeout: float) -> bool:
    """Read (and drop) until the peer closes the connection; False if it is still open after timeout.
    Any protocol: HTTP here, RTMP in the sandbox tests."""
    try:
        async with asyncio.timeout(timeout):
            while await reader.read(65536):
                pass
    except TimeoutError:
        return False
    except ConnectionError:
        pass  # reset: closed too
    return True


def socket_count(pid: int) -> int:
    """Open sockets of a process (listening ones included)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(FileNotFoundError):  # closed while we looked
            count += os.readlink(fd).startswith("socket:")
    return count
