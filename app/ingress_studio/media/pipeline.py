"""A push job: sources → (transcode | remux) → every target, until the source ends or we are stopped.

Threads: one reader per source (demux, decode, pacing), this pipeline thread (conform, encode, fan
out), and one sink per target (connect, send, reconnect). A file's or URL's reader conforms and encodes
its items itself (InputReader.deliver), under the same lock, so that a decoded picture is encoded on the
thread that decoded it; the pipeline thread then only looks after requests, targets and the end. Targets
with equal encoder settings share one encoder.
"""

from __future__ import annotations

import functools
import io
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import av
import av.container

from ingress_studio.domain.encoding_presets import (
    AUDIO_PROFILES,
    DEFAULT_AUDIO_PROFILE,
    DEFAULT_VIDEO_PROFILE,
    VIDEO_PROFILES,
    AudioProfile,
    VideoProfile,
)
from ingress_studio.media.audio_conform import AudioConformer
from ingress_studio.media.encoders import EncoderSet
from ingress_studio.media.errors import MediaError, SourceError
from ingress_studio.media.inputs import OpenedInput, open_input
from ingress_studio.media.profiles import EncoderSettings, EncoderTuning, settings_for
from ingress_studio.media.reader import EndOfInput, InputReader, MediaItem
from ingress_studio.media.reconnect import ReconnectPolicy
from ingress_studio.media.remux import PathChoice, choose_path
from ingress_studio.media.sinks import OutPacket, Sink, StreamTemplates
from ingress_studio.media.source_checks import refuse_still_in_playlist
from ingress_studio.media.source_spec import SourceSpec
from ingress_studio.media.stats import JobStats, SinkStats
from ingress_studio.media.targets import Target
from ingress_studio.media.video_conform import VideoConformer

if TYPE_CHECKING:
    from ingress_studio.media.preview import PreviewTap

log = logging.getLogger(__name__)

FIRST_CONNECT_TIMEOUT_S = 20.0
# How often the pump looks at requests and at the targets' states, rather than at every item: each look
# takes locks, and a switch or a lost target can wait this long.
LOOK_AROUND_S = 0.05


@dataclass
class PushOptions:
    playlist: list[SourceSpec]
    targets: list[Target]
    audio_source: SourceSpec | None = None
    video_profile: VideoProfile = field(default_factory=lambda: VIDEO_PROFILES[DEFAULT_VIDEO_PROFILE])
    audio_profile: AudioProfile = field(default_factory=lambda: AUDIO_PROFILES[DEFAULT_AUDIO_PROFILE])
    whip_video_codec: str = "h264"
    tuning: EncoderTuning = field(default_factory=EncoderTuning)
    loop: bool = False
    start_s: float = 0.0
    duration_s: float | None = None
    allow_remux: bool = True
    send_video: bool = True
    send_audio: bool = True
    reconnect: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    # draw the capture time into each picture (media/clock_stamp.py); it forces transcoding
    stamp_clock: bool = False


@dataclass
class TranscodeGroup:
    """Targets that share one set of encoders."""

    settings: EncoderSettings
    encoders: EncoderSet
    video: VideoConformer | None
    audio: AudioConformer | None
    sinks: list[Sink] = field(default_factory=list)


class PushJob:
    def __init__(
        self, options: PushOptions, on_event: Callable[[dict[str, Any]], None] | None = None, preview: bool = False
    ) -> None:
        if not options.targets:
            raise MediaError("Nothing to push to: give --rtmp, --whip or --ingress.")
        self.options = options
        self.stats = JobStats()
        self._on_event = on_event or (lambda _event: None)
        self._stop = threading.Event()
        self._stop_requested = False  # by stop(), as opposed to the end of the source or a failure
        self._resume = threading.Event()
        self._resume.set()
        self._sinks: list[Sink] = []
        self._groups: list[TranscodeGroup] = []
        self._readers: list[InputReader] = []
        self._scratch: list[av.container.OutputContainer] = []
        self.path: PathChoice | None = None
        self._preview: PreviewTap | None = None
        if preview:
            from ingress_studio.media.preview import PreviewTap  # numpy: loaded when a window watches only

            self._preview = PreviewTap(self._on_event)
        self._preview_decoders: dict[str, av.VideoCodecContext | av.AudioCodecContext] = {}
        self._switch_lock = threading.Lock()
        self._handling = threading.Lock()  # one item at a time, whichever thread hands it over
        self._failure: MediaError | None = None  # of handling an item on a reader's thread: it ends the push
        self._switch_request: SourceSwitch | None = None
        self._active: list[InputReader] = []
        self._main: InputReader | None = None  # the reader of the playlist (not of a separate audio source)
        self._durations: list[float | None] = []  # of the playlist being opened or played
        self._has_audio_source = False
        self._draw_stamp: Callable[[av.VideoFrame, int], av.VideoFrame] | None = None
        if options.stamp_clock:
            from ingress_studio.media import clock_stamp  # numpy: loaded for a stamped push only

            self._draw_stamp = clock_stamp.draw

    def switch_source(
        self, playlist: list[SourceSpec], audio_source: SourceSpec | None = None, loop: bool = False
    ) -> None:
        """Thread-safe: continue the same stream (same connections, same timeline) from other sources."""
        with self._switch_lock:
            self._switch_request = SourceSwitch(playlist, audio_source, loop)

    def stop(self) -> None:
        """Thread- and signal-safe: ends the push cleanly (the source stops, targets are closed)."""
        self._stop_requested = True
        self._halt()

    def _halt(self) -> None:
        self._stop.set()
        for reader in list(self._readers):
            reader.cancel()

    @property
    def sent_anything(self) -> bool:
        """True once any target has taken media."""
        return any(sink.ever_connected for sink in self._sinks)

    # --- set-up -------------------------------------------------------------------------------

    def _open_sources(
        self, playlist: list[SourceSpec], audio_spec: SourceSpec | None
    ) -> tuple[OpenedInput, OpenedInput | None]:
        """The first source (open) and the separate audio source; every later item is opened once to fail
        now rather than mid-stream, and its length noted for the time left in the playlist."""
        options = self.options
        want_audio_from_main = options.send_audio and audio_spec is None
        first = open_input(playlist[0], options.send_video, want_audio_from_main)
        self._durations = [first.duration_s]
        try:
            for spec in playlist[1:]:
                opened = open_input(spec, options.send_video, want_audio_from_main)  # fail now, not mid-stream
                self._durations.append(opened.duration_s)
                opened.close()
                refuse_still_in_playlist(opened, len(playlist))
            refuse_still_in_playlist(first, len(playlist))
            audio = open_input(audio_spec, False, True) if audio_spec else None
        except BaseException:
            first.close()
            raise
        if options.send_video and first.video is None and (audio is None and first.audio is None):
            first.close()
            raise SourceError(f"{first.spec.describe()} has nothing to stream.")
        return first, audio

    def _build_transcode(self, has_video: bool) -> None:
        by_settings: dict[EncoderSettings, TranscodeGroup] = {}
        with_audio = self.options.send_audio  # a silent track when the source has none
        options = self.options
        wanted = [
            settings_for(t.kind, options.video_profile, options.audio_profile, options.whip_video_codec, options.tuning)
            for t in options.targets
        ]
        sole = len(set(wanted)) == 1
        for target, settings in zip(options.targets, wanted, strict=True):
            group = by_settings.get(settings)
            if group is None:
                encoders = EncoderSet(settings, with_video=has_video, with_audio=with_audio, sole_encoder=sole)
                group = TranscodeGroup(
                    settings,
                    encoders,
                    VideoConformer(settings.video) if has_video else None,
                    AudioConformer(encoders.audio_format, encoders.audio_layout, encoders.audio_frame_size)
                    if with_audio
                    else None,
                )
                by_settings[settings] = group
                self._groups.append(group)
                log.info("encoder: %s", settings.describe())
            sink = self._new_sink(target, StreamTemplates(group.encoders.video, group.encoders.audio), group)
            group.sinks.append(sink)

    def _new_sink(self, target: Target, templates: StreamTemplates, group: TranscodeGroup | None) -> Sink:
        stats = SinkStats(target.name)
        with self.stats.lock:
            self.stats.sinks.append(stats)
        request = group.encoders.request_keyframe if group is not None else None
        sink = Sink(target, templates, stats, self.options.reconnect, request)
        self._sinks.append(sink)
        return sink

    def _remux_templates(self, first: OpenedInput) -> StreamTemplates:
        """Copies of the input's stream parameters that outlive the input (a loop reopens the file)."""
        scratch = av.open(io.BytesIO(), "w", format="matroska")
        self._scratch.append(scratch)
        video = scratch.add_stream_from_template(first.video, opaque=True) if first.video is not None else None
        audio = scratch.add_stream_from_template(first.audio, opaque=True) if first.audio is not None else None
        return StreamTemplates(video, audio)

    def _connect_all(self) -> None:
        for sink in self._sinks:
            sink.start()
        deadline = time.monotonic() + FIRST_CONNECT_TIMEOUT_S
        for sink in self._sinks:
            # in short waits, so that a stop (Ctrl-C) while a server keeps us waiting is taken at once
            while not sink.live and not sink.finished and not self._stop.is_set() and time.monotonic() < deadline:
                sink.wait_until_live_or_finished(0.1)
            if self._stop.is_set():
                return
            if not sink.live:
                if sink.failure is not None:
                    raise sink.failure
                raise MediaError(
                    f"{sink.target.name} did not accept the connection within {FIRST_CONNECT_TIMEOUT_S:g} s."
                )

    # --- running ------------------------------------------------------------------------------

    def run(self) -> None:
        """Push until the source ends or stop() is called. Raises MediaError with the reason it failed."""
        options = self.options
        first, audio_source = self._open_sources(options.playlist, options.audio_source)
        kinds = {t.kind for t in options.targets}
        self.path = choose_path(
            first,
            kinds,
            single_item=len(options.playlist) == 1,
            separate_audio=audio_source is not None,
            allowed=options.allow_remux,
            stamp_clock=options.stamp_clock,
        )
        self.stats.path = self.path.describe()
        self.stats.target_fps = self._target_fps(first)
        log.info("path: %s", self.path.describe())
        self._on_event({"event": "path", "remux": self.path.remux, "reason": self.path.sentence()})
        try:
            if self.path.remux:
                templates = self._remux_templates(first)
                for target in options.targets:
                    self._new_sink(target, templates, None)
                if self._preview is not None:
                    self._preview_decoders = _decoders_for(templates)
            else:
                self._build_transcode(first.video is not None)
            self._active = self._readers_for(
                options.playlist, first, audio_source, options.loop, options.start_s, options.duration_s, 0.0
            )
            self._connect_all()
            for reader in self._active:
                reader.start()
            self._pump()
        finally:
            self._halt()
            for reader in self._readers:
                reader.join(5)
            for sink in self._sinks:
                sink.stop()
            # a reader may still be in an encoder: one a stalled target's full queue held until sink.stop()
            if self._handling.acquire(timeout=5):
                try:
                    for group in self._groups:
                        group.encoders.close()
                finally:
                    self._handling.release()
            else:
                log.warning("an encoder was still busy when the push ended: left to the process's exit")
            for scratch in self._scratch:
                scratch.close()
            first.close()
            if audio_source is not None:
                audio_source.close()
        failures = [s.failure for s in self._sinks if s.failure is not None]
        if failures and len(failures) == len(self._sinks):
            raise failures[0]
        if not self.sent_anything and not self._stop_requested:
            raise MediaError(f"Nothing was sent: {first.spec.describe()} gave no picture or sound to stream.")

    def _target_fps(self, first: OpenedInput) -> float | None:
        """The frame rate the output aims at: the profile's when encoding, the source's own when remuxing."""
        assert self.path is not None
        if first.video is None:
            return None
        if self.path.remux:
            rate = first.video.average_rate
            return round(float(rate), 3) if rate else None
        return float(self.options.video_profile.fps)

    def _readers_for(
        self,
        playlist: list[SourceSpec],
        first: OpenedInput,
        audio_source: OpenedInput | None,
        loop: bool,
        start_s: float,
        duration_s: float | None,
        timeline_offset: float,
    ) -> list[InputReader]:
        """One reader for the main source (or playlist), one more when audio comes from elsewhere."""
        assert self.path is not None
        self._has_audio_source = (first.audio or audio_source) is not None
        common: dict[str, Any] = {
            "start_s": start_s,
            "duration_s": duration_s,
            "resume": self._resume,
            "stats": self.stats,
            "timeline_offset": timeline_offset,
            "hold_fps": self.options.video_profile.fps,
        }
        durations = self._durations
        send = self.options
        readers = [
            InputReader(
                playlist,
                first,
                decode=not self.path.remux,
                want_video=send.send_video,
                want_audio=send.send_audio and audio_source is None,
                loop=loop,
                durations=durations,
                **common,
            )
        ]
        self._main = readers[0]
        with self.stats.lock:
            self.stats.note_place(readers[0].initial_place(), timeline_offset)
        if audio_source is not None:
            readers.append(
                InputReader(
                    [audio_source.spec],
                    audio_source,
                    decode=True,
                    want_video=False,
                    want_audio=True,
                    loop=False,
                    **common,
                )
            )
        for reader in readers:
            if reader.paced and not reader.live:  # a capture's items must be skippable: it keeps the queue
                reader.deliver = functools.partial(self._deliver, reader)
        self._readers.extend(readers)
        return readers

    def _deliver(self, reader: InputReader, item: MediaItem) -> float:
        """An item on its reader's thread; returns the seconds spent waiting for a target."""
        # Each reader waits for a target by itself, outside the lock, and counts the wait as its own pause:
        # a second reader (a separate audio file) held on the lock meanwhile would fall behind the first.
        waited = 0.0 if any(sink.live for sink in self._sinks) else self._wait_for_a_target()
        with self._handling:
            if reader.cancelled or self._stop.is_set():  # switched away from: its last items go nowhere
                return waited
            try:
                return waited + self._handle(item, live=False, main=reader is self._main)
            except MediaError as exc:
                self._fail(exc)
                raise
            except Exception as exc:  # raised on the reader's thread, it would read as the source's failure
                log.info("encoding failed", exc_info=True)
                error = MediaError(f"Encoding failed unexpectedly: {exc}.")
                self._fail(error)
                raise error from exc

    def _fail(self, error: MediaError) -> None:
        """The whole push ends with this, not just the reader it happened on (another may go on for an hour)."""
        self._failure = self._failure or error
        self._halt()

    def _take_switch(self) -> SourceSwitch | None:
        with self._switch_lock:
            request, self._switch_request = self._switch_request, None
        return request

    def _switch(self, request: SourceSwitch) -> None:
        """Swap the readers; encoders, connections and the timeline carry on."""
        assert self.path is not None
        if self.path.remux:
            self._on_event(
                {
                    "event": "error",
                    "message": "Switching sources needs transcoding: start the push with transcoding on.",
                }
            )
            return
        try:
            first, audio_source = self._open_sources(request.playlist, request.audio_source)
        except MediaError as exc:
            self._on_event({"event": "error", "message": exc.message})
            return  # the current source keeps streaming
        if self._groups and self._groups[0].video is not None and first.video is None:
            first.close()
            if audio_source is not None:
                audio_source.close()
            self._on_event(
                {"event": "error", "message": f"{request.playlist[0].describe()} has no picture to switch to."}
            )
            return
        with self._handling:  # no item of the old readers after this: the new timeline starts past them
            for reader in self._active:
                reader.cancel()
            fps = self.options.video_profile.fps
            offset = self.stats.media_seconds + 1 / fps
            self._active = self._readers_for(request.playlist, first, audio_source, request.loop, 0.0, None, offset)
        for reader in self._active:
            reader.start()
        self._on_event({"event": "source", "sources": [spec.describe() for spec in request.playlist]})

    def _pump(self) -> None:
        """Take items from the readers in arrival order until every reader has ended."""
        source_error: MediaError | None = None
        next_look = 0.0
        while self._active and not self._stop.is_set():
            now = time.monotonic()
            if now >= next_look:
                next_look = now + LOOK_AROUND_S
                request = self._take_switch()
                if request is not None:
                    self._switch(request)
                if all(sink.finished for sink in self._sinks):
                    break  # every target gave up: the failure is raised by run()
                self._update_resume()
            active = self._active
            progressed = False
            for reader in list(active):
                try:
                    entry = reader.queue.get(timeout=0.05 if len(active) > 1 else 0.2)
                except queue.Empty:
                    continue
                progressed = True
                if isinstance(entry, EndOfInput):
                    if reader in self._active:
                        self._active.remove(reader)
                    source_error = source_error or entry.error
                    continue
                with self._handling:
                    self._handle(entry, live=reader.live, main=reader is self._main)
            if not progressed:
                time.sleep(0)
        if self._failure is not None:
            raise self._failure  # before the flush: the encoder that failed would fail again
        if not self._stop.is_set():
            with self._handling:
                self._flush()
        if source_error is not None:
            raise source_error

    def _update_resume(self) -> None:
        if any(sink.live for sink in self._sinks):
            self._resume.set()
        else:
            self._resume.clear()

    def _wait_for_a_target(self) -> float:
        """Returns the seconds waited."""
        began = time.monotonic()
        if not any(sink.live for sink in self._sinks):
            self._resume.clear()  # a file on the queue pauses too (its pacer counts it) rather than rush after
        while not self._stop.is_set() and not any(sink.live for sink in self._sinks):
            if all(sink.finished for sink in self._sinks):
                break
            time.sleep(0.05)
        self._update_resume()
        return time.monotonic() - began

    def _handle(self, item: MediaItem, live: bool, main: bool) -> float:
        """Conform, encode and send one item (called with _handling held); returns the seconds spent waiting
        for a target (a file waits while every target is disconnected)."""
        waited = 0.0
        with self.stats.lock:
            self.stats.media_seconds = max(self.stats.media_seconds, item.t)
            if main and item.place is not None:
                self.stats.note_place(item.place, item.t)
        if not any(sink.live for sink in self._sinks):
            if live:  # a capture keeps running while we are disconnected: its frames are lost
                if item.kind == "video":
                    for sink in self._sinks:
                        sink.count_lost_frame()
                return waited
            waited = self._wait_for_a_target()  # a file waits for us: nothing of it is lost
        if item.packet is not None:
            if self._preview is not None:
                self._preview_packet(item)
            out = OutPacket.from_packet(item.kind, item.packet, item.handed_over_ms if item.kind == "video" else None)
            if item.kind == "video":
                with self.stats.lock:
                    self.stats.frames_encoded += 1
            for sink in self._sinks:
                sink.offer(out, block=not live)
            return waited
        assert item.frame is not None
        if self._preview is not None:
            if isinstance(item.frame, av.VideoFrame):
                self._preview.picture(item.frame, item.t)
            else:
                self._preview.audio(item.frame)
        if isinstance(item.frame, av.VideoFrame):
            # carried through the conformer's filters (fps may repeat or drop pictures) to the encoder: the
            # clock stamp's time, and where each sink's delay (handed over -> sent) is counted from
            item.frame.opaque = item.handed_over_ms
        for group in self._groups:
            if isinstance(item.frame, av.VideoFrame) and group.video is not None:
                for frame in group.video.push(item.frame, item.t):
                    self._encode_video(group, frame, live)
            elif isinstance(item.frame, av.AudioFrame) and group.audio is not None:
                for chunk in group.audio.push(item.frame, item.t):
                    self._send(group, "audio", group.encoders.encode_audio(chunk), live)
        return waited

    def _preview_packet(self, item: MediaItem) -> None:
        """Remuxing decodes nothing; for the preview, decode keyframes and (cheap) audio only."""
        assert self._preview is not None and item.packet is not None
        decoder = self._preview_decoders.get(item.kind)
        if decoder is None:
            return
        if item.kind == "video" and not (item.packet.is_keyframe and self._preview.wants_picture()):
            return
        try:
            frames: list[av.VideoFrame | av.AudioFrame] = list(decoder.decode(item.packet))
            if item.kind == "video":
                # Fed keyframes only, a decoder that reorders (B-frames) would hold each picture until
                # later ones arrive, seconds apart: drain it now, then reset it for the next keyframe.
                frames.extend(decoder.decode(None))
                decoder.flush_buffers()
        except av.FFmpegError:
            return
        for frame in frames:
            if isinstance(frame, av.VideoFrame):
                self._preview.picture(frame, item.t)
            elif isinstance(frame, av.AudioFrame):
                self._preview.audio(frame)

    def _encode_video(self, group: TranscodeGroup, frame: av.VideoFrame, live: bool) -> None:
        handed_ms = frame.opaque if isinstance(frame.opaque, int) else None
        if self._draw_stamp is not None and handed_ms is not None:
            # Drawn on the picture at the size it is sent in, not on the source's: a source of another aspect
            # is scaled and padded, which would move and shrink blocks drawn before and break the format.
            frame = self._draw_stamp(frame, handed_ms)
        began = time.perf_counter()
        packets = group.encoders.encode_video(frame)
        spent = time.perf_counter() - began
        with self.stats.lock:
            if group is self._groups[0]:  # one picture out, however many encoders made it (one per setting)
                self.stats.frames_encoded += 1
            self.stats.encode_seconds += spent  # per picture: the time all encoders took for it
        self._send(group, "video", packets, live, handed_ms)
        if group.audio is not None and not self._has_audio_source and frame.time is not None:
            # no audio anywhere: keep a silent track in step with the picture
            for silence in group.audio.fill_silence_until(float(frame.time) + 1 / group.settings.video.fps):
                self._send(group, "audio", group.encoders.encode_audio(silence), live)

    def _send(
        self, group: TranscodeGroup, kind: str, packets: list[av.Packet[Any]], live: bool, handed_ms: int | None = None
    ) -> None:
        # x264 (zerolatency, no B-frames) and libvpx (no lag) give each picture's packet back at once:
        # what came out is the picture that went in
        for packet in packets:
            out = OutPacket.from_packet(kind, packet, handed_ms)
            for sink in group.sinks:
                sink.offer(out, block=not live)

    def _flush(self) -> None:
        for group in self._groups:
            if group.video is not None:
                for frame in group.video.flush():
                    self._encode_video(group, frame, live=False)
            if group.encoders.video is not None:
                self._send(group, "video", group.encoders.encode_video(None), live=False)
            if group.encoders.audio is not None:
                self._send(group, "audio", group.encoders.encode_audio(None), live=False)


@dataclass(frozen=True)
class SourceSwitch:
    playlist: list[SourceSpec]
    audio_source: SourceSpec | None
    loop: bool


def _decoders_for(templates: StreamTemplates) -> dict[str, av.VideoCodecContext | av.AudioCodecContext]:
    decoders: dict[str, av.VideoCodecContext | av.AudioCodecContext] = {}
    for kind, stream in (("video", templates.video), ("audio", templates.audio)):
        if stream is None:
            continue
        decoder = av.CodecContext.create(stream.codec_context.codec.name, "r")
        assert isinstance(decoder, av.VideoCodecContext | av.AudioCodecContext)
        decoder.extradata = stream.codec_context.extradata
        if isinstance(decoder, av.AudioCodecContext) and isinstance(stream.codec_context, av.AudioCodecContext):
            decoder.sample_rate = stream.codec_context.sample_rate
            decoder.layout = stream.codec_context.layout
        decoders[kind] = decoder
    return decoders
