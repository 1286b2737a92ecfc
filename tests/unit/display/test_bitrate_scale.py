"""The bitrate graph's scale lands on round kbps values just above the highest point."""

from __future__ import annotations

import pytest

from ingress_studio.display.bitrate_scale import BitrateScale, bitrate_scale


@pytest.mark.parametrize(
    ("highest", "top"),
    [
        (0, 500),  # nothing sent yet
        (300, 500),
        (454, 500),
        (455, 1000),  # with 10 % headroom, 500.5 no longer fits under 500
        (1800, 2000),
        (1900, 2500),  # a 1.9 Mbps preset
        (2250, 2500),
        (2300, 5000),
        (4500, 5000),
        (6000, 10000),
        (12000, 20000),
    ],
)
def test_the_top_of_the_scale(highest: float, top: int) -> None:
    assert bitrate_scale(highest).top_kbps == top


def test_the_lines_fall_on_round_values() -> None:
    assert bitrate_scale(1900) == BitrateScale(2500, (500, 1000, 1500, 2000, 2500))
    assert bitrate_scale(800) == BitrateScale(1000, (250, 500, 750, 1000))
    assert bitrate_scale(1500) == BitrateScale(2000, (500, 1000, 1500, 2000))
    assert bitrate_scale(0) == BitrateScale(500, (100, 200, 300, 400, 500))
