"""Small JPEG pictures of video frames, for previews (the window's, and the sandbox's "what arrived")."""

from __future__ import annotations

import logging
from fractions import Fraction

import av

log = logging.getLogger(__name__)

MAX_WIDTH = 640


class Thumbnailer:
    def __init__(self, max_width: int = MAX_WIDTH) -> None:
        self._max_width = max_width
        self._encoder: av.VideoCodecContext | None = None
        self._size: tuple[int, int] | None = None
        self._count = 0

    def jpeg(self, frame: av.VideoFrame) -> tuple[bytes, int, int] | None:
        """(JPEG, width, height) of `frame` scaled down to at most max_width; None if it failed."""
        width = min(self._max_width, frame.width)
        height = max(2, round(frame.height * width / frame.width / 2) * 2)
        small = frame.reformat(width=width, height=height, format="yuvj420p")
        encoder = self._encoder_for(width, height)
        small.pts = self._count  # the encoder wants rising timestamps; any will do
        small.time_base = encoder.time_base
        try:
            packets = encoder.encode(small)
        except av.FFmpegError as exc:  # a preview is a nicety: never a reason to stop anything
            log.warning("preview picture skipped: %s", exc)
            return None
        if not packets:
            return None
        self._count += 1
        return bytes(packets[0]), width, height

    def _encoder_for(self, width: int, height: int) -> av.VideoCodecContext:
        if self._encoder is None or self._size != (width, height):
            encoder = av.CodecContext.create("mjpeg", "w")
            assert isinstance(encoder, av.VideoCodecContext)
            encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuvj420p"
            encoder.time_base = Fraction(1, 15)
            encoder.options = {"q": "6"}
            encoder.open()
            self._encoder, self._size = encoder, (width, height)
        return self._encoder
