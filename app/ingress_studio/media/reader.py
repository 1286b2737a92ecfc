"""Reads a source on its own thread: demux (and decode, when transcoding), stamp each item with its
place on the output timeline, and hand it over at real time.

Files and the test pattern are paced to the wall clock (and wait while every target is disconnected);
capture devices pace themselves and their items are dropped, not queued, when the pipeline falls behind.
Several files play back-to-back on one continuous timeline; --loop repeats the list. A still picture is
held: its one frame again and again at the output's frame rate, until --duration, a stop or a switch.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av

from ingress_studio.media.errors import MediaError, SourceError
from ingress_studio.media.inputs import OpenedInput, open_input
from ingress_studio.media.source_spec import SourceKind, SourceSpec
from ingress_studio.media.stats import JobStats, SourcePlace
from ingress_studio.media.wall_clock import wall_clock_ms

log = logging.getLogger(__name__)

QUEUE_SIZE = 64  # a file's items read ahead: it waits when the queue is full, nothing is lost
# A live source's items waiting for the pipeline (~0.2 s of 30 fps video and its audio): when encoding
# falls behind, new frames are skipped rather than queued, so a slow machine costs smoothness, not latency.
LIVE_QUEUE_SIZE = 16
LIVE_AUDIO_WAIT_S = 0.1


@dataclass
class MediaItem:
    kind: str  # "video" or "audio"
    t: float  # seconds on the output timeline
    frame: av.VideoFrame | av.AudioFrame | None = None  # when transcoding
    packet: av.Packet[Any] | None = None  # when remuxing (timestamps already moved to the timeline)
    place: SourcePlace | None = None  # the playlist item it comes from
    handed_over_ms: int = 0  # wall clock (low 32 bits of Unix ms) when the reader handed it over: the clock stamp's


@dataclass(frozen=True)
class EndOfInput:
    error: MediaError | None = None


QueueEntry = MediaItem | EndOfInput


# An item due this soon goes at once with the one before it: a picture and the sound around it travel
# together, and every thread down the line wakes once for them rather than once for each (wake-ups are
# most of what moving an item costs). A receiver buffers far more than this much earliness.
RELEASE_EARLY_S = 0.02
STOP_CHECK_S = 0.1  # the longest a paced reader sleeps before looking whether it was stopped
# A file or URL that falls this far behind its timeline while this thread also encodes (`deliver`) hands its
# items over through the queue from then on: decoding and encoding then run on two threads, in parallel.
SHARED_THREAD_LATE_S = 0.5

# Takes an item on the reader's own thread; returns the seconds it waited for a target to take media.
Delivery = Callable[["MediaItem"], float]


class Pacer:
    """Holds items back until their timeline time, minus time spent paused."""

    def __init__(self, stop: threading.Event, resume: threading.Event) -> None:
        self._stop = stop
        self._resume = resume
        self._origin: float | None = None
        self.paused_total = 0.0
        self.late_s = 0.0  # how far behind its time the last item was

    def wait_for(self, t: float, pausable: bool) -> bool:
        """Block until `t`; False if stopped meanwhile."""
        if pausable and not self._resume.is_set():
            began = time.monotonic()
            while not self._resume.wait(0.1):
                if self._stop.is_set():
                    return False
            self.paused_total += time.monotonic() - began
        now = time.monotonic()
        if self._origin is None:
            self._origin = now - t
        delay = self._origin + self.paused_total + t - now
        self.late_s = max(0.0, -delay)
        while delay > RELEASE_EARLY_S and not self._stop.is_set():
            # a plain sleep, in short steps to see a stop: Event.wait costs a lock and a condition each time
            time.sleep(min(delay, STOP_CHECK_S))
            delay = self._origin + self.paused_total + t - time.monotonic()
        return not self._stop.is_set()


def _seconds(value: int | None, time_base: Fraction | None) -> float | None:
    # plain float arithmetic: Fraction objects cost microseconds per operation, per packet and frame
    if value is None or time_base is None:
        return None
    return value * time_base.numerator / time_base.denominator


class InputReader:
    def __init__(
        self,
        playlist: list[SourceSpec],
        first: OpenedInput,
        *,
        decode: bool,
        want_video: bool,
        want_audio: bool,
        loop: bool,
        start_s: float,
        duration_s: float | None,
        resume: threading.Event,
        stats: JobStats,
        timeline_offset: float = 0.0,
        hold_fps: int = 30,
        durations: list[float | None] | None = None,
    ) -> None:
        self.playlist = playlist
        self._names = [spec.describe() for spec in playlist]
        self._durations = durations if durations is not None else [None] * len(playlist)
        self._first: OpenedInput | None = first
        self.decode = decode
        self.want_video = want_video
        self.want_audio = want_audio
        self.loop = loop
        self.start_s = start_s
        self.duration_s = duration_s
        self.hold_fps = hold_fps
        self.live = first.spec.kind.live
        # files, URLs and the generated test pattern come as fast as we read them: hold them to real time
        self.paced = first.spec.kind in (SourceKind.FILE, SourceKind.URL, SourceKind.TEST)
        self.queue: queue.Queue[QueueEntry] = queue.Queue(LIVE_QUEUE_SIZE if self.live else QUEUE_SIZE)
        self._stop = threading.Event()
        self._timeline_offset = timeline_offset
        self._pacer = Pacer(self._stop, resume)
        self._stats = stats
        self._emitted = 0
        self._thread = threading.Thread(target=self._run, name=f"reader {first.spec.describe()}", daemon=True)
        self._wall_start = time.monotonic()
        # Set by the pipeline for a file or URL: each item is handled on this thread, so a picture is decoded,
        # conformed and encoded on one thread as ffmpeg does, never handed across (less CPU than the queue:
        # tests/bench/push_vs_ffmpeg.py).
        self.deliver: Delivery | None = None

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        """Stop reading (the whole job stops, or goes on with another source)."""
        self._stop.set()

    def join(self, timeout: float) -> None:
        if self._thread.ident is not None:  # never started when set-up failed
            self._thread.join(timeout)

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def _put(self, entry: QueueEntry) -> bool:
        if self.deliver is not None and isinstance(entry, MediaItem):
            if self._pacer.late_s <= SHARED_THREAD_LATE_S:
                # time spent waiting for a target is a pause of the timeline, not lateness
                self._pacer.paused_total += self.deliver(entry)
                return not self._stop.is_set()
            log.info(
                "%s fell %.1f s behind decoding and encoding on one thread: decoding goes on on its own",
                self._names[0],
                self._pacer.late_s,
            )
            self.deliver = None  # for good: an item queued now must not be overtaken by one delivered later
        if self.live and isinstance(entry, MediaItem):
            try:
                # sound waits a little (a gap would be filled with silence, and heard); pictures never do
                self.queue.put(
                    entry, timeout=LIVE_AUDIO_WAIT_S if entry.kind == "audio" else None, block=entry.kind == "audio"
                )
            except queue.Full:  # the pipeline is behind (encoding lag): the capture does not wait
                if entry.kind == "video":
                    with self._stats.lock:
                        self._stats.frames_skipped += 1
            return not self._stop.is_set()
        while not self._stop.is_set():
            try:
                self.queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        error: MediaError | None = None
        try:
            offset = self._timeline_offset
            first_round = True
            while first_round or self.loop:
                emitted_before = self._emitted
                for index, spec in enumerate(self.playlist):
                    if self._stop.is_set():
                        return
                    source = self._first if (first_round and index == 0 and self._first) else None
                    if source is None:
                        source = open_input(spec, self.want_video, self.want_audio)
                    self._first = None
                    # --start cuts into the first file only, not into every file of a playlist or loop
                    start_s = self.start_s if first_round and index == 0 else 0.0
                    try:
                        end = self._play(index, source, offset, start_s)
                    finally:
                        source.close()
                    if end is None:  # stopped or duration reached
                        return
                    offset = end
                if self._emitted == emitted_before:  # reopening it would only spin
                    names = ", ".join(spec.describe() for spec in self.playlist)
                    raise SourceError(f"{names} gave no picture or sound to send.")
                first_round = False
        except MediaError as exc:
            error = exc
        except Exception as exc:  # a bug must end the push with a message, not hang it
            log.info("reader failed", exc_info=True)  # the traceback to the log file, not the terminal
            error = MediaError(f"Reading the source failed unexpectedly: {exc}.")
        finally:
            self._put_final(EndOfInput(error))

    def _put_final(self, entry: EndOfInput) -> None:
        while True:
            try:
                self.queue.put(entry, timeout=0.1)
                return
            except queue.Full:
                if self._stop.is_set():
                    with contextlib.suppress(queue.Empty):  # make room: the consumer only needs the end
                        self.queue.get_nowait()

    def initial_place(self) -> SourcePlace:
        """Where the output is before the first item arrives: the first source, at --start."""
        return self._place(0, self._timeline_offset, 0.0 if self.live else self.start_s)

    def _place(self, index: int, timeline_start: float, source_start: float) -> SourcePlace:
        return SourcePlace.of(index, self._names, self._durations, timeline_start, source_start, self.duration_s)

    def _play(self, index: int, source: OpenedInput, offset: float, start_s: float) -> float | None:
        """Play one item from `offset`; returns where the next item starts, or None to stop."""
        if source.still:
            return self._hold(self._place(index, offset, 0.0), source, offset)
        container = source.container
        streams = [s for s in (source.video, source.audio) if s is not None]
        if start_s > 0 and not self.live:
            container.seek(int(start_s * av.time_base), backward=True)
        origin: float | None = None
        place: SourcePlace | None = None
        end = offset
        video_end: float | None = None  # the picture sets where the next file starts; audio is trimmed to it
        rate = source.video.average_rate if source.video is not None else None
        frame_period = 1 / float(rate) if rate else 0.0
        bases = {s.index: s.time_base for s in streams}  # PyAV makes a new Fraction at every .time_base
        for packet in _demux_until_broken(source, streams):
            if self._stop.is_set():
                return None
            base = bases.get(packet.stream_index) or packet.time_base
            packet_time = _seconds(packet.dts if packet.dts is not None else packet.pts, base)
            if packet_time is None:
                continue
            kind = "video" if packet.stream.type == "video" else "audio"
            if self.decode:
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError as exc:
                    log.warning("skipping undecodable %s data in %s: %s", kind, source.spec.describe(), exc)
                    continue
                for frame in frames:
                    if not isinstance(frame, av.VideoFrame | av.AudioFrame):
                        continue
                    frame_time = _seconds(frame.pts, frame.time_base)
                    if frame_time is None:
                        frame_time = packet_time
                    if not self.live and frame_time < start_s:
                        continue
                    if origin is None:
                        origin = self._origin_for(frame_time, start_s)
                        place = self._place(index, offset, self._seconds_into(source, origin))
                    t = offset + frame_time - origin
                    if not self._emit(MediaItem(kind, t, frame=frame, place=place)):
                        return None
                    length = _frame_duration(frame)
                    end = max(end, t + length)
                    if kind == "video":
                        video_end = max(video_end or 0.0, t + (length or frame_period))
            else:
                if origin is None:
                    # a remux starts at the keyframe the seek landed on, even if that is before --start
                    origin = self._origin_for(packet_time, 0.0)
                    place = self._place(index, offset, self._seconds_into(source, origin))
                t = offset + packet_time - origin
                shift = round((offset - origin) * base.denominator / base.numerator)
                packet.pts = None if packet.pts is None else packet.pts + shift
                packet.dts = packet.dts + shift if packet.dts is not None else None
                if not self._emit(MediaItem(kind, t, packet=packet, place=place)):
                    return None
                length = _seconds(packet.duration or 0, base) or 0.0
                end = max(end, t + length)
                if kind == "video":
                    video_end = max(video_end or 0.0, t + (length or frame_period))
            if self.duration_s is not None and end >= self.duration_s:
                return None
        return video_end if video_end is not None else end

    def _hold(self, place: SourcePlace, source: OpenedInput, offset: float) -> float | None:
        """A still picture, repeated at the output's frame rate; it never ends by itself."""
        picture = _first_picture(source)
        if picture is None:
            raise SourceError(f"{source.spec.describe()} holds no picture FFmpeg can decode.")
        if not (self.want_video and self.decode):
            raise SourceError(f"{source.spec.describe()} is a still picture: there is no sound to send from it.")
        for index in itertools.count():
            if not self._emit(MediaItem("video", offset + index / self.hold_fps, frame=picture, place=place)):
                return None  # stopped, switched away, or --duration reached
        return None  # unreachable: the count never ends

    def _seconds_into(self, source: OpenedInput, origin: float) -> float:
        """How far into the source its time `origin` is; a capture is as far in as it has been running."""
        return 0.0 if self.live else origin - source.start_time_s

    def _origin_for(self, first_time: float, start_s: float) -> float:
        if self.live and not self.paced:
            # capture devices stamp frames with their own clock: start our timeline when they start
            return first_time - (time.monotonic() - self._wall_start)
        # timestamps may start below zero (B-frame delays): only a real --start moves the origin
        return max(first_time, start_s) if start_s > 0 else first_time

    def _emit(self, item: MediaItem) -> bool:
        if self.duration_s is not None and item.t >= self.duration_s:
            return False
        self._emitted += 1
        if item.kind == "video":
            with self._stats.lock:
                self._stats.frames_in += 1
        if self.paced and not self._pacer.wait_for(item.t, pausable=not self.live):
            return False
        # the moment of capture for a device, of generation for the test pattern, of sending for a file
        item.handed_over_ms = wall_clock_ms()
        return self._put(item)


def _demux_until_broken(source: OpenedInput, streams: list[Any]) -> Iterator[av.Packet[Any]]:
    """Packets until the end. A damaged file ends where the damage starts; a lost URL is an error."""
    packets = source.container.demux(streams)
    while True:
        try:
            packet = next(packets)
        except StopIteration:
            return
        except (av.FFmpegError, OSError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            if source.spec.kind is SourceKind.FILE:
                log.warning("%s ends early: %s", source.spec.describe(), reason)
                return
            raise SourceError(f"Lost {source.spec.describe()} while reading it ({reason}).") from exc
        yield packet


def _first_picture(source: OpenedInput) -> av.VideoFrame | None:
    assert source.video is not None
    try:
        for frame in source.container.decode(source.video):
            return frame
    except (av.FFmpegError, OSError) as exc:
        log.warning("cannot decode %s: %s", source.spec.describe(), exc)
    return None


def _frame_duration(frame: av.VideoFrame | av.AudioFrame) -> float:
    if isinstance(frame, av.AudioFrame):
        return frame.samples / frame.sample_rate if frame.sample_rate else 0.0
    return _seconds(frame.duration, frame.time_base) or 0.0
