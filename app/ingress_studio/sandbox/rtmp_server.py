"""The sandbox's RTMP endpoint: accepts a publish on an RTMP ingress's stream key and meters it.

Like the ingress service, the stream key is the last path segment of the publish name (so both
`rtmp://host/x` + key and `rtmp://host/x/KEY` work), the app name is not checked, and video is
dropped until the first keyframe. A refused publish gets an onStatus error naming the reason,
then the connection is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
import time
from typing import Any

from livekit.protocol import ingress as ingress_pb

from ingress_studio.sandbox import amf0
from ingress_studio.sandbox.flv_payloads import Payload, UnsupportedCodec, parse_audio, parse_video
from ingress_studio.sandbox.input_meter import mime_type_for
from ingress_studio.sandbox.live_session import LiveSession
from ingress_studio.sandbox.live_sessions import LiveSessions, Refused
from ingress_studio.sandbox.rtmp_chunks import (
    ACKNOWLEDGEMENT,
    AUDIO,
    COMMAND_AMF0,
    COMMAND_AMF3,
    SET_CHUNK_SIZE,
    SET_PEER_BANDWIDTH,
    USER_CONTROL,
    VIDEO,
    WINDOW_ACK_SIZE,
    ChunkParser,
    Message,
    RtmpProtocolError,
    encode_message,
)

log = logging.getLogger(__name__)

HANDSHAKE_SIZE = 1536
HANDSHAKE_TIMEOUT_S = 10.0
PUBLISH_TIMEOUT_S = 30.0  # a connection that has not published by then is closed
OUT_CHUNK_SIZE = 4096
ACK_WINDOW = 2_500_000
STREAM_ID = 1
MISSING_KEY = "missing stream key"


def stream_key_from(publish_name: str) -> str:
    return publish_name.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class RtmpConnection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, sessions: LiveSessions) -> None:
        self._reader, self._writer = reader, writer
        self._sessions = sessions
        self._parser = ChunkParser()
        self._received = 0
        self._acked = 0
        self._window = ACK_WINDOW
        self._session: LiveSession | None = None
        self._seen_keyframe = False
        self._peer = writer.get_extra_info("peername")

    async def serve(self) -> None:
        try:
            await asyncio.wait_for(self._handshake(), HANDSHAKE_TIMEOUT_S)
            publish_by = time.monotonic() + PUBLISH_TIMEOUT_S
            while True:
                # Until a publish is accepted the connection has a deadline; after that the session's
                # no-media watchdog decides (and closes the connection).
                wait = None if self._session is not None else max(0.1, publish_by - time.monotonic())
                data = await asyncio.wait_for(self._reader.read(65536), wait)
                if not data:
                    break
                self._count(len(data))
                for message in self._parser.feed(data):
                    self._handle(message)
                await self._writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, TimeoutError) as exc:
            log.debug("RTMP connection from %s ended: %r", self._peer, exc)
        except RtmpProtocolError as exc:
            log.info("RTMP connection from %s dropped: %s", self._peer, exc)
        except _Closing:
            pass
        except Exception:  # a bug must cost this connection only, and say where
            log.exception("RTMP connection from %s failed", self._peer)
            if self._session is not None:
                self._sessions.end(self._session, ingress_pb.IngressState.Status.ENDPOINT_ERROR, "internal error")
        finally:
            if self._session is not None:
                self._sessions.end_normally(self._session)
            self._close()

    async def _handshake(self) -> None:
        c0c1 = await self._reader.readexactly(1 + HANDSHAKE_SIZE)
        if c0c1[0] != 3:
            raise RtmpProtocolError(f"RTMP version {c0c1[0]} (not RTMP)")
        s1 = struct.pack(">I", int(time.monotonic() * 1000) & 0xFFFFFFFF) + bytes(4) + os.urandom(HANDSHAKE_SIZE - 8)
        # S2 echoes C1; a zero version field in S1 tells FFmpeg/OBS to skip digest checks.
        self._writer.write(b"\x03" + s1 + c0c1[1:])
        await self._writer.drain()
        await self._reader.readexactly(HANDSHAKE_SIZE)  # C2

    def _count(self, size: int) -> None:
        self._received += size
        if self._received - self._acked >= self._window:
            self._acked = self._received
            self._send(Message(ACKNOWLEDGEMENT, 0, 0, struct.pack(">I", self._received & 0xFFFFFFFF)), csid=2)

    def _send(self, message: Message, csid: int = 3) -> None:
        self._writer.write(encode_message(message, OUT_CHUNK_SIZE, csid))

    def _command(self, stream_id: int, *values: Any) -> None:
        self._send(Message(COMMAND_AMF0, stream_id, 0, amf0.encode(*values)), csid=3 if stream_id == 0 else 5)

    def _handle(self, message: Message) -> None:
        if message.type_id in (AUDIO, VIDEO):
            self._media(message)
        elif message.type_id in (COMMAND_AMF0, COMMAND_AMF3):
            payload = message.payload[1:] if message.type_id == COMMAND_AMF3 else message.payload
            try:
                values = amf0.decode_all(payload)
            except amf0.AmfError as exc:
                raise RtmpProtocolError(str(exc)) from exc
            if values and isinstance(values[0], str):
                self._on_command(values[0], values[1:], message.stream_id)
        elif message.type_id == WINDOW_ACK_SIZE and len(message.payload) >= 4:
            self._window = max(1, struct.unpack(">I", message.payload[:4])[0])

    def _on_command(self, name: str, args: list[Any], stream_id: int) -> None:
        transaction = args[0] if args else 0
        if name == "connect":
            self._send(Message(WINDOW_ACK_SIZE, 0, 0, struct.pack(">I", ACK_WINDOW)), csid=2)
            self._send(Message(SET_PEER_BANDWIDTH, 0, 0, struct.pack(">IB", ACK_WINDOW, 2)), csid=2)
            self._send(Message(SET_CHUNK_SIZE, 0, 0, struct.pack(">I", OUT_CHUNK_SIZE)), csid=2)
            self._command(
                0,
                "_result",
                transaction,
                {"fmsVer": "FMS/3,0,1,123", "capabilities": 31},
                {
                    "level": "status",
                    "code": "NetConnection.Connect.Success",
                    "description": "Connection succeeded.",
                    "objectEncoding": 0,
                },
            )
        elif name == "createStream":
            self._command(0, "_result", transaction, None, STREAM_ID)
        elif name in ("releaseStream", "FCPublish"):
            self._command(0, "_result", transaction, None)
        elif name == "publish":
            self._on_publish(str(args[2]) if len(args) > 2 and args[2] is not None else "", stream_id)
        elif name in ("FCUnpublish", "deleteStream", "closeStream"):
            raise _Closing

    def _on_publish(self, publish_name: str, stream_id: int) -> None:
        key = stream_key_from(publish_name)
        try:
            if self._session is not None:
                raise Refused((f"already publishing {self._session.ingress_id}", 0))
            if not key:
                raise Refused((MISSING_KEY, 400))
            self._session = self._sessions.start(key, ingress_pb.IngressInput.RTMP_INPUT, self._close)
            self._parser.accept_media()  # a key holder now: keyframes may be held while they arrive
        except Refused as exc:
            log.info("RTMP publish from %s refused: %s", self._peer, exc.message)
            self._status(stream_id, "error", "NetStream.Publish.BadName", exc.message)
            raise _Closing from exc
        # StreamBegin, then the status the publisher waits for before sending media.
        self._send(Message(USER_CONTROL, 0, 0, struct.pack(">HI", 0, stream_id)), csid=2)
        self._status(stream_id, "status", "NetStream.Publish.Start", f"{publish_name} is now published.")

    def _status(self, stream_id: int, level: str, code: str, description: str) -> None:
        self._command(stream_id, "onStatus", 0, None, {"level": level, "code": code, "description": description})

    def _media(self, message: Message) -> None:
        session = self._session
        if session is None:
            return
        try:
            payload = parse_video(message.payload) if message.type_id == VIDEO else parse_audio(message.payload)
        except UnsupportedCodec as exc:
            error = f"unsupported {exc} (RTMP ingest takes H.264 video and AAC audio)"
            self._sessions.end(session, ingress_pb.IngressState.Status.ENDPOINT_ERROR, error)
            self._session = None
            raise _Closing from exc
        if payload is not None:
            self._payload(session, payload, message.timestamp, len(message.payload))

    def _payload(self, session: LiveSession, payload: Payload, dts_ms: int, size: int) -> None:
        if payload.config:
            codec = "h264" if payload.kind == "video" else "aac"  # all RTMP ingest takes
            session.meter.codec(payload.kind, mime_type_for(codec, payload.kind))
            session.preview.configure(payload.kind, codec, payload.data)
            session.feed.configure(payload.kind, codec, payload.data)
            return
        if payload.kind == "video":
            if not (self._seen_keyframe or payload.keyframe):
                return  # like the ingress service: nothing before the first keyframe
            self._seen_keyframe = True
            session.meter.packet("video", size, dts_ms / 1000)
        else:
            session.meter.packet("audio", size)
        pts_ms = dts_ms + payload.composition_ms
        session.preview.packet(payload.kind, payload.data, payload.keyframe, dts_ms, pts_ms)
        session.feed.packet(payload.kind, payload.data, payload.keyframe, dts_ms, pts_ms)

    def _close(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()


class _Closing(Exception):
    """The conversation is over (the publisher stopped, or was refused)."""


def rtmp_handler(sessions: LiveSessions) -> Any:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await RtmpConnection(reader, writer, sessions).serve()

    return handle
