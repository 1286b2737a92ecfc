"""The stats panel's figures at and around OBS's thresholds, and their texts."""

from __future__ import annotations

import pytest

from ingress_studio.display.stats_figures import (
    Figure,
    Level,
    bitrate_text,
    cpu_text,
    data_text,
    encode_lag_figure,
    fps_figure,
    share_figure,
    uptime_text,
)


@pytest.mark.parametrize(
    ("fps", "level"),
    [
        (30.0, Level.OK),
        (28.5, Level.OK),  # exactly 95 %: not below it
        (28.49, Level.WARNING),
        (24.0, Level.WARNING),  # exactly 80 %
        (23.99, Level.DANGER),
        (0.0, Level.DANGER),
        (31.0, Level.OK),
    ],
)
def test_fps_against_the_target(fps: float, level: Level) -> None:
    assert fps_figure(fps, 30).level is level


def test_fps_texts() -> None:
    assert fps_figure(29.97, 30) == Figure("30.0 / 30 fps", Level.OK)
    assert fps_figure(20, 25.0).text == "20.0 / 25 fps"
    assert fps_figure(29.97, 29.97).text == "30.0 / 29.97 fps"
    assert fps_figure(12.0, None) == Figure("12.0 fps", Level.NONE)  # no target (remuxing an unknown rate)


@pytest.mark.parametrize(
    ("count", "total", "text", "level"),
    [
        (0, 0, "0 / 0 (0.0 %)", Level.OK),
        (0, 1000, "0 / 1000 (0.0 %)", Level.OK),
        (10, 1000, "10 / 1000 (1.0 %)", Level.OK),  # exactly 1 %: not above it
        (11, 1000, "11 / 1000 (1.1 %)", Level.WARNING),
        (50, 1000, "50 / 1000 (5.0 %)", Level.WARNING),  # exactly 5 %
        (51, 1000, "51 / 1000 (5.1 %)", Level.DANGER),
        (1000, 1000, "1000 / 1000 (100.0 %)", Level.DANGER),
        (1, 10001, "1 / 10001 (0.0 %)", Level.OK),
    ],
)
def test_skipped_and_dropped_frames_as_obs_shows_them(count: int, total: int, text: str, level: Level) -> None:
    assert share_figure(count, total) == Figure(text, level)


def test_a_share_just_above_one_percent_warns_though_its_text_rounds_to_it() -> None:
    assert share_figure(1001, 100_000) == Figure("1001 / 100000 (1.0 %)", Level.WARNING)


@pytest.mark.parametrize(
    ("ms", "level"),
    [
        (10.0, Level.OK),
        (24.9, Level.OK),  # under three quarters of a 30 fps frame's 33.3 ms
        (25.1, Level.WARNING),
        (33.3, Level.WARNING),
        (33.4, Level.DANGER),
    ],
)
def test_encode_lag_against_the_frame_interval(ms: float, level: Level) -> None:
    assert encode_lag_figure(ms, 30).level is level


def test_encode_lag_at_the_thresholds_of_25_fps() -> None:
    assert encode_lag_figure(30.0, 25) == Figure("30.0 ms of 40.0 ms", Level.OK)  # exactly 75 %
    assert encode_lag_figure(30.1, 25).level is Level.WARNING
    assert encode_lag_figure(40.0, 25).level is Level.WARNING  # exactly the interval
    assert encode_lag_figure(40.1, 25).level is Level.DANGER
    assert encode_lag_figure(5.0, None) == Figure("5.0 ms", Level.NONE)


def test_texts_of_cpu_data_bitrate_and_uptime() -> None:
    assert cpu_text(None) == "—" and cpu_text(34.56) == "34.6 %" and cpu_text(150.0) == "150.0 %"
    assert data_text(0) == "0.0 MiB" and data_text(5 * 1024 * 1024 + 100_000) == "5.1 MiB"
    assert data_text(1023 * 1024 * 1024) == "1023.0 MiB" and data_text(1536 * 1024 * 1024) == "1.50 GiB"
    assert bitrate_text(0) == "0 kbps" and bitrate_text(2_058_400) == "2058 kbps"
    assert bitrate_text(9_999_000) == "9999 kbps" and bitrate_text(10_000_000) == "10.0 Mbps"
    assert uptime_text(0) == "0:00:00" and uptime_text(65.9) == "0:01:05" and uptime_text(3725) == "1:02:05"
    assert uptime_text(-3) == "0:00:00"
