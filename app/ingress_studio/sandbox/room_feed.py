"""What one live session gives the room's viewers, fed at the same points as the arrival preview.

- H.264 from RTMP or a URL pull is forwarded without re-encoding: AVCC becomes Annex-B with the parameter
  sets before each IDR. The pictures since the last keyframe are kept, so a new viewer starts on a
  keyframe at once (a forwarded stream cannot honour a viewer's keyframe request). H.264 with B-frames
  (pictures out of order), which WebRTC cannot carry, is re-encoded once for all viewers (RoomReencoder).
- Other audio (AAC from RTMP, whatever a URL carries) is decoded and encoded to Opus once for all viewers,
  only while someone watches.
- WHIP input arrives decoded (aiortc decodes it as part of receiving); its frames go to each viewer's
  sender, which encodes them for that viewer. Forwarding the publisher's encoded frames would save that
  cost but needs RTP-level forwarding aiortc does not offer.
- Receivers may call from a thread (a URL pull runs in one): the work moves to the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from fractions import Fraction
from typing import Any

import av

from ingress_studio.sandbox.annexb import START_CODE, AvccError, AvcConfig, parse_avcc, to_annexb
from ingress_studio.sandbox.forwarded_track import ForwardedTrack
from ingress_studio.sandbox.room_reencoder import RoomReencoder

log = logging.getLogger(__name__)

OPUS_RATE = 48000
OPUS_FRAME = 960  # 20 ms, as WebRTC senders use
OPUS_BITRATE = 96000
# A long keyframe interval at a high bitrate must not make the cache a memory sink: past these, the cache
# is dropped and new viewers wait for the next keyframe.
MAX_CACHED_PICTURES = 600
MAX_CACHED_BYTES = 24 * 1024 * 1024


class _OpusTranscoder:
    """Any decodable audio → 20 ms Opus packets at 48 kHz stereo."""

    def __init__(self, codec_name: str, extradata: bytes | None) -> None:
        decoder = av.CodecContext.create(codec_name, "r")
        assert isinstance(decoder, av.AudioCodecContext)
        if extradata:
            decoder.extradata = extradata
        self._decoder = decoder
        self._resampler = av.AudioResampler(format="s16", layout="stereo", rate=OPUS_RATE, frame_size=OPUS_FRAME)
        encoder = av.CodecContext.create("libopus", "w")
        assert isinstance(encoder, av.AudioCodecContext)
        encoder.sample_rate, encoder.layout, encoder.format = OPUS_RATE, "stereo", "s16"
        encoder.bit_rate = OPUS_BITRATE
        encoder.time_base = Fraction(1, OPUS_RATE)
        self._encoder = encoder
        self._samples = 0

    def transcode(self, data: bytes) -> list[av.Packet[Any]]:
        packets: list[av.Packet[Any]] = []
        for decoded in self._decoder.decode(av.Packet(data)):
            for frame in self._resampler.resample(decoded):
                frame.pts = self._samples  # a clock of our own: the input's may jump or restart
                frame.time_base = Fraction(1, OPUS_RATE)
                self._samples += frame.samples
                packets.extend(self._encoder.encode(frame))
        for packet in packets:
            packet.time_base = Fraction(1, OPUS_RATE)
        return packets


class RoomFeed:
    def __init__(self, name: str) -> None:
        self._name = name
        self._loop_thread = threading.get_ident()
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self._avc: AvcConfig | None = None
        self._forwards_video = False
        self._audio_config: tuple[str, bytes | None] | None = None
        self._opus: _OpusTranscoder | None = None
        self._cached: list[tuple[bytes, int]] = []  # Annex-B pictures since the last IDR, with pts in ms
        self._cached_bytes = 0
        self._video_extradata: bytes | None = None
        self._reordered = False  # B-frames seen: pictures go through the re-encoder
        self._reencoder: RoomReencoder | None = None
        self._received: list[tuple[bytes, bool, int, int]] = []  # reordered input since its last keyframe
        self._received_bytes = 0
        self._tracks: dict[str, set[ForwardedTrack]] = {"video": set(), "audio": set()}
        self._closed = False

    # -- called by receivers ------------------------------------------------------------------

    def configure(self, kind: str, codec_name: str, extradata: bytes | None) -> None:
        if self._call_on_loop(self.configure, kind, codec_name, extradata):
            return
        if kind == "video":
            self._forwards_video = codec_name == "h264"
            self._avc = None
            self._video_extradata = extradata
            self._stop_reencoding()
            self._reordered = False
            if not self._forwards_video:
                log.info("%s: %s video is not forwarded to the room (only H.264 is)", self._name, codec_name)
            elif extradata and extradata[0] == 1:
                try:
                    self._avc = parse_avcc(extradata)
                except AvccError as exc:
                    log.info("%s: video not forwarded: %s", self._name, exc)
                    self._forwards_video = False
            self._drop_cache()
        else:
            self._audio_config = (codec_name, extradata)
            self._opus = None

    def packet(self, kind: str, data: bytes, keyframe: bool, dts_ms: int, pts_ms: int) -> None:
        if self._call_on_loop(self.packet, kind, data, keyframe, dts_ms, pts_ms):
            return
        if kind == "video":
            self._picture(data, keyframe, dts_ms, pts_ms)
        elif self._tracks["audio"]:
            self._sound(data)

    def frame(self, frame: av.VideoFrame | av.AudioFrame) -> None:
        """A decoded frame (WHIP): each viewer's sender encodes it."""
        kind = "video" if isinstance(frame, av.VideoFrame) else "audio"
        for track in self._tracks[kind]:
            track.media(frame)

    def close(self) -> None:
        if self._call_on_loop(self.close):
            return
        self._closed = True
        self._stop_reencoding()
        for tracks in self._tracks.values():
            for track in tracks:
                track.end()
            tracks.clear()
        self._drop_cache()

    # -- called by room viewers ---------------------------------------------------------------

    def attach(self, track: ForwardedTrack) -> None:
        if self._closed:
            track.end()
            return
        self._tracks[track.kind].add(track)
        if track.kind == "video":
            track.start_with(list(self._cached))

    def detach(self, track: ForwardedTrack) -> None:
        self._tracks[track.kind].discard(track)
        if not self._tracks["video"]:
            self._stop_reencoding()  # nobody to re-encode for

    def viewers(self) -> int:
        return max(len(tracks) for tracks in self._tracks.values())

    # -- on the event loop --------------------------------------------------------------------

    def _call_on_loop(self, method: object, *args: object) -> bool:
        """From another thread: schedule the call on the loop and say so."""
        if threading.get_ident() == self._loop_thread or self._loop is None:
            return False
        self._loop.call_soon_threadsafe(method, *args)  # type: ignore[arg-type]
        return True

    def _picture(self, data: bytes, keyframe: bool, dts_ms: int, pts_ms: int) -> None:
        if not self._forwards_video:
            return
        if not self._reordered and pts_ms != dts_ms:
            self._reordered = True  # from now on the room gets the re-encoder's pictures
            self._drop_cache()
            for track in self._tracks["video"]:
                track.needs_keyframe = True
        if self._reordered:
            self._reencode(data, keyframe, dts_ms, pts_ms)
            return
        try:
            if self._avc is not None:
                annexb, idr = to_annexb(data, self._avc)
            elif data.startswith(START_CODE) or data.startswith(START_CODE[1:]):
                annexb, idr = data, keyframe  # already Annex-B (an MPEG-TS pull)
            else:
                return
        except AvccError as exc:
            log.debug("%s: picture not forwarded: %s", self._name, exc)
            return
        self._forward(annexb, pts_ms, idr)

    def _forward(self, annexb: bytes, pts_ms: int, idr: bool) -> None:
        """A picture for the viewers (and the cache a new viewer starts from)."""
        if self._closed:
            return
        if idr:
            self._drop_cache()
        if idr or self._cached:
            self._cached.append((annexb, pts_ms))
            self._cached_bytes += len(annexb)
            if len(self._cached) > MAX_CACHED_PICTURES or self._cached_bytes > MAX_CACHED_BYTES:
                self._drop_cache()
        for track in self._tracks["video"]:
            track.picture(annexb, pts_ms, idr)

    def _reencode(self, data: bytes, keyframe: bool, dts_ms: int, pts_ms: int) -> None:
        """Keep the input since its last keyframe; while someone watches, re-encode from the live edge on."""
        if keyframe:
            self._received, self._received_bytes = [], 0
        if keyframe or self._received:
            self._received.append((data, keyframe, dts_ms, pts_ms))
            self._received_bytes += len(data)
            if len(self._received) > MAX_CACHED_PICTURES or self._received_bytes > MAX_CACHED_BYTES:
                self._received, self._received_bytes = [], 0
        if not self._tracks["video"]:
            return
        if self._reencoder is None:
            loop = self._loop
            if loop is None:
                return

            def picture(annexb: bytes, shown_ms: int, idr: bool) -> None:  # on the re-encoder's thread
                if not loop.is_closed():  # a picture finished as the sandbox stops goes nowhere
                    loop.call_soon_threadsafe(self._forward, annexb, shown_ms, idr)

            self._reencoder = RoomReencoder(self._name, self._video_extradata, picture)
            for earlier in self._received[:-1]:  # the references the live picture needs, decoded only
                self._reencoder.picture(*earlier, encode=False)
        self._reencoder.picture(data, keyframe, dts_ms, pts_ms)

    def _stop_reencoding(self) -> None:
        if self._reencoder is not None:
            self._reencoder.close()
            self._reencoder = None
            self._drop_cache()  # no longer refreshed: a later viewer must not start with old pictures

    def _sound(self, data: bytes) -> None:
        if self._opus is None:
            if self._audio_config is None:
                return
            try:
                self._opus = _OpusTranscoder(*self._audio_config)
            except (av.FFmpegError, AssertionError) as exc:
                log.info("%s: audio not forwarded: cannot decode %s (%s)", self._name, self._audio_config[0], exc)
                self._audio_config = None
                return
        try:
            packets = self._opus.transcode(data)
        except av.FFmpegError as exc:
            log.debug("%s: audio packet not transcoded: %s", self._name, exc)
            return
        for packet in packets:
            for track in self._tracks["audio"]:
                track.media(packet)

    def _drop_cache(self) -> None:
        self._cached = []
        self._cached_bytes = 0
