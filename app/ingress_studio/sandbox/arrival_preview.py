"""What arrived at the sandbox, decoded only as far as needed: the meter's sizes and a small preview.

Receiving stays cheap by decoding little: while nobody looks at the preview only keyframes are
decoded (they give the picture size and a still every keyframe interval); while someone does,
every picture is decoded and at most PREVIEW_FPS of them become JPEGs. Audio is decoded for its
levels. Decoding runs in a thread of its own so the receivers never wait for it.

Pictures that carry a clock stamp (push --stamp-clock) give the glass-to-glass latency: capture to
decoded here. Read off the pictures that are decoded anyway (every keyframe while nobody watches, which
is enough for a live figure: one reading per keyframe interval, so p50/p95 over 10 s rest on a handful)
and, while someone does, off up to STAMP_READS_PER_SECOND pictures a second.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from fractions import Fraction

import av

from ingress_studio.media import clock_stamp
from ingress_studio.media.audio_levels import LevelMeter
from ingress_studio.media.latency_window import LatencyWindow
from ingress_studio.media.thumbnails import Thumbnailer
from ingress_studio.media.wall_clock import latency_ms
from ingress_studio.sandbox.input_meter import InputMeter

log = logging.getLogger(__name__)

PREVIEW_FPS = 10.0
LEVELS_PER_SECOND = 10.0
WATCH_GRACE_S = 3.0  # a viewer counts as watching this long after its last request
STAMP_READS_PER_SECOND = 10.0
WHIP_UNWATCHED_STAMP_READS_PER_SECOND = 2.0  # WebRTC decodes every picture: a latency reading costs no decode
_QUEUE_LIMIT = 300
_MS = Fraction(1, 1000)


@dataclass(frozen=True)
class Picture:
    jpeg: bytes
    width: int
    height: int
    number: int  # rises with every new picture, so a viewer can tell new from old


@dataclass(frozen=True)
class _Config:
    kind: str
    codec_name: str
    extradata: bytes | None


@dataclass(frozen=True)
class _Packet:
    kind: str
    data: bytes
    keyframe: bool
    dts_ms: int
    pts_ms: int
    alone: bool = False  # a keyframe without the pictures after it: decode it on its own


_STOP = object()


class ArrivalPreview:
    def __init__(self, meter: InputMeter, name: str) -> None:
        self._meter = meter
        self._queue: queue.Queue[object] = queue.Queue()
        self._decoders: dict[str, av.VideoCodecContext | av.AudioCodecContext] = {}
        self._failed_kinds: set[str] = set()
        # Each flag belongs to one thread: the receivers' says "skip to the next keyframe before
        # queueing pictures again", the decoder's "skip to the next keyframe before decoding again".
        self._receiver_needs_key = True
        self._decoder_needs_key = True
        self._wanted_until = 0.0
        self._next_picture = 0.0
        self._next_levels = 0.0
        self._next_stamp_read = 0.0  # the decoding thread's
        self._next_whip_stamp_read = 0.0  # the WHIP receiver's
        self.latency = LatencyWindow()
        self._thumbnails = Thumbnailer()
        self._level_meter = LevelMeter()
        self._lock = threading.Lock()
        self.picture: Picture | None = None
        self.levels: dict[str, list[float]] | None = None
        self.pictures_decoded = 0
        self._thread = threading.Thread(target=self._run, name=f"arrival-{name}", daemon=True)
        self._thread.start()

    # -- called by receivers (any thread) -------------------------------------------------------

    def configure(self, kind: str, codec_name: str, extradata: bytes | None) -> None:
        self._queue.put(_Config(kind, codec_name, extradata))

    def packet(self, kind: str, data: bytes, keyframe: bool, dts_ms: int, pts_ms: int) -> None:
        watched = self.watched()
        if kind == "video":
            if keyframe:
                self._receiver_needs_key = False
            elif not watched or self._receiver_needs_key:
                # Nobody looks (the next keyframe is all the meter needs), or a picture this one
                # refers to was skipped: decoding it would show garbage.
                self._receiver_needs_key = True
                return
        if self._queue.qsize() > _QUEUE_LIMIT:
            if kind == "video":
                self._receiver_needs_key = True  # fell behind: skip to the next keyframe
            return
        self._queue.put(_Packet(kind, data, keyframe, dts_ms, pts_ms, alone=kind == "video" and not watched))

    def frame(self, frame: av.VideoFrame | av.AudioFrame) -> None:
        """An already decoded frame (the WHIP receiver decodes as part of WebRTC)."""
        if isinstance(frame, av.VideoFrame):
            self._meter.picture(frame.width, frame.height)
        if self._queue.qsize() > _QUEUE_LIMIT:
            return  # the preview fell behind: skip this one (the meter has counted it already)
        if isinstance(frame, av.VideoFrame):
            now = time.monotonic()
            if self.watched() or self.picture is None or now >= self._next_whip_stamp_read:
                self._next_whip_stamp_read = now + 1.0 / WHIP_UNWATCHED_STAMP_READS_PER_SECOND
                self._queue.put(frame)
        else:
            self._queue.put(frame)

    def close(self) -> None:
        self._queue.put(_STOP)

    # -- called by preview viewers ---------------------------------------------------------------

    def watch(self) -> None:
        self._wanted_until = time.monotonic() + WATCH_GRACE_S

    def watched(self) -> bool:
        return time.monotonic() < self._wanted_until

    # -- the decoding thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            try:
                if isinstance(item, _Config):
                    self._open_decoder(item)
                elif isinstance(item, _Packet):
                    self._decode(item)
                elif isinstance(item, av.VideoFrame):
                    self._picture(item, keyframe=False)
                elif isinstance(item, av.AudioFrame):
                    self._sound(item)
            except Exception:  # the preview must never take the receiver down
                log.exception("preview decoding failed")

    def _open_decoder(self, config: _Config) -> None:
        try:
            decoder = av.CodecContext.create(config.codec_name, "r")
            if not isinstance(decoder, av.VideoCodecContext | av.AudioCodecContext):
                raise ValueError("not an audio or video codec")
        except (av.FFmpegError, ValueError) as exc:
            log.info("no %s preview: cannot decode %s (%s)", config.kind, config.codec_name, exc)
            self._failed_kinds.add(config.kind)
            return
        if config.extradata:
            decoder.extradata = config.extradata
        decoder.thread_count = 1  # frame threads would hold keyframes back by several intervals
        self._decoders[config.kind] = decoder
        self._failed_kinds.discard(config.kind)
        if config.kind == "video":
            self._decoder_needs_key = True

    def _decode(self, item: _Packet) -> None:
        decoder = self._decoders.get(item.kind)
        if decoder is None:
            return
        if item.kind == "video":
            if self._decoder_needs_key and not item.keyframe:
                return
            self._decoder_needs_key = False
        packet = av.Packet(item.data)
        packet.dts, packet.pts, packet.time_base = item.dts_ms, item.pts_ms, _MS
        try:
            frames: list[av.VideoFrame | av.AudioFrame] = list(decoder.decode(packet))
            if item.alone:
                # A decoder with B-frame reordering holds a picture back until later ones come;
                # for a lone keyframe none will, so drain it now and start clean for the next.
                frames.extend(decoder.decode(None))
                decoder.flush_buffers()
        except av.FFmpegError as exc:
            log.debug("%s packet not decoded: %s", item.kind, exc)
            if item.kind == "video":
                self._decoder_needs_key = True
            return
        for frame in frames:
            if isinstance(frame, av.VideoFrame):
                self._meter.picture(frame.width, frame.height)
                self._picture(frame, keyframe=item.keyframe)
            elif isinstance(frame, av.AudioFrame):
                self._sound(frame)

    def _picture(self, frame: av.VideoFrame, keyframe: bool) -> None:
        self.pictures_decoded += 1
        now = time.monotonic()
        if keyframe or now >= self._next_stamp_read:
            self._next_stamp_read = now + 1.0 / STAMP_READS_PER_SECOND
            self._read_stamp(frame, now)
        if not (keyframe or self.picture is None or (self.watched() and now >= self._next_picture)):
            return
        self._next_picture = now + 1.0 / PREVIEW_FPS
        thumbnail = self._thumbnails.jpeg(frame)
        if thumbnail is None:
            return
        jpeg, width, height = thumbnail
        with self._lock:
            number = self.picture.number + 1 if self.picture else 1
            self.picture = Picture(jpeg, width, height, number)

    def _read_stamp(self, frame: av.VideoFrame, now: float) -> None:
        stamp = clock_stamp.read(frame)
        if stamp is not None:
            self.latency.add(latency_ms(stamp), now)

    def _sound(self, frame: av.AudioFrame) -> None:
        self._meter.sound(frame.sample_rate, frame.layout.nb_channels)
        self._level_meter.add(frame)
        now = time.monotonic()
        if now >= self._next_levels:
            self._next_levels = now + 1.0 / LEVELS_PER_SECOND
            self.levels = self._level_meter.take() or self.levels
