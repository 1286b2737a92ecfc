"""RTMP's building blocks on their own: chunk streams, AMF0, FLV bodies, stream keys."""

from __future__ import annotations

import struct

import pytest

from ingress_studio.sandbox import amf0
from ingress_studio.sandbox.flv_payloads import UnsupportedCodec, aac_config, parse_audio, parse_video
from ingress_studio.sandbox.rtmp_chunks import (
    AUDIO,
    MAX_MESSAGE_SIZE,
    PRE_PUBLISH_PENDING_BYTES,
    SET_CHUNK_SIZE,
    VIDEO,
    ChunkParser,
    Message,
    RtmpProtocolError,
    encode_message,
)
from ingress_studio.sandbox.rtmp_server import stream_key_from


def test_messages_survive_any_split_of_the_bytes() -> None:
    messages = [
        Message(SET_CHUNK_SIZE, 0, 0, struct.pack(">I", 300)),
        Message(VIDEO, 1, 40, bytes(range(256)) * 5),
        Message(AUDIO, 1, 0x1234567, b"\xaf\x01" + b"a" * 700),  # an extended timestamp
    ]
    wire = encode_message(messages[0], 128, csid=2)
    wire += encode_message(messages[1], 300, csid=6) + encode_message(messages[2], 300, csid=4)
    whole = ChunkParser().feed(wire)
    assert whole == messages
    parser = ChunkParser()
    byte_by_byte = [message for i in range(len(wire)) for message in parser.feed(wire[i : i + 1])]
    assert byte_by_byte == messages


def test_a_huge_chunk_is_taken_as_it_arrives_not_buffered_whole() -> None:
    """A peer announcing 8 MB chunks cannot make the parser wait for (and hold) 8 MB of one chunk."""
    parser = ChunkParser()
    parser.feed(encode_message(Message(SET_CHUNK_SIZE, 0, 0, struct.pack(">I", MAX_MESSAGE_SIZE)), 128, csid=2))
    parser.accept_media()
    keyframe = Message(VIDEO, 1, 0, bytes(range(256)) * (4 * 1024 * 4))  # 4 MiB in a single chunk
    wire = encode_message(keyframe, MAX_MESSAGE_SIZE, csid=6)
    got: list[Message] = []
    most_held = 0
    for start in range(0, len(wire), 65536):
        got += parser.feed(wire[start : start + 65536])
        most_held = max(most_held, parser.held_bytes)
    assert got == [keyframe]
    assert most_held <= len(keyframe.payload) and parser.held_bytes == 0


def test_before_a_publish_only_small_messages_may_be_held() -> None:
    parser = ChunkParser()
    big = encode_message(Message(VIDEO, 1, 0, bytes(PRE_PUBLISH_PENDING_BYTES * 2)), 128, csid=6)
    with pytest.raises(RtmpProtocolError, match="unfinished messages"):
        parser.feed(big)
    accepted = ChunkParser()
    accepted.accept_media()
    assert len(accepted.feed(big)) == 1


def test_compressed_headers_carry_the_previous_ones_forward() -> None:
    # type 0 (full), then type 1 (delta + length + type), then type 3 (nothing: same again)
    first = bytes([0x04]) + (0).to_bytes(3, "big") + (2).to_bytes(3, "big") + bytes([AUDIO]) + struct.pack("<I", 1)
    second = bytes([0x44]) + (23).to_bytes(3, "big") + (3).to_bytes(3, "big") + bytes([AUDIO])
    third = bytes([0xC4])
    messages = ChunkParser().feed(first + b"ab" + second + b"cde" + third + b"fgh")
    assert [(m.timestamp, m.payload) for m in messages] == [(0, b"ab"), (23, b"cde"), (46, b"fgh")]


def test_a_stream_that_starts_mid_header_is_not_rtmp() -> None:
    with pytest.raises(RtmpProtocolError):
        ChunkParser().feed(bytes([0xC7]) + b"xxxx")


def test_amf0_round_trip() -> None:
    values = ["publish", 5.0, None, {"level": "status", "nested": {"ok": True}}, "key"]
    assert amf0.decode_all(amf0.encode(*values)) == values
    with pytest.raises(amf0.AmfError):
        amf0.decode_all(b"\x02\x00\x10abc")


def test_flv_bodies() -> None:
    config = parse_video(b"\x17\x00\x00\x00\x00" + b"avcC")
    assert config is not None and config.config and config.data == b"avcC"
    picture = parse_video(b"\x27\x01\x00\x00\x21" + b"nal")
    assert picture is not None and not picture.keyframe and picture.composition_ms == 0x21
    with pytest.raises(UnsupportedCodec, match="HEVC"):
        parse_video(b"\x90hvc1....")
    with pytest.raises(UnsupportedCodec, match=r"video codec mp4v$"):
        parse_video(b"\x90mp4v....")
    with pytest.raises(UnsupportedCodec, match=r"video codec 0x0a001b0d$"):  # bytes from the peer, not text
        parse_video(b"\x90\x0a\x00\x1b\x0d....")
    with pytest.raises(UnsupportedCodec, match="MP3"):
        parse_audio(b"\x2f\xff")
    assert aac_config(bytes([0x11, 0x90])) == (48000, 2)
    assert aac_config(bytes([0x12, 0x08])) == (44100, 1)


@pytest.mark.parametrize(
    ("name", "key"),
    [("KEY", "KEY"), ("x/KEY", "KEY"), ("live/sub/KEY?token=1", "KEY"), ("KEY/", "KEY"), ("", "")],
)
def test_the_stream_key_is_the_last_path_segment(name: str, key: str) -> None:
    assert stream_key_from(name) == key


def test_broken_or_hostile_chunk_streams_are_refused_not_obeyed() -> None:
    audio = bytes([0x04]) + (0).to_bytes(3, "big") + (300).to_bytes(3, "big") + bytes([AUDIO]) + struct.pack("<I", 1)
    # a new full header on a chunk stream whose message has not ended
    with pytest.raises(RtmpProtocolError, match="before its message ended"):
        ChunkParser().feed(audio + b"x" * 128 + audio + b"y" * 128)
    # many chunk streams, each holding an unfinished message
    parser = ChunkParser()
    with pytest.raises(RtmpProtocolError, match="chunk streams"):
        for csid in range(3, 200):
            parser.feed(bytes([csid & 0x3F]) if csid < 64 else bytes([0, csid - 64]))
            parser.feed(audio[1:] + b"x" * 128)
    # unfinished messages adding up to more than the sandbox holds
    parser = ChunkParser()
    parser.feed(encode_message(Message(SET_CHUNK_SIZE, 0, 0, struct.pack(">I", 1 << 20)), 128))
    big = bytes([0x04]) + (0).to_bytes(3, "big") + (8 << 20).to_bytes(3, "big") + bytes([VIDEO]) + struct.pack("<I", 1)
    with pytest.raises(RtmpProtocolError, match="unfinished messages"):
        for csid in range(4, 40):
            parser.feed(bytes([csid]) + big[1:] + b"v" * (1 << 20))


def test_sizes_are_refused_when_the_header_arrives_not_once_the_body_is_buffered() -> None:
    def announcing(length: int, csid: int = 6) -> bytes:
        return bytes([csid]) + bytes(3) + length.to_bytes(3, "big") + bytes([VIDEO]) + struct.pack("<I", 1)

    # A chunk size as large as a message may be: then a header announcing 16 MB, and not one byte of its body.
    parser = ChunkParser()
    parser.feed(encode_message(Message(SET_CHUNK_SIZE, 0, 0, struct.pack(">I", MAX_MESSAGE_SIZE)), 128, csid=2))
    with pytest.raises(RtmpProtocolError, match="message of 16777215 bytes"):
        parser.feed(announcing(0xFFFFFF))
    # the same on a type 1 header (length and type, no stream id)
    parser = ChunkParser()
    parser.feed(announcing(10) + b"x" * 10)
    with pytest.raises(RtmpProtocolError, match="message of 16777215 bytes"):
        parser.feed(bytes([0x46]) + bytes(3) + (0xFFFFFF).to_bytes(3, "big") + bytes([VIDEO]))
    # a chunk size no message could fill
    with pytest.raises(RtmpProtocolError, match="chunk size"):
        ChunkParser().feed(encode_message(Message(SET_CHUNK_SIZE, 0, 0, struct.pack(">I", 0x7FFFFFFF)), 128, csid=2))
    # the largest message the sandbox takes still passes, in chunks of any allowed size
    whole = Message(VIDEO, 1, 0, b"v" * MAX_MESSAGE_SIZE)
    parser = ChunkParser()
    wire = encode_message(Message(SET_CHUNK_SIZE, 0, 0, struct.pack(">I", MAX_MESSAGE_SIZE)), 128, csid=2)
    assert parser.feed(wire + encode_message(whole, MAX_MESSAGE_SIZE, csid=6))[1:] == [whole]


def test_deeply_nested_amf0_is_an_amf_error() -> None:
    nested = b"\x0a\x00\x00\x00\x01" * 5000 + b"\x05"
    with pytest.raises(amf0.AmfError, match="nested"):
        amf0.decode_all(nested)
