"""RTMP spoken by hand over a real socket, for sending what no well-behaved publisher would."""

from __future__ import annotations

import asyncio
import contextlib
import os
import struct
from pathlib import Path
from typing import Any

from ingress_studio.sandbox import amf0
from ingress_studio.sandbox.rtmp_chunks import COMMAND_AMF0, SET_CHUNK_SIZE, Message, encode_message

HANDSHAKE_SIZE = 1536
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def connect(port: int, handshake: bool = True) -> Connection:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    if handshake:
        writer.write(b"\x03" + os.urandom(HANDSHAKE_SIZE))
        s0s1s2 = await asyncio.wait_for(reader.readexactly(1 + 2 * HANDSHAKE_SIZE), 5)
        writer.write(s0s1s2[1 : 1 + HANDSHAKE_SIZE])  # C2 echoes S1
        await writer.drain()
    return reader, writer


def message_header(length: int, type_id: int, csid: int = 6, stream_id: int = 1) -> bytes:
    """A type 0 chunk header announcing a message of `length` bytes (at most 0xFFFFFF)."""
    return bytes([csid]) + bytes(3) + length.to_bytes(3, "big") + bytes([type_id]) + struct.pack("<I", stream_id)


def set_chunk_size(size: int) -> bytes:
    return encode_message(Message(SET_CHUNK_SIZE, 0, 0, struct.pack(">I", size)), 128, csid=2)


def command(*values: Any, stream_id: int = 0, chunk_size: int = 128) -> bytes:
    return encode_message(Message(COMMAND_AMF0, stream_id, 0, amf0.encode(*values)), chunk_size, csid=3)


async def close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (the peak so far) of a process, in KiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {name: int(fields[name].split()[0]) for name in ("VmRSS", "VmHWM")}
