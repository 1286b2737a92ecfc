"""The least PyAV code that does push's transcode job: decode, encode with the same settings, send FLV
over RTMP at real time. One thread, no features. The benchmark runs it to separate what the encoder
library costs (PyAV's bundled x264 vs Debian's) from what push's own pipeline adds.

    python tests/bench/pyav_minimal_push.py SOURCE RTMP_URL
"""

from __future__ import annotations

import sys
import time
from fractions import Fraction

import av
from av.video.frame import PictureType


def main(source_path: str, url: str) -> None:
    source = av.open(source_path)
    video_in, audio_in = source.streams.video[0], source.streams.audio[0]
    video_in.thread_type = "AUTO"
    out = av.open(url, "w", format="flv")
    video = out.add_stream("libx264", rate=30)
    video.width, video.height, video.pix_fmt = 1280, 720, "yuv420p"
    video.codec_context.time_base = Fraction(1, 30)
    video.bit_rate = 1_900_000
    video.options = {
        "preset": "veryfast", "tune": "zerolatency", "profile": "high", "g": "60", "keyint_min": "60",
        "sc_threshold": "0", "bf": "0", "x264-params": "vbv-maxrate=1900:vbv-bufsize=3800:nal-hrd=none",
    }  # fmt: skip
    audio = out.add_stream("aac", rate=48_000)
    audio.layout, audio.bit_rate = "stereo", 128_000
    started = time.monotonic()
    for frame in source.decode(video_in, audio_in):
        assert frame.time is not None
        delay = started + frame.time - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if isinstance(frame, av.VideoFrame):
            frame.pict_type = PictureType.NONE
            out.mux(video.encode(frame))
        else:
            out.mux(audio.encode(frame))
    out.mux(video.encode(None))
    out.mux(audio.encode(None))
    out.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
