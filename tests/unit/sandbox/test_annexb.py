"""RTMP's AVCC H.264 → Annex-B, checked against what libx264 itself writes (PyAV)."""

from __future__ import annotations

import io

import av
import pytest

from ingress_studio.sandbox.annexb import START_CODE, AvccError, parse_avcc, to_annexb


def flv_h264() -> tuple[bytes, list[tuple[bytes, bool]]]:
    """Ten pictures from libx264 as RTMP carries them: muxed to FLV and read back (AVCC, avcC record)."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="flv") as output:
        stream = output.add_stream("libx264", rate=30, options={"preset": "ultrafast", "g": "5", "bf": "0"})
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for number in range(10):
            frame = av.VideoFrame(64, 64, "yuv420p")
            frame.pts = number
            output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    buffer.seek(0)
    with av.open(buffer, "r", format="flv") as source:
        record = bytes(source.streams.video[0].codec_context.extradata or b"")
        packets = [(bytes(p), p.is_keyframe) for p in source.demux(video=0) if p.size]
    return record, packets


def test_every_idr_gets_the_parameter_sets_and_start_codes() -> None:
    record, packets = flv_h264()
    config = parse_avcc(record)
    assert config.length_size == 4
    assert config.parameter_sets.startswith(START_CODE + b"\x67")  # an SPS NAL unit
    decoder = av.CodecContext.create("h264", "r")  # Annex-B only: no extradata given
    pictures = 0
    for data, keyframe in packets:
        annexb, idr = to_annexb(data, config)
        assert idr == keyframe
        assert annexb.startswith(config.parameter_sets if idr else START_CODE)
        pictures += len(decoder.decode(av.Packet(annexb)))
    assert pictures + len(decoder.decode(None)) == 10


def test_a_broken_record_or_packet_is_refused() -> None:
    with pytest.raises(AvccError):
        parse_avcc(b"\x01\x64")
    record, _packets = flv_h264()
    with pytest.raises(AvccError):
        to_annexb(b"\x00\x00\x10\x00\x65", parse_avcc(record))  # a length past the end
