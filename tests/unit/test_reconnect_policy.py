"""The reconnect rhythm: 2 s, x1.5 each time, at most 5 % jitter, capped, 25 tries."""

from __future__ import annotations

import random

import pytest

from ingress_studio.media.reconnect import ReconnectPolicy


def test_delays_grow_by_half_with_small_jitter() -> None:
    policy = ReconnectPolicy()
    rng = random.Random(7)
    for attempt, base in enumerate([2.0, 3.0, 4.5, 6.75, 10.125], start=1):
        delay = policy.delay(attempt, rng)
        assert base <= delay <= base * 1.05


def test_delay_is_capped_and_tries_are_counted() -> None:
    policy = ReconnectPolicy(first_delay_s=2, max_delay_s=30, max_attempts=25)
    assert policy.delay(20, random.Random(1)) == pytest.approx(30, rel=0.05)
    assert not policy.gives_up_after(24)
    assert policy.gives_up_after(25)


def test_configurable() -> None:
    policy = ReconnectPolicy(first_delay_s=0.5, max_attempts=3)
    assert policy.delay(1, random.Random(0)) == pytest.approx(0.5, rel=0.05)
    assert policy.gives_up_after(3)
