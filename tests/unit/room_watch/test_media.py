"""Previews and levels of what arrives, with real PyAV: RGBA pictures → JPEG, 16-bit PCM → dBFS."""

from __future__ import annotations

import io

import av
import numpy

from ingress_studio.media.thumbnails import Thumbnailer
from ingress_studio.room_watch.pictures import rgba_to_jpeg
from ingress_studio.room_watch.sound_levels import SoundLevels


def test_an_rgba_picture_becomes_a_scaled_jpeg() -> None:
    rgba = numpy.zeros((720, 1280, 4), dtype=numpy.uint8)
    rgba[:, :640, 0] = 255  # left half red
    result = rgba_to_jpeg(Thumbnailer(320), rgba.tobytes(), 1280, 720)
    assert result is not None
    jpeg, width, height = result
    assert (width, height) == (320, 180) and jpeg.startswith(b"\xff\xd8")
    with av.open(io.BytesIO(jpeg)) as container:
        picture = next(container.decode(video=0)).to_ndarray(format="rgb24")
    assert picture.shape == (180, 320, 3)
    assert picture[90, 40, 0] > 200 and picture[90, 280, 0] < 50


def test_levels_per_channel_in_dbfs() -> None:
    samples = numpy.zeros((480, 2), dtype=numpy.int16)
    samples[:, 0] = 16384  # half scale on the left: -6 dB; the right is silent
    levels = SoundLevels().add(samples.tobytes(), 48000, 2)
    assert levels == {"event": "levels", "peak_db": [-6.0, -90.0], "rms_db": [-6.0, -90.0]}


def test_the_seconds_levels_are_taken_apart_from_the_levels_events() -> None:
    meter = SoundLevels(max_per_second=1e-9)  # only the first frame makes a levels event
    quiet = numpy.full(480, 1638, dtype=numpy.int16)  # -26 dB, mono
    assert meter.add(quiet.tobytes(), 48000, 1) is not None
    assert meter.add((quiet * 10).tobytes(), 48000, 1) is None
    assert meter.second() == {"peak_db": [-6.0], "rms_db": [-9.0]}
    assert meter.second() is None
