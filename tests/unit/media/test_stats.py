"""The stats snapshot: frames skipped (encoding lag) and lost (network) apart, CPU use, and the source's place."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest

from ingress_studio.media.reconnect import ReconnectPolicy
from ingress_studio.media.sinks import OutPacket, Sink, StreamTemplates
from ingress_studio.media.stats import JobStats, PushState, SinkStats, SourcePlace
from ingress_studio.media.targets import rtmp_target


def packet(kind: str) -> OutPacket:
    return OutPacket(kind, b"\x00" * 10, 0, 0, Fraction(1, 1000), True, 0, 0.0)


def unconnected_sink(stats: SinkStats) -> Sink:
    """A sink that has not connected (its thread is never started): everything offered to it is lost."""
    return Sink(rtmp_target("rtmp://127.0.0.1:9/x", "k"), StreamTemplates(None, None), stats, ReconnectPolicy())


def test_skipped_and_lost_frames_are_counted_apart_and_add_up_to_dropped() -> None:
    stats = JobStats(frames_in=300, frames_skipped=4)
    near = SinkStats("near", state=PushState.LIVE, video_frames=296, packets_dropped=0)
    far = SinkStats("far", state=PushState.RECONNECTING, video_frames=296, packets_dropped=30)
    stats.sinks.extend([near, far])
    snapshot = stats.snapshot()
    assert (snapshot["frames_skipped"], snapshot["frames_read"]) == (4, 300)
    assert (snapshot["frames_lost"], snapshot["frames_output"]) == (30, 592)  # each target counts its own copy
    assert snapshot["frames_dropped"] == 34  # the total the push status line shows
    assert [(t["frames"], t["dropped"]) for t in snapshot["targets"]] == [(296, 0), (296, 30)]


def test_a_sink_counts_what_it_was_offered_and_what_never_left() -> None:
    stats = SinkStats("rtmp://127.0.0.1:9/x")
    sink = unconnected_sink(stats)
    for _ in range(3):
        sink.offer(packet("video"), block=False)
    sink.offer(packet("audio"), block=False)  # frames are pictures: audio counts in neither
    sink.count_lost_frame()  # a capture's frame while no target was connected: never even encoded
    assert (stats.video_frames, stats.packets_dropped) == (4, 4)


def test_cpu_percent_is_this_processs_use_over_the_last_interval() -> None:
    stats = JobStats()
    stats.snapshot()
    time.sleep(0.3)
    idle = stats.snapshot()["cpu_percent"]
    busy_until = time.monotonic() + 0.3
    while time.monotonic() < busy_until:
        pass
    busy = stats.snapshot()["cpu_percent"]
    assert idle < 20
    assert 20 < busy <= 210  # one busy thread is about 100 (like top); this machine has two cores


def test_target_fps_and_an_unknown_source_are_reported_as_null() -> None:
    snapshot = JobStats().snapshot()
    assert snapshot["target_fps"] is None
    assert (snapshot["source_count"], snapshot["source_name"], snapshot["source_position"]) == (0, "", 0.0)
    assert snapshot["source_duration"] is None and snapshot["playlist_remaining"] is None
    assert JobStats(target_fps=25.0).snapshot()["target_fps"] == 25.0


def playlist_place(
    index: int, timeline_start: float, source_start: float = 0.0, end: float | None = None
) -> SourcePlace:
    names = ["/clips/intro.mp4", "/clips/talk.mp4", "/clips/outro.mp4"]
    return SourcePlace.of(index, names, [10.0, 60.0, 5.0], timeline_start, source_start, end)


def test_the_place_in_a_playlist() -> None:
    first = playlist_place(0, 0.0)
    assert (first.index, first.count, first.name, first.duration, first.after) == (0, 3, "/clips/intro.mp4", 10.0, 65.0)
    assert first.position(4.0) == 4.0 and first.remaining(4.0) == 71.0
    talk = playlist_place(1, 10.0)
    assert talk.position(40.0) == 30.0 and talk.remaining(40.0) == 35.0
    last = playlist_place(2, 70.0)
    assert last.after == 0 and last.remaining(74.0) == 1.0
    assert last.position(80.0) == 5.0 and last.remaining(80.0) == 0.0  # never past the end, never below zero


def test_start_cuts_into_the_first_source_and_duration_ends_the_push_sooner() -> None:
    cut = playlist_place(0, 0.0, source_start=3.0, end=20.0)
    assert cut.position(2.0) == 5.0  # seconds into the file, not into the cut
    assert cut.remaining(2.0) == 18.0  # --duration 20 ends the push before the playlist's 70 s
    assert playlist_place(0, 0.0, end=200.0).remaining(2.0) == 73.0


def test_a_live_source_or_an_unknown_length_has_no_time_left() -> None:
    live = SourcePlace.of(0, ["test:"], [None], 0.0, 0.0, None)
    assert live.position(12.5) == 12.5 and live.remaining(12.5) is None
    url_first = SourcePlace.of(0, ["/a.mp4", "https://example.com/live.m3u8"], [10.0, None], 0.0, 0.0, None)
    assert url_first.after is None and url_first.remaining(1.0) is None


def test_the_snapshot_reports_the_place_of_the_newest_item() -> None:
    stats = JobStats()
    place = playlist_place(1, 10.0)
    with stats.lock:
        stats.note_place(place, 12.0)
        stats.note_place(place, 11.98)  # an audio frame a little behind the picture: the position does not step back
    snapshot = stats.snapshot()
    assert (snapshot["source_index"], snapshot["source_count"], snapshot["source_name"]) == (1, 3, "/clips/talk.mp4")
    assert snapshot["source_position"] == pytest.approx(2.0)
    assert snapshot["source_duration"] == 60.0 and snapshot["playlist_remaining"] == pytest.approx(63.0)
    looped = playlist_place(0, 75.0)  # the next pass starts the playlist again
    with stats.lock:
        stats.note_place(looped, 75.5)
    assert stats.snapshot()["source_index"] == 0 and stats.snapshot()["source_position"] == pytest.approx(0.5)
