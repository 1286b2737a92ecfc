"""H.264 with B-frames, made fit for WebRTC: decoded and encoded again, once for all of a room's viewers.

WebRTC's H.264 has no B-frames (receivers decode in arrival order and show pictures as they come out), yet
OBS's x264 and many files use them: forwarded as they are, a viewer sees only a picture now and then. So a
session whose pictures arrive out of order (pts ≠ dts) is re-encoded without B-frames — what the real
ingress service does to every RTMP input anyway — on a thread of its own, while someone watches.

Fed AVCC (or Annex-B) pictures with their times; gives Annex-B pictures (parameter sets before each IDR)
to `on_picture(data, pts_ms, idr)` from its thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import av

log = logging.getLogger(__name__)

MS = Fraction(1, 1000)
QUEUE_LIMIT = 90  # 3 s at 30 fps: further behind, it skips to the next keyframe
KEYFRAME_INTERVAL_S = 2
FRAME_RATE = 30  # the encoder's clock only: timestamps come from the input


def bitrate_for(height: int) -> int:
    """About what LiveKit's ingress presets give for the top layer."""
    return 4_500_000 if height > 720 else 2_500_000 if height > 540 else 1_200_000


OnPicture = Callable[[bytes, int, bool], None]
_STOP = object()


class RoomReencoder:
    def __init__(self, name: str, extradata: bytes | None, on_picture: OnPicture) -> None:
        self._name = name
        self._on_picture = on_picture
        decoder = av.CodecContext.create("h264", "r")
        assert isinstance(decoder, av.VideoCodecContext)
        if extradata:
            decoder.extradata = extradata
        decoder.thread_count = 1  # frame threads would hold pictures back: this is a live path
        self._decoder = decoder
        self._encoder: av.VideoCodecContext | None = None
        self._queue: queue.Queue[object] = queue.Queue()
        self._needs_key = True
        self._priming = 0  # decode-only pictures queued: they do not count as falling behind
        self._thread = threading.Thread(target=self._run, name=f"room-reencode-{name}", daemon=True)
        self._thread.start()

    def picture(self, data: bytes, keyframe: bool, dts_ms: int, pts_ms: int, encode: bool = True) -> None:
        """`encode` False: decode only (pictures before the live edge, to have the references at hand)."""
        if self._queue.qsize() >= QUEUE_LIMIT + self._priming:
            self._drain()
            self._needs_key = True
        if self._needs_key and not keyframe:
            return
        self._needs_key = False
        if not encode:
            self._priming += 1
        self._queue.put((data, keyframe, dts_ms, pts_ms, encode))

    def close(self) -> None:
        self._drain()
        self._queue.put(_STOP)

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                self._priming = 0
                return

    def _run(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            try:
                self._reencode(*item)  # type: ignore[misc]
            except av.FFmpegError as exc:
                log.debug("%s: a picture was not re-encoded: %s", self._name, exc)
            except Exception:  # the room's copy must never take the receiver down
                log.exception("%s: re-encoding for the room failed", self._name)

    def _reencode(self, data: bytes, keyframe: bool, dts_ms: int, pts_ms: int, encode: bool) -> None:
        if not encode:
            self._priming = max(0, self._priming - 1)  # a rough count across threads: a lost update only nudges a bound
        packet = av.Packet(data)
        packet.dts, packet.pts, packet.time_base = dts_ms, pts_ms, MS
        for frame in self._decoder.decode(packet):
            if not encode or frame.pts is None:
                continue
            encoder = self._encoder or self._open_encoder(frame)
            shown_ms = int(frame.pts)
            frame.pts, frame.time_base = shown_ms, MS
            frame.pict_type = av.video.frame.PictureType.NONE
            for out in encoder.encode(frame):
                self._on_picture(bytes(out), int(out.pts) if out.pts is not None else shown_ms, out.is_keyframe)

    def _open_encoder(self, frame: av.VideoFrame) -> av.VideoCodecContext:
        encoder: Any = av.CodecContext.create("libx264", "w")
        encoder.width, encoder.height, encoder.pix_fmt = frame.width, frame.height, "yuv420p"
        encoder.time_base = MS
        encoder.framerate = Fraction(FRAME_RATE, 1)
        encoder.bit_rate = bitrate_for(frame.height)
        encoder.gop_size = KEYFRAME_INTERVAL_S * FRAME_RATE
        encoder.max_b_frames = 0
        # In-band parameter sets before every IDR (no global header): what a viewer joining mid-stream needs.
        encoder.options = {"preset": "veryfast", "tune": "zerolatency", "x264-params": "repeat-headers=1"}
        log.info("%s: pictures arrive out of order (B-frames): re-encoding %dx%d for the room", self._name,
                 frame.width, frame.height)  # fmt: skip
        self._encoder = encoder
        return encoder  # type: ignore[no-any-return]
