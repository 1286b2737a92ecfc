"""Measures an arriving stream the way the ingress service reports it in IngressState.

`average_bitrate` is input bytes * 8 / seconds since the track's first packet; the frame rate comes
from the media timestamps of the last five seconds of pictures, and is 0 once no picture arrived for
FRAME_RATE_STALE_S (a stalled or vanished publisher shows no rate); sizes, channels and sample rates
from what the decoder actually produced. Written by receiver and decoder threads, read by the event loop.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from livekit.protocol import ingress as ingress_pb

FRAME_RATE_WINDOW_S = 5.0
FRAME_RATE_STALE_S = 3.0  # longer than any gap between the pictures of a live stream (1 fps and up)
_MIME_BY_CODEC = {
    "h264": "video/H264",
    "vp8": "video/VP8",
    "vp9": "video/VP9",
    "hevc": "video/H265",
    "av1": "video/AV1",
    "aac": "audio/aac",
    "opus": "audio/opus",
    "pcm_alaw": "audio/PCMA",
    "pcm_mulaw": "audio/PCMU",
    "mp3": "audio/mpeg",
}


def mime_type_for(codec_name: str, kind: str) -> str:
    return _MIME_BY_CODEC.get(codec_name, f"{kind}/{codec_name}")


@dataclass
class _Track:
    mime_type: str = ""
    bytes: int = 0
    first_packet: float | None = None  # monotonic seconds
    width: int = 0
    height: int = 0
    sample_rate: int = 0
    channels: int = 0
    frames_decoded: int = 0
    stamps: deque[float] = field(default_factory=lambda: deque(maxlen=512))
    last_stamp_at: float = 0.0  # monotonic seconds when the newest picture arrived

    def bitrate(self, now: float) -> int:
        if self.first_packet is None:
            return 0
        elapsed = now - self.first_packet
        return round(self.bytes * 8 / elapsed) if elapsed > 0.5 else 0

    def frame_rate(self, now: float) -> float:
        stamps = self.stamps
        if len(stamps) < 3 or now - self.last_stamp_at > FRAME_RATE_STALE_S:
            return 0.0
        newest = stamps[-1]
        recent = [t for t in stamps if t >= newest - FRAME_RATE_WINDOW_S]
        span = recent[-1] - recent[0]
        return round((len(recent) - 1) / span, 2) if span > 0 else 0.0


class InputMeter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._video = _Track()
        self._audio = _Track()
        self._declared_audio: tuple[int, int] | None = None
        self.last_media = clock()  # for the no-media watchdogs

    def _track(self, kind: str) -> _Track:
        return self._video if kind == "video" else self._audio

    def packet(self, kind: str, size: int, media_time_s: float | None = None) -> None:
        """Count one arriving packet; pictures also pass their media time (for the frame rate)."""
        now = self._clock()
        with self._lock:
            track = self._track(kind)
            if track.first_packet is None:
                track.first_packet = now
            track.bytes += size
            self.last_media = now
        if media_time_s is not None:
            self.stamp(media_time_s)

    def stamp(self, media_time_s: float) -> None:
        """The media time of a picture counted elsewhere (WHIP counts RTP bytes, then decodes)."""
        now = self._clock()
        with self._lock:
            video = self._video
            video.last_stamp_at = now
            if not video.stamps or media_time_s > video.stamps[-1]:
                video.stamps.append(media_time_s)

    def declare_audio(self, sample_rate: int, channels: int) -> None:
        """What the publisher declared (WHIP's SDP): reported instead of what the decoder makes of it."""
        with self._lock:
            self._declared_audio = (sample_rate, channels)

    def codec(self, kind: str, mime_type: str) -> None:
        with self._lock:
            self._track(kind).mime_type = mime_type

    def picture(self, width: int, height: int) -> None:
        with self._lock:
            self._video.width, self._video.height = width, height
            self._video.frames_decoded += 1

    def sound(self, sample_rate: int, channels: int) -> None:
        with self._lock:
            self._audio.sample_rate, self._audio.channels = self._declared_audio or (sample_rate, channels)
            self._audio.frames_decoded += 1

    def has_packets(self, kind: str | None = None) -> bool:
        """Whether packets of `kind` (of any kind, if None) arrived."""
        with self._lock:
            kinds = (kind,) if kind else ("video", "audio")
            return any(self._track(each).first_packet is not None for each in kinds)

    def decoded(self, kind: str) -> bool:
        with self._lock:
            return self._track(kind).frames_decoded > 0

    def seconds_since_media(self) -> float:
        return self._clock() - self.last_media

    def write_to(self, state: ingress_pb.IngressState) -> None:
        """Fill `state.video` / `state.audio` for the tracks that are known or have arrived."""
        now = self._clock()
        with self._lock:
            video, audio = self._video, self._audio
            if video.first_packet is not None or video.mime_type:
                state.video.mime_type = video.mime_type
                state.video.average_bitrate = video.bitrate(now)
                state.video.width, state.video.height = video.width, video.height
                state.video.framerate = video.frame_rate(now)
            if audio.first_packet is not None or audio.mime_type:
                state.audio.mime_type = audio.mime_type
                state.audio.average_bitrate = audio.bitrate(now)
                state.audio.channels, state.audio.sample_rate = audio.channels, audio.sample_rate
