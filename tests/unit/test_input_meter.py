"""The input meter reports what arrives now: a frame rate only while pictures keep coming."""

from __future__ import annotations

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.sandbox.input_meter import FRAME_RATE_STALE_S, InputMeter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def measured(meter: InputMeter) -> ingress_pb.IngressState:
    state = ingress_pb.IngressState()
    meter.write_to(state)
    return state


def test_the_frame_rate_is_cleared_once_pictures_stop_and_comes_back_with_them() -> None:
    clock = Clock()
    meter = InputMeter(clock=clock)
    meter.codec("video", "video/H264")
    for index in range(90):  # 3 s at 30 fps
        clock.now += 1 / 30
        meter.packet("video", 1000, index / 30)
    assert measured(meter).video.framerate == pytest.approx(30, abs=0.5)
    clock.now += FRAME_RATE_STALE_S - 0.5  # a short gap: still the stream's rate
    assert measured(meter).video.framerate == pytest.approx(30, abs=0.5)
    clock.now += 1.0  # the publisher stalled: no rate, but what arrived is still reported
    stalled = measured(meter)
    assert stalled.video.framerate == 0
    assert stalled.video.mime_type == "video/H264" and stalled.video.average_bitrate > 0
    for index in range(90, 120):
        clock.now += 1 / 30
        meter.packet("video", 1000, index / 30)
    assert measured(meter).video.framerate > 0
