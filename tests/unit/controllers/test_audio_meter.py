"""Meter ballistics over a clock the tests advance: rise at once, fall at the decay rate, hold, clipping latch."""

from __future__ import annotations

import pytest

from ingress_studio.controllers.audio_meter import (
    CLIP_LATCH_S,
    DECAY_DB_PER_S,
    FRESH_S,
    HOLD_S,
    AudioMeter,
    ChannelReading,
)
from ingress_studio.controllers.meter_scale import FLOOR_DB, Zone


def test_a_reading_shows_at_once_per_channel() -> None:
    meter = AudioMeter()
    meter.feed((-6.0, -25.0), (-12.0, -31.0), now=10.0)
    left, right = meter.readings
    assert left == ChannelReading(peak_db=-6.0, rms_db=-12.0, hold_db=-6.0, clipping=False)
    assert (right.peak_db, right.rms_db, right.hold_db) == (-25.0, -31.0, -25.0)
    assert (left.zone, right.zone) == (Zone.RED, Zone.GREEN)
    assert not meter.settled


def test_steady_readings_hold_the_bars_still() -> None:
    meter = AudioMeter()
    for step in range(20):
        meter.feed((-12.0,), (-18.0,), now=step / 15)
        meter.advance(step / 15 + 1 / 30)
        assert meter.readings[0].peak_db == -12.0 and meter.readings[0].rms_db == -18.0


def test_a_lower_reading_lets_the_bar_fall_at_the_decay_rate_not_jump() -> None:
    meter = AudioMeter()
    meter.feed((-3.0,), (-9.0,), now=0.0)
    meter.feed((-40.0,), (-45.0,), now=0.1)
    assert meter.readings[0].peak_db == -3.0  # the last reading stood until this one came
    reading = meter.advance(0.2)[0]
    assert reading.peak_db == pytest.approx(-3.0 - DECAY_DB_PER_S * 0.1)
    assert reading.rms_db == pytest.approx(-9.0 - DECAY_DB_PER_S * 0.1)
    for step in range(2, 30):  # the same reading, 15 a second, for about 2 s
        meter.feed((-40.0,), (-45.0,), now=step / 15)
    assert meter.readings[0].peak_db == -40.0  # fell to the new reading, and stays there


def test_the_peak_is_held_then_decays_to_the_floor_when_readings_stop() -> None:
    meter = AudioMeter()
    meter.feed((-10.0,), (-20.0,), now=0.0)
    meter.advance(HOLD_S - 0.1)
    held = meter.readings[0]
    assert held.hold_db == -10.0  # still held
    assert held.peak_db == pytest.approx(-10.0 - DECAY_DB_PER_S * (HOLD_S - 0.1 - FRESH_S))  # bars fall meanwhile
    meter.advance(HOLD_S + 0.5)
    assert meter.readings[0].hold_db == pytest.approx(-10.0 - DECAY_DB_PER_S * 0.5)  # falling after the hold
    meter.advance(HOLD_S + 0.5 + 50 / DECAY_DB_PER_S)
    assert meter.readings[0] == ChannelReading(FLOOR_DB, FLOOR_DB, FLOOR_DB, False)
    assert meter.settled


def test_a_new_higher_peak_restarts_the_hold() -> None:
    meter = AudioMeter()
    meter.feed((-20.0,), (-30.0,), now=0.0)
    meter.feed((-8.0,), (-30.0,), now=1.0)
    meter.feed((-30.0,), (-35.0,), now=2.0)
    assert meter.readings[0].hold_db == -8.0  # 1 s after -8 dBFS: held
    meter.advance(1.0 + HOLD_S + 0.2)
    assert meter.readings[0].hold_db == pytest.approx(-8.0 - DECAY_DB_PER_S * 0.2)


def test_clipping_latches_for_three_seconds_after_the_last_clipping_peak() -> None:
    meter = AudioMeter()
    meter.feed((-0.5, -6.0), (-3.0, -9.0), now=0.0)
    assert [reading.clipping for reading in meter.readings] == [True, False]
    meter.feed((-12.0, -12.0), (-18.0, -18.0), now=1.0)
    meter.advance(CLIP_LATCH_S - 0.01)
    assert meter.readings[0].clipping  # still lit though the level dropped
    meter.advance(CLIP_LATCH_S)
    assert not meter.readings[0].clipping


def test_a_reset_puts_the_clipping_light_out_at_once() -> None:
    meter = AudioMeter()
    meter.feed((0.0,), (-1.0,), now=0.0)
    meter.reset_clipping()
    assert not meter.readings[0].clipping
    meter.feed((2.0,), (-1.0,), now=0.1)  # over full scale: clipping again, the bar at the top
    assert meter.readings[0].clipping and meter.readings[0].peak_db == 0.0


def test_the_channel_count_follows_the_readings() -> None:
    meter = AudioMeter()
    assert len(meter.readings) == 2 and meter.settled
    meter.feed((-12.0,), (-20.0,), now=0.0)
    assert len(meter.readings) == 1
    meter.feed((-12.0, -14.0, -16.0), (-20.0,), now=0.1)
    assert [reading.rms_db for reading in meter.readings][1:] == [FLOOR_DB, FLOOR_DB]  # no RMS given: silence
    meter.clear()
    assert meter.readings == (ChannelReading(FLOOR_DB, FLOOR_DB, FLOOR_DB, False),) * 2


def test_silence_is_the_floor_and_settles_at_once() -> None:
    meter = AudioMeter()
    meter.feed((-90.0, -90.0), (-90.0, -90.0), now=0.0)
    assert meter.settled and meter.readings[0].peak_db == FLOOR_DB
