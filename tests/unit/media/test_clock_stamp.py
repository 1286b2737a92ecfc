"""The clock stamp's format, drawn and read back, raw and through a real libx264 encode and decode."""

from __future__ import annotations

import fractions

import av
import numpy
import pytest

from ingress_studio.media import clock_stamp, wall_clock

STAMP = 0xA5C3_1E07  # both bit values at both ends, and runs of equal bits


def _pattern(width: int, height: int) -> av.VideoFrame:
    """A busy picture (testsrc2's kind of colour and edges), so the stamp must stand out from it."""
    rng = numpy.random.default_rng(7)
    rgb = rng.integers(0, 256, (height, width, 3), dtype=numpy.uint8)
    return av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")


def _encode_decode(frames: list[av.VideoFrame], width: int, height: int) -> list[av.VideoFrame]:
    encoder = av.CodecContext.create("libx264", "w")
    assert isinstance(encoder, av.VideoCodecContext)
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
    encoder.time_base = fractions.Fraction(1, 30)
    encoder.bit_rate = 1_000_000
    encoder.options = {"preset": "veryfast", "tune": "zerolatency"}
    decoder = av.CodecContext.create("h264", "r")
    decoded: list[av.VideoFrame] = []
    for index, frame in enumerate([*frames, None]):
        if frame is not None:
            frame.pts = index
        for packet in encoder.encode(frame):
            decoded.extend(f for f in decoder.decode(packet) if isinstance(f, av.VideoFrame))
    decoded.extend(f for f in decoder.decode(None) if isinstance(f, av.VideoFrame))
    return decoded


def test_the_drawn_blocks_are_the_specified_format() -> None:
    frame = clock_stamp.draw(_pattern(640, 360), STAMP)
    luma = frame.to_ndarray(format="gray")
    side = 640 // 32
    for bit in range(32):
        block = luma[:side, bit * side : (bit + 1) * side]
        if (STAMP >> (31 - bit)) & 1:
            assert block.min() >= 200
        else:
            assert block.max() <= 50
    assert luma[side:, :].std() > 30  # the picture below the stamp is untouched


@pytest.mark.parametrize(("width", "height"), [(640, 360), (1280, 720)])
def test_the_stamp_survives_a_libx264_round_trip(width: int, height: int) -> None:
    stamps = [STAMP + index * 33 for index in range(10)]
    frames = [clock_stamp.draw(_pattern(width, height), stamp) for stamp in stamps]
    decoded = _encode_decode(frames, width, height)
    assert [clock_stamp.read(frame) for frame in decoded] == stamps


@pytest.mark.parametrize(("width", "height"), [(640, 360), (854, 480), (320, 180)])
def test_the_stamp_is_read_after_scaling_to_another_size(width: int, height: int) -> None:
    frame = clock_stamp.draw(_pattern(1280, 720), STAMP)
    decoded = _encode_decode([frame], 1280, 720)[0]
    scaled = decoded.reformat(width=width, height=height, interpolation="BILINEAR")
    assert clock_stamp.read(scaled) == STAMP


def test_a_picture_without_a_stamp_reads_as_none() -> None:
    assert clock_stamp.read(_pattern(1280, 720)) is None
    for flat in (128, 0, 255):  # mid grey; a black or white top edge reads as 0 or 2**32-1: not a stamp either
        picture = av.VideoFrame.from_ndarray(numpy.full((360, 640), flat, numpy.uint8), format="gray")
        assert clock_stamp.read(picture.reformat(format="yuv420p")) is None


def test_any_pixel_format_can_be_stamped_and_read_from_rgb() -> None:
    rgb = av.VideoFrame.from_ndarray(numpy.zeros((360, 640, 3), numpy.uint8) + 90, format="rgb24")
    stamped = clock_stamp.draw(rgb, STAMP)
    assert stamped.format.name == "yuv420p"
    assert clock_stamp.read(stamped) == STAMP
    rgba = stamped.to_ndarray(format="rgba")
    assert clock_stamp.read_luma(clock_stamp.luma_of_rgb(rgba)) == STAMP


def test_drawing_on_a_decoded_picture_leaves_the_decoders_references_alone() -> None:
    """A decoder predicts later pictures from earlier ones: stamping one must not damage the next."""
    frames = [_pattern(640, 360) for _ in range(5)]
    decoded = _encode_decode(frames, 640, 360)
    before = decoded[1].to_ndarray(format="gray").copy()
    clock_stamp.draw(decoded[0], STAMP)
    assert numpy.array_equal(decoded[1].to_ndarray(format="gray"), before)


def test_latency_undoes_the_32_bit_wrap() -> None:
    assert wall_clock.latency_ms(0xFFFF_FF00, now_ms=(1 << 32) + 0x100) == 0x200
    assert wall_clock.latency_ms(1000, now_ms=1120) == 120
    assert wall_clock.latency_ms(1120, now_ms=1000) == -120  # clocks slightly apart
    assert 0 <= wall_clock.wall_clock_ms() < 1 << 32
