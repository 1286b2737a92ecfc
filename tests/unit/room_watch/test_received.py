"""Each second's `stats` from the counters, on a clock the test moves."""

from __future__ import annotations

from ingress_studio.room_watch.received import Received


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_before_the_participant_arrives() -> None:
    clock = Clock()
    received = Received(clock)
    clock.now += 1.0
    assert received.tick(None, None, None, has_video=False, has_audio=False) == {
        "event": "stats",
        "elapsed": 1.0,
        "present": False,
        "video": None,
        "audio": None,
        "since_last_frame_s": None,
        "join_s": None,
        "first_frame_s": None,
        "latency_ms": None,
        "latency_p50_ms": None,
        "latency_p95_ms": None,
    }


def test_rates_over_the_last_second() -> None:
    clock = Clock()
    received = Received(clock)
    clock.now += 0.25
    received.joined()
    received.present = True
    assert received.tick(1000, 500, None, has_video=True, has_audio=True)["video"]["bitrate"] is None  # type: ignore[index]
    for _ in range(30):
        clock.now += 1 / 30
        received.picture(1280, 720)
    received.sound(48000, 2)
    clock.now += 0.1
    levels = {"peak_db": [-12.0, -14.0], "rms_db": [-20.0, -22.0]}
    stats = received.tick(1000 + 300_000, 500 + 12_000, levels, has_video=True, has_audio=True)
    assert stats["video"] == {"width": 1280, "height": 720, "fps": 27.27, "bitrate": 2_181_818, "frames": 30}
    assert stats["audio"] == {"peak_db": [-12.0, -14.0], "rms_db": [-20.0, -22.0], "bitrate": 87_273,
                              "sample_rate": 48000, "channels": 2}  # fmt: skip
    assert stats["since_last_frame_s"] == 0.1 and stats["join_s"] == 0.25 and stats["first_frame_s"] == 0.283


def test_a_second_without_audio_is_silence_and_a_reset_count_no_rate() -> None:
    clock = Clock()
    received = Received(clock)
    received.sound(48000, 2)
    clock.now += 1
    received.tick(5000, 5000, None, has_video=True, has_audio=True)
    clock.now += 1
    stats = received.tick(10, 6000, None, has_video=True, has_audio=True)  # a new track starts again from 0
    assert stats["video"]["bitrate"] is None  # type: ignore[index]
    assert stats["audio"]["peak_db"] == [-90.0, -90.0] and stats["audio"]["bitrate"] == 8000  # type: ignore[index]


def test_latency_from_clock_stamps_over_the_last_ten_seconds() -> None:
    clock = Clock()
    received = Received(clock)
    for latency in (400, 100, 120, 180):
        clock.now += 4.0
        received.stamp(latency)
    stats = received.tick(None, None, None, has_video=True, has_audio=False)
    # the 400 ms reading is 12 s old: out of the window
    assert (stats["latency_ms"], stats["latency_p50_ms"], stats["latency_p95_ms"]) == (180, 120, 180)
    clock.now += 11
    assert received.tick(None, None, None, has_video=True, has_audio=False)["latency_ms"] is None
