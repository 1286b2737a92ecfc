"""A reader's share of the stats: frames a live source skips when nobody takes them, and the place of each item."""

from __future__ import annotations

import queue
import time
from pathlib import Path

import pytest

from ingress_studio.media.reader import InputReader, MediaItem
from ingress_studio.media.stats import JobStats
from support.media_files import make_media
from support.readers import reader_of


def drain(reader: InputReader) -> list[MediaItem]:
    items = []
    while True:
        try:
            entry = reader.queue.get_nowait()
        except queue.Empty:
            return items
        if isinstance(entry, MediaItem):
            items.append(entry)


def test_a_live_source_nobody_takes_from_skips_frames_and_counts_them() -> None:
    stats = JobStats()
    reader = reader_of(["test:"], stats)
    reader.start()
    deadline = time.monotonic() + 15
    while stats.frames_skipped < 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    reader.cancel()
    reader.join(5)
    queued = sum(1 for item in drain(reader) if item.kind == "video")
    assert stats.frames_skipped >= 10
    # every frame read was either queued or skipped (a stop may interrupt one, and the end may displace one)
    assert 0 <= stats.frames_in - stats.frames_skipped - queued <= 2


def test_each_item_knows_its_place_in_the_playlist(tmp_path: Path) -> None:
    one = make_media(tmp_path / "one.mp4", 1.0, size=(160, 90), audio=None)
    two = make_media(tmp_path / "two.mp4", 1.0, size=(160, 90), audio=None)
    reader = reader_of([str(one), str(two)], JobStats(), start_s=0.5)
    before = reader.initial_place()
    assert (before.index, before.count, before.name, before.source_start) == (0, 2, str(one), 0.5)
    reader.start()
    items: list[MediaItem] = []
    deadline = time.monotonic() + 15
    while not (items and items[-1].place and items[-1].place.index == 1 and items[-1].t > 0.9):
        assert time.monotonic() < deadline, "the second file did not come"
        items.extend(drain(reader))
        time.sleep(0.05)
    reader.cancel()
    reader.join(5)
    first, second = items[0], next(item for item in items if item.place and item.place.index == 1)
    assert first.place is not None and second.place is not None
    assert first.place.position(first.t) == pytest.approx(0.5, abs=0.04)  # --start cuts into the first file
    assert first.place.duration == pytest.approx(1.0, abs=0.05)
    assert first.place.remaining(first.t) == pytest.approx(1.5, abs=0.1)  # half of one, all of two
    assert (second.place.name, second.place.after) == (str(two), 0)
    assert second.place.position(second.t) == pytest.approx(0.0, abs=0.04)  # the second file from its start
    assert second.place.timeline_start == pytest.approx(second.t, abs=0.04)
