"""One video and one audio encoder for a set of targets with equal settings (encode once, fan out).

The encoders live as streams of a scratch Matroska container that is never written to: opening them
there gives them global headers (SPS/PPS, AudioSpecificConfig) in their codec parameters, which each
sink copies into its own output stream. Sinks can then come and go (reconnects) while the encoders run on.
"""

from __future__ import annotations

import io
from fractions import Fraction
from typing import Any

import av
import av.container
from av.video.frame import PictureType

from ingress_studio.media.profiles import AUDIO_SAMPLE_RATE, EncoderSettings, vp8_options, x264_options

VIDEO_ENCODERS = {"h264": "libx264", "vp8": "libvpx"}
AUDIO_ENCODERS = {"aac": "aac", "opus": "libopus"}
# The sample format each audio encoder takes.
AUDIO_FORMATS = {"aac": "fltp", "opus": "flt"}


class EncoderSet:
    def __init__(
        self, settings: EncoderSettings, with_video: bool, with_audio: bool, sole_encoder: bool = True
    ) -> None:
        self.settings = settings
        self._scratch: av.container.OutputContainer = av.open(io.BytesIO(), "w", format="matroska")
        self.video: av.VideoStream | None = None
        self.audio: av.AudioStream | None = None
        self.frames_encoded = 0
        self.encode_seconds = 0.0
        profile = settings.video
        if with_video:
            video = self._scratch.add_stream(VIDEO_ENCODERS[settings.video_codec], rate=profile.fps)
            assert isinstance(video, av.VideoStream)
            video.width, video.height, video.pix_fmt = profile.width, profile.height, "yuv420p"
            video.codec_context.time_base = Fraction(1, profile.fps)
            video.bit_rate = profile.bitrate
            options: dict[str, Any] = (
                x264_options(settings, sole_encoder) if settings.video_codec == "h264" else vp8_options(settings)
            )
            video.options = options
            self.video = video
        if with_audio:
            audio = self._scratch.add_stream(AUDIO_ENCODERS[settings.audio_codec], rate=AUDIO_SAMPLE_RATE)
            assert isinstance(audio, av.AudioStream)
            audio.layout = "stereo" if settings.audio_channels == 2 else "mono"
            audio.format = AUDIO_FORMATS[settings.audio_codec]
            audio.bit_rate = settings.audio.bitrate
            self.audio = audio
        self._scratch.start_encoding()  # opens the encoders; nothing is ever muxed here
        # requests (sinks' threads) and those served (the pipeline's): a request between the pipeline's
        # read and reset of a flag would be lost; with two counters it is served by the next picture
        self._keyframes_requested = 0
        self._keyframes_served = 0

    @property
    def audio_frame_size(self) -> int:
        if self.audio is not None and self.audio.codec_context.frame_size:
            return int(self.audio.codec_context.frame_size)
        return self.settings.audio_frame_size

    @property
    def audio_format(self) -> str:
        return AUDIO_FORMATS[self.settings.audio_codec]

    @property
    def audio_layout(self) -> str:
        return "stereo" if self.settings.audio_channels == 2 else "mono"

    def request_keyframe(self) -> None:
        """The next video frame becomes a keyframe (a sink has just connected, or resumes after a stall)."""
        self._keyframes_requested += 1

    def encode_video(self, frame: av.VideoFrame | None) -> list[av.Packet[Any]]:
        assert self.video is not None
        if frame is not None:
            # Decoded and generated frames arrive marked I, and libx264 obeys the mark: every one would be an IDR.
            requested = self._keyframes_requested
            frame.pict_type = PictureType.I if requested != self._keyframes_served else PictureType.NONE
            self._keyframes_served = requested
            self.frames_encoded += 1
        return list(self.video.encode(frame))

    def encode_audio(self, frame: av.AudioFrame | None) -> list[av.Packet[Any]]:
        assert self.audio is not None
        return list(self.audio.encode(frame))

    def close(self) -> None:
        self._scratch.close()
