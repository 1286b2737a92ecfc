"""A push job: sources → (transcode | remux) → every target, until the source ends or we are stopped.

Threads: one reader per source (demux, decode, pacing), this pipeline thread (conform, encode, fan
out), and one sink per target (connect, send, reconnect). Targets with equal encoder settings share
one encoder.
"""

from __future__ import annotations

import io
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import av
import av.container

from ingress_studio.media.audio_conform import AudioConformer
from ingress_studio.media.encoders import EncoderSet
from ingress_studio.media.errors import MediaError, SourceError
from ingress_studio.media.inputs import OpenedInput, open_input
from ingress_studio.media.profiles import (
    AUDIO_PROFILES,
    DEFAULT_AUDIO_PROFILE,
    DEFAULT_VIDEO_PROFILE,
    VIDEO_PROFILES,
    AudioProfile,
    EncoderSettings,
    VideoProfile,
    settings_for,
)
from ingress_studio.media.reader import EndOfInput, InputReader, MediaItem
from ingress_studio.media.reconnect import ReconnectPolicy
from ingress_studio.media.remux import PathChoice, choose_path
from ingress_studio.media.sinks import OutPacket, Sink, StreamTemplates
from ingress_studio.media.source_spec import SourceSpec
from ingress_studio.media.stats import JobStats, SinkStats
from ingress_studio.media.targets import Target
from ingress_studio.media.video_conform import VideoConformer

log = logging.getLogger(__name__)

FIRST_CONNECT_TIMEOUT_S = 20.0


@dataclass
class PushOptions:
    playlist: list[SourceSpec]
    targets: list[Target]
    audio_source: SourceSpec | None = None
    video_profile: VideoProfile = field(default_factory=lambda: VIDEO_PROFILES[DEFAULT_VIDEO_PROFILE])
    audio_profile: AudioProfile = field(default_factory=lambda: AUDIO_PROFILES[DEFAULT_AUDIO_PROFILE])
    whip_video_codec: str = "h264"
    loop: bool = False
    start_s: float = 0.0
    duration_s: float | None = None
    allow_remux: bool = True
    send_video: bool = True
    send_audio: bool = True
    reconnect: ReconnectPolicy = field(default_factory=ReconnectPolicy)


@dataclass
class TranscodeGroup:
    """Targets that share one set of encoders."""

    settings: EncoderSettings
    encoders: EncoderSet
    video: VideoConformer | None
    audio: AudioConformer | None
    sinks: list[Sink] = field(default_factory=list)


class PushJob:
    def __init__(self, options: PushOptions, on_event: Callable[[dict[str, Any]], None] | None = None) -> None:
        if not options.targets:
            raise MediaError("Nothing to push to: give --rtmp, --whip or --ingress.")
        self.options = options
        self.stats = JobStats()
        self._on_event = on_event or (lambda _event: None)
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._resume.set()
        self._sinks: list[Sink] = []
        self._groups: list[TranscodeGroup] = []
        self._readers: list[InputReader] = []
        self._scratch: list[av.container.OutputContainer] = []
        self.path: PathChoice | None = None

    def stop(self) -> None:
        """Thread- and signal-safe: ends the push cleanly (the source stops, targets are closed)."""
        self._stop.set()

    # --- set-up -------------------------------------------------------------------------------

    def _open_sources(self) -> tuple[OpenedInput, OpenedInput | None]:
        options = self.options
        want_audio_from_main = options.send_audio and options.audio_source is None
        first = open_input(options.playlist[0], options.send_video, want_audio_from_main)
        try:
            for spec in options.playlist[1:]:
                open_input(spec, options.send_video, want_audio_from_main).close()  # fail now, not mid-stream
            audio = open_input(options.audio_source, False, True) if options.audio_source else None
        except BaseException:
            first.close()
            raise
        if options.send_video and first.video is None and (audio is None and first.audio is None):
            first.close()
            raise SourceError(f"{first.spec.describe()} has nothing to stream.")
        return first, audio

    def _build_transcode(self, has_video: bool, has_audio_source: bool) -> None:
        by_settings: dict[EncoderSettings, TranscodeGroup] = {}
        with_audio = self.options.send_audio  # a silent track when the source has none
        for target in self.options.targets:
            settings = settings_for(
                target.kind, self.options.video_profile, self.options.audio_profile, self.options.whip_video_codec
            )
            group = by_settings.get(settings)
            if group is None:
                encoders = EncoderSet(settings, with_video=has_video, with_audio=with_audio)
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
            sink = self._new_sink(target, StreamTemplates(encoders_video(group), encoders_audio(group)), group)
            group.sinks.append(sink)
        self._has_audio_source = has_audio_source

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
        for sink in self._sinks:
            if not sink.wait_until_live_or_finished(FIRST_CONNECT_TIMEOUT_S):
                if sink.failure is not None:
                    raise sink.failure
                raise MediaError(
                    f"{sink.target.name} did not accept the connection within {FIRST_CONNECT_TIMEOUT_S:g} s."
                )

    # --- running ------------------------------------------------------------------------------

    def run(self) -> None:
        """Push until the source ends or stop() is called. Raises MediaError with the reason it failed."""
        options = self.options
        first, audio_source = self._open_sources()
        kinds = {t.kind for t in options.targets}
        self.path = choose_path(
            first,
            kinds,
            single_item=len(options.playlist) == 1,
            separate_audio=audio_source is not None,
            allowed=options.allow_remux,
        )
        self.stats.path = self.path.describe()
        log.info("path: %s", self.path.describe())
        self._on_event({"event": "path", "remux": self.path.remux, "reason": self.path.reason})
        try:
            if self.path.remux:
                templates = self._remux_templates(first)
                for target in options.targets:
                    self._new_sink(target, templates, None)
            else:
                self._build_transcode(first.video is not None, (first.audio or audio_source) is not None)
            self._readers.append(
                self._reader(
                    options.playlist,
                    first,
                    decode=not self.path.remux,
                    want_video=options.send_video,
                    want_audio=options.send_audio and audio_source is None,
                    loop=options.loop,
                )
            )
            if audio_source is not None:
                self._readers.append(
                    self._reader([audio_source.spec], audio_source, decode=True, want_video=False, want_audio=True)
                )
            self._connect_all()
            for reader in self._readers:
                reader.start()
            self._pump()
        finally:
            self._stop.set()
            for reader in self._readers:
                reader.join(5)
            for sink in self._sinks:
                sink.stop()
            for group in self._groups:
                group.encoders.close()
            for scratch in self._scratch:
                scratch.close()
            first.close()
            if audio_source is not None:
                audio_source.close()
        failures = [s.failure for s in self._sinks if s.failure is not None]
        if failures and len(failures) == len(self._sinks):
            raise failures[0]

    def _reader(
        self,
        playlist: list[SourceSpec],
        first: OpenedInput,
        *,
        decode: bool,
        want_video: bool,
        want_audio: bool,
        loop: bool = False,
    ) -> InputReader:
        return InputReader(
            playlist,
            first,
            decode=decode,
            want_video=want_video,
            want_audio=want_audio,
            loop=loop,
            start_s=self.options.start_s,
            duration_s=self.options.duration_s,
            stop=self._stop,
            resume=self._resume,
            stats=self.stats,
        )

    def _pump(self) -> None:
        """Take items from the readers in arrival order until every reader has ended."""
        active = list(self._readers)
        source_error: MediaError | None = None
        while active and not self._stop.is_set():
            if all(sink.finished for sink in self._sinks):
                break  # every target gave up: the failure is raised by run()
            self._update_resume()
            progressed = False
            for reader in list(active):
                try:
                    entry = reader.queue.get(timeout=0.05 if len(active) > 1 else 0.2)
                except queue.Empty:
                    continue
                progressed = True
                if isinstance(entry, EndOfInput):
                    active.remove(reader)
                    source_error = source_error or entry.error
                    continue
                self._handle(entry, live=reader.live)
            if not progressed:
                time.sleep(0)
        if not self._stop.is_set():
            self._flush()
        if source_error is not None:
            raise source_error

    def _update_resume(self) -> None:
        if any(sink.live for sink in self._sinks):
            self._resume.set()
        else:
            self._resume.clear()

    def _wait_for_a_target(self) -> None:
        while not self._stop.is_set() and not any(sink.live for sink in self._sinks):
            if all(sink.finished for sink in self._sinks):
                return
            time.sleep(0.05)
        self._update_resume()

    def _handle(self, item: MediaItem, live: bool) -> None:
        with self.stats.lock:
            self.stats.media_seconds = max(self.stats.media_seconds, item.t)
        if not any(sink.live for sink in self._sinks):
            if live:  # a capture keeps running while we are disconnected: its frames are lost
                if item.kind == "video":
                    with self.stats.lock:
                        self.stats.frames_dropped += 1
                return
            self._wait_for_a_target()  # a file waits for us: nothing of it is lost
        if item.packet is not None:
            out = OutPacket.from_packet(item.kind, item.packet)
            if item.kind == "video":
                with self.stats.lock:
                    self.stats.frames_encoded += 1
            for sink in self._sinks:
                sink.offer(out, block=not live)
            return
        assert item.frame is not None
        for group in self._groups:
            if isinstance(item.frame, av.VideoFrame) and group.video is not None:
                for frame in group.video.push(item.frame, item.t):
                    self._encode_video(group, frame, live)
            elif isinstance(item.frame, av.AudioFrame) and group.audio is not None:
                for chunk in group.audio.push(item.frame, item.t):
                    self._send(group, "audio", group.encoders.encode_audio(chunk), live)

    def _encode_video(self, group: TranscodeGroup, frame: av.VideoFrame, live: bool) -> None:
        began = time.perf_counter()
        packets = group.encoders.encode_video(frame)
        spent = time.perf_counter() - began
        with self.stats.lock:
            self.stats.frames_encoded += 1
            self.stats.encode_seconds += spent
        self._send(group, "video", packets, live)
        if group.audio is not None and not self._has_audio_source and frame.time is not None:
            # no audio anywhere: keep a silent track in step with the picture
            for silence in group.audio.fill_silence_until(float(frame.time) + 1 / group.settings.video.fps):
                self._send(group, "audio", group.encoders.encode_audio(silence), live)

    def _send(self, group: TranscodeGroup, kind: str, packets: list[av.Packet[Any]], live: bool) -> None:
        for packet in packets:
            out = OutPacket.from_packet(kind, packet)
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


def encoders_video(group: TranscodeGroup) -> av.VideoStream | None:
    return group.encoders.video


def encoders_audio(group: TranscodeGroup) -> av.AudioStream | None:
    return group.encoders.audio
