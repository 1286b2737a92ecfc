"""Any decoded audio → 48 kHz in the encoder's format and layout, in encoder-sized frames, gap-free.

Timestamps come from a sample counter, so audio stays continuous across files and reconnects; a gap
in the source (or a source with no audio at all) is filled with silence up to where the picture is.
"""

from __future__ import annotations

from fractions import Fraction

import av

from ingress_studio.media.profiles import AUDIO_SAMPLE_RATE

TIME_BASE = Fraction(1, AUDIO_SAMPLE_RATE)
GAP_TOLERANCE_S = 0.05


class AudioConformer:
    def __init__(self, sample_format: str, layout: str, frame_size: int) -> None:
        self.sample_format = sample_format
        self.layout = layout
        self.frame_size = frame_size
        self._resampler: av.AudioResampler | None = None
        self._input_key: tuple[str, str, int] | None = None
        self._fifo = av.AudioFifo()
        self.samples_out = 0  # samples handed to the encoder so far = the audio clock

    @property
    def clock_s(self) -> float:
        return (self.samples_out + self._fifo.samples) / AUDIO_SAMPLE_RATE

    def _silence(self, samples: int) -> av.AudioFrame:
        frame = av.AudioFrame(format=self.sample_format, layout=self.layout, samples=samples)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate = AUDIO_SAMPLE_RATE
        return frame

    def fill_silence_until(self, timeline_s: float) -> list[av.AudioFrame]:
        """Silence from the audio clock up to timeline_s (for gaps and audio-less sources)."""
        missing = round(timeline_s * AUDIO_SAMPLE_RATE) - (self.samples_out + self._fifo.samples)
        if missing > 0:
            self._write(self._silence(missing))
        return self._drain()

    def _resampler_for(self, frame: av.AudioFrame) -> av.AudioResampler:
        """A resampler for this input's format; the next file or a switched source may differ."""
        key = (frame.format.name, frame.layout.name, frame.sample_rate)
        if self._resampler is None or key != self._input_key:
            if self._resampler is not None:
                for rest in self._resampler.resample(None):  # what the old one still holds
                    self._write(rest)
            self._resampler = av.AudioResampler(format=self.sample_format, layout=self.layout, rate=AUDIO_SAMPLE_RATE)
            self._input_key = key
        return self._resampler

    def _write(self, frame: av.AudioFrame) -> None:
        # The fifo insists every frame has the first one's time base; sources differ, so make them equal.
        frame.pts = None
        frame.time_base = TIME_BASE
        self._fifo.write(frame)

    def push(self, frame: av.AudioFrame, timeline_s: float) -> list[av.AudioFrame]:
        out: list[av.AudioFrame] = []
        if timeline_s - self.clock_s > GAP_TOLERANCE_S:
            out += self.fill_silence_until(timeline_s)
        elif frame.sample_rate and timeline_s + frame.samples / frame.sample_rate < self.clock_s - GAP_TOLERANCE_S:
            # audio that overlaps what was already sent (a file's audio outlasting its picture): drop it,
            # or audio would drift later than video at every file boundary
            return out
        frame.pts = None  # the resampler keeps its own clock; ours is the sample counter
        for resampled in self._resampler_for(frame).resample(frame):
            self._write(resampled)
        return out + self._drain()

    def _drain(self) -> list[av.AudioFrame]:
        frames: list[av.AudioFrame] = []
        while self._fifo.samples >= self.frame_size:
            frame = self._fifo.read(self.frame_size)
            assert frame is not None
            frame.pts = self.samples_out
            frame.time_base = TIME_BASE
            frame.sample_rate = AUDIO_SAMPLE_RATE
            self.samples_out += frame.samples
            frames.append(frame)
        return frames
