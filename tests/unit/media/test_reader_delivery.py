"""A file's reader hands items to the pipeline on its own thread (decode and encode on one thread), falls back
to its queue when that one thread cannot keep the file in real time, and counts waiting for a target as a pause."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ingress_studio.media.errors import MediaError
from ingress_studio.media.reader import SHARED_THREAD_LATE_S, EndOfInput, InputReader, MediaItem
from ingress_studio.media.stats import JobStats
from support.media_files import make_media
from support.readers import reader_of


def run_to_end(reader: InputReader, timeout_s: float = 30.0) -> list[MediaItem]:
    """Start the reader; the items it queued (not delivered), up to its end."""
    reader.start()
    queued: list[MediaItem] = []
    deadline = time.monotonic() + timeout_s
    while True:
        entry = reader.queue.get(timeout=max(0.1, deadline - time.monotonic()))
        if isinstance(entry, EndOfInput):
            assert entry.error is None
            reader.join(5)
            return queued
        queued.append(entry)


def test_a_files_items_are_delivered_on_the_readers_thread_in_order(tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip.mp4", 1.0, size=(160, 90))
    reader = reader_of([str(clip)], JobStats())
    delivered: list[tuple[MediaItem, int]] = []

    def deliver(item: MediaItem) -> float:
        delivered.append((item, threading.get_ident()))
        return 0.0

    reader.deliver = deliver
    assert run_to_end(reader) == []  # nothing went through the queue but the end
    assert len([item for item, _ in delivered if item.kind == "video"]) == 30
    assert {thread for _, thread in delivered} == {reader._thread.ident}
    video_times = [item.t for item, _ in delivered if item.kind == "video"]
    assert video_times == sorted(video_times)


def test_a_reader_that_falls_behind_hands_the_rest_over_through_its_queue(tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip.mp4", 2.0, size=(160, 90), audio=None)
    reader = reader_of([str(clip)], JobStats())
    delivered: list[MediaItem] = []

    def slow_deliver(item: MediaItem) -> float:
        delivered.append(item)
        time.sleep(0.1)  # three times a frame's time: the file falls behind at once
        return 0.0

    reader.deliver = slow_deliver
    queued = run_to_end(reader)
    assert reader.deliver is None
    # behind by more than the limit after about limit / (0.1 - 1/30) frames, and never delivered again
    assert 2 <= len(delivered) <= SHARED_THREAD_LATE_S / (0.1 - 1 / 30) + 3
    every = [item.t for item in delivered + queued]
    assert len(every) == 60 and every == sorted(every)  # each picture once, none overtaken


def test_waiting_for_a_target_is_a_pause_not_lateness(tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip.mp4", 2.0, size=(160, 90), audio=None)
    reader = reader_of([str(clip)], JobStats())
    arrivals: list[float] = []

    def deliver(item: MediaItem) -> float:
        arrivals.append(time.monotonic())
        if len(arrivals) == 10:  # every target gone for a second: the pipeline waited for one
            time.sleep(1.0)
            return 1.0
        return 0.0

    reader.deliver = deliver
    assert run_to_end(reader) == []  # still on its own thread: the wait was not counted as falling behind
    # after the wait the file goes on at its pace, not in a rush to make up the second
    after = arrivals[10:30]
    assert after[-1] - after[0] >= 19 / 30 - 0.1


def test_without_delivery_every_item_goes_through_the_queue(tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip.mp4", 0.5, size=(160, 90), audio=None)
    reader = reader_of([str(clip)], JobStats())
    assert len(run_to_end(reader)) == 15


def test_a_failure_to_take_an_item_ends_the_reader_with_its_message(tmp_path: Path) -> None:
    clip = make_media(tmp_path / "clip.mp4", 1.0, size=(160, 90), audio=None)
    reader = reader_of([str(clip)], JobStats())

    def failing_deliver(item: MediaItem) -> float:
        raise MediaError("The encoder refused the picture.")

    reader.deliver = failing_deliver
    reader.start()
    entry = reader.queue.get(timeout=10)
    reader.join(5)
    assert isinstance(entry, EndOfInput) and entry.error is not None
    assert entry.error.message == "The encoder refused the picture."
