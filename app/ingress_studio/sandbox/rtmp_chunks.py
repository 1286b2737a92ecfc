"""RTMP chunk streams: bytes from a publisher → whole messages, and messages → bytes for it.

The parser works on whatever the socket delivered (no awaiting per field), so a 1080p stream in
128-byte chunks costs little.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

SET_CHUNK_SIZE, ABORT, ACKNOWLEDGEMENT, USER_CONTROL, WINDOW_ACK_SIZE, SET_PEER_BANDWIDTH = 1, 2, 3, 4, 5, 6
AUDIO, VIDEO, DATA_AMF3, COMMAND_AMF3, DATA_AMF0, COMMAND_AMF0 = 8, 9, 15, 17, 18, 20

DEFAULT_CHUNK_SIZE = 128
# Limits that keep a broken or hostile peer from holding the sandbox's memory: far above what a
# publisher needs (one audio, one video, one command stream; a 4K keyframe is a few MB).
MAX_MESSAGE_SIZE = 8 * 1024 * 1024
MAX_CHUNK_SIZE = MAX_MESSAGE_SIZE  # no chunk carries more than one message; chunk bodies are read as they come
MAX_CHUNK_STREAMS = 64
MAX_PENDING_BYTES = 32 * 1024 * 1024  # in unfinished messages, once a publish is accepted
# Before that only commands flow (connect, createStream, publish: a few hundred bytes): anyone may
# connect, so 256 connections must not be able to hold more than a few tens of MB between them.
PRE_PUBLISH_PENDING_BYTES = 64 * 1024
_HEADER_SIZES = (11, 7, 3, 0)
_EXTENDED = 0xFFFFFF


class RtmpProtocolError(Exception):
    """The peer sent something that is not RTMP."""


@dataclass
class Message:
    type_id: int
    stream_id: int
    timestamp: int  # milliseconds
    payload: bytes


@dataclass
class _ChunkStream:
    timestamp: int = 0
    delta: int = 0
    length: int = 0
    type_id: int = 0
    stream_id: int = 0
    extended: bool = False
    body: bytearray | None = None  # the message being assembled, None between messages


class ChunkParser:
    def __init__(self) -> None:
        self.chunk_size = DEFAULT_CHUNK_SIZE
        self.max_pending = PRE_PUBLISH_PENDING_BYTES  # raised by accept_media() once a publish is taken
        self._buffer = bytearray()
        self._streams: dict[int, _ChunkStream] = {}
        self._pending = 0  # bytes held in messages not yet complete, over all chunk streams
        # A chunk whose body is still arriving: its stream and how many body bytes are still to come.
        self._in_chunk: tuple[_ChunkStream, int] | None = None

    @property
    def held_bytes(self) -> int:
        """What this connection costs in memory: unfinished messages and unparsed bytes."""
        return self._pending + len(self._buffer)

    def accept_media(self) -> None:
        """A publish was accepted: audio and video messages (a keyframe is megabytes) may now be held."""
        self.max_pending = MAX_PENDING_BYTES

    def feed(self, data: bytes) -> list[Message]:
        """Every message completed by `data`; a partial chunk stays buffered for the next call."""
        self._buffer += data
        messages: list[Message] = []
        pos = 0
        while True:
            result = self._chunk(pos)
            if result is None:
                break
            pos, message = result
            if message is None:
                continue
            if message.type_id == SET_CHUNK_SIZE and len(message.payload) >= 4:
                size = struct.unpack(">I", message.payload[:4])[0] & 0x7FFFFFFF
                if not 1 <= size <= MAX_CHUNK_SIZE:
                    raise RtmpProtocolError(f"chunk size {size} (the sandbox takes 1 to {MAX_CHUNK_SIZE})")
                self.chunk_size = size
            elif message.type_id == ABORT and len(message.payload) >= 4:
                aborted = self._streams.get(struct.unpack(">I", message.payload[:4])[0])
                if aborted is not None and aborted.body is not None:
                    self._pending -= len(aborted.body)
                    aborted.body = None
            messages.append(message)
        del self._buffer[:pos]
        return messages

    def _chunk(self, pos: int) -> tuple[int, Message | None] | None:
        """Parse one chunk at `pos`: (next position, a completed message or None), or None if incomplete.

        A chunk's body is taken as it arrives, so what waits in the buffer is at most a header: the
        bytes held are the unfinished messages' (bounded by max_pending), whatever the chunk size."""
        buf = self._buffer
        if pos >= len(buf):
            return None
        if self._in_chunk is not None:
            return self._take_body(self._in_chunk[0], pos, self._in_chunk[1])
        fmt, csid = buf[pos] >> 6, buf[pos] & 0x3F
        pos += 1
        if csid < 2:
            extra = 1 if csid == 0 else 2
            if pos + extra > len(buf):
                return None
            csid = 64 + buf[pos] + (buf[pos + 1] * 256 if extra == 2 else 0)
            pos += extra
        header_size = _HEADER_SIZES[fmt]
        if pos + header_size > len(buf):
            return None
        stream = self._streams.get(csid)
        if stream is None:
            if fmt != 0:
                raise RtmpProtocolError(f"chunk stream {csid} starts without a full header")
            if len(self._streams) >= MAX_CHUNK_STREAMS:
                raise RtmpProtocolError(f"more than {MAX_CHUNK_STREAMS} chunk streams")
            stream = self._streams[csid] = _ChunkStream()
        starts_message = stream.body is None
        if fmt < 2 and not starts_message:
            raise RtmpProtocolError(f"a new message header on chunk stream {csid} before its message ended")
        header = bytes(buf[pos : pos + header_size])
        pos += header_size
        stamp = int.from_bytes(header[0:3], "big") if fmt < 3 else 0
        extended = stamp == _EXTENDED if fmt < 3 else stream.extended
        if extended:
            if pos + 4 > len(buf):
                return None
            stamp = struct.unpack(">I", buf[pos : pos + 4])[0]
            pos += 4
        # From here on the chunk's header is complete: only its body may still be missing.
        length = int.from_bytes(header[3:6], "big") if fmt < 2 else stream.length
        if length > MAX_MESSAGE_SIZE:  # before waiting for (and holding) any of its body
            raise RtmpProtocolError(f"message of {length} bytes")
        remaining = length - (len(stream.body) if stream.body is not None else 0)
        take = min(self.chunk_size, remaining)
        if fmt == 0:
            # The absolute timestamp also serves as the delta of type-3 headers that follow (FFmpeg's reader).
            stream.timestamp, stream.delta = stamp, stamp
            stream.stream_id = struct.unpack("<I", header[7:11])[0]
        elif fmt in (1, 2):
            stream.delta = stamp
            stream.timestamp += stamp
        elif starts_message:
            stream.timestamp += stream.delta
        if fmt < 2:
            stream.length, stream.type_id = length, header[6]
        stream.extended = extended
        if stream.body is None:
            stream.body = bytearray()
        return self._take_body(stream, pos, take)

    def _take_body(self, stream: _ChunkStream, pos: int, left: int) -> tuple[int, Message | None]:
        """Up to `left` body bytes of the current chunk; the message when its last byte is in."""
        assert stream.body is not None
        got = min(left, len(self._buffer) - pos)
        stream.body += self._buffer[pos : pos + got]
        pos += got
        self._pending += got
        if len(stream.body) < stream.length:
            if self._pending > self.max_pending:
                raise RtmpProtocolError(f"more than {self.max_pending} bytes in unfinished messages")
            self._in_chunk = (stream, left - got) if got < left else None
            return pos, None
        self._in_chunk = None
        self._pending -= len(stream.body)
        message = Message(stream.type_id, stream.stream_id, stream.timestamp & 0xFFFFFFFF, bytes(stream.body))
        stream.body = None
        return pos, message


def encode_message(message: Message, chunk_size: int, csid: int = 3) -> bytes:
    """One message as chunks (type 0 header, then type 3 continuations)."""
    stamp = message.timestamp
    extended = stamp >= _EXTENDED
    head = bytes([csid & 0x3F]) + (min(stamp, _EXTENDED)).to_bytes(3, "big")
    head += len(message.payload).to_bytes(3, "big") + bytes([message.type_id]) + struct.pack("<I", message.stream_id)
    ext = struct.pack(">I", stamp) if extended else b""
    out = bytearray(head + ext)
    payload = message.payload
    out += payload[:chunk_size]
    for start in range(chunk_size, len(payload), chunk_size):
        out += bytes([0xC0 | (csid & 0x3F)]) + ext + payload[start : start + chunk_size]
    return bytes(out)
