"""The words and the progress under the preview: file, place in the playlist, position, time left."""

from __future__ import annotations

import pytest

from ingress_studio.controllers.playback_position import PlaybackPosition, short_name
from ingress_studio.display.time_text import clock_text


def test_a_playlist_says_which_file_where_and_how_long_is_left() -> None:
    position = PlaybackPosition(1, 3, "/videos/clip.mp4", 83.4, 296.0, 430.2)
    assert position.words == "clip.mp4 (2 of 3) · 01:23 / 04:56 · 07:10 left in the playlist"
    assert position.fraction == pytest.approx(83.4 / 296.0)
    assert not position.live


def test_one_file_needs_no_count_and_no_playlist() -> None:
    position = PlaybackPosition(0, 1, "talk.mkv", 4000.0, 5400.0, 1400.0)
    assert position.words == "talk.mkv · 1:06:40 / 1:30:00 · 23:20 left"


def test_a_looping_playlist_has_no_end_to_count_down_to() -> None:
    assert PlaybackPosition(0, 2, "a.mp4", 5.0, 10.0, None).words == "a.mp4 (1 of 2) · 00:05 / 00:10"


def test_a_live_source_has_no_progress() -> None:
    position = PlaybackPosition(0, 1, "camera:/dev/video0", 12.0, None, None)
    assert position.live and position.fraction is None
    assert position.words == "Live source"


@pytest.mark.parametrize(("position", "duration", "fraction"), [(-1.0, 10.0, 0.0), (12.0, 10.0, 1.0), (3.0, 0.0, 0.0)])
def test_the_fraction_stays_within_the_bar(position: float, duration: float, fraction: float) -> None:
    assert PlaybackPosition(0, 1, "x.mp4", position, duration, None).fraction == fraction


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00"), (59.9, "00:59"), (61, "01:01"), (3600, "1:00:00"), (-5, "00:00"), (float("nan"), "00:00")],
)
def test_clock_text(seconds: float, text: str) -> None:
    assert clock_text(seconds) == text


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("/a/b/clip.mp4", "clip.mp4"),
        ("C:\\Videos\\clip.mp4", "clip.mp4"),
        ("clip.mp4", "clip.mp4"),
        ("https://example.com/live/index.m3u8", "https://example.com/live/index.m3u8"),
    ],
)
def test_names_lose_their_folders_but_urls_stay_whole(name: str, shown: str) -> None:
    assert short_name(name) == shown
