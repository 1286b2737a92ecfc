"""Reading the clock stamp off pictures as the rtc SDK hands them over (RGBA or I420 buffers)."""

from __future__ import annotations

import av
import numpy

from ingress_studio.media import clock_stamp
from ingress_studio.room_watch.picture_stamps import StampReader, stamp_of

STAMP = 0x1234_5678


def _stamped(width: int, height: int) -> av.VideoFrame:
    rng = numpy.random.default_rng(3)
    picture = av.VideoFrame.from_ndarray(rng.integers(0, 256, (height, width, 3), numpy.uint8), format="rgb24")
    return clock_stamp.draw(picture.reformat(format="yuv420p"), STAMP)


def test_a_stamp_is_read_from_rgba_and_from_i420() -> None:
    frame = _stamped(640, 360)
    rgba = frame.to_ndarray(format="rgba").tobytes()
    assert stamp_of(rgba, 640, 360, rgba=True) == STAMP
    i420 = frame.to_ndarray(format="yuv420p").tobytes()  # packed planes, as the SDK's I420 buffers
    assert stamp_of(i420, 640, 360, rgba=False) == STAMP


def test_a_simulcast_layer_half_the_size_is_read_too() -> None:
    small = _stamped(1280, 720).reformat(width=640, height=360, interpolation="BILINEAR")
    assert stamp_of(small.to_ndarray(format="yuv420p").tobytes(), 640, 360, rgba=False) == STAMP


def test_an_unstamped_picture_gives_no_latency() -> None:
    blank = bytes(640 * 360 * 4)
    assert StampReader().latency_ms(blank, 640, 360, rgba=True) is None
    assert stamp_of(bytes(16 * 16 * 4), 16, 16, rgba=True) is None  # too small to carry one


def test_a_few_readings_a_second_not_one_per_picture() -> None:
    i420 = _stamped(640, 360).to_ndarray(format="yuv420p").tobytes()
    reader = StampReader(reads_per_second=1.0)
    readings = [reader.latency_ms(i420, 640, 360, rgba=False) for _ in range(30)]
    assert readings[0] is not None and readings[1:] == [None] * 29
