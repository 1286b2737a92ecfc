"""Small media files made by the tests themselves with PyAV (lavfi testsrc2 + sine)."""

from __future__ import annotations

import fractions
import itertools
from pathlib import Path

import av
from av.video.frame import PictureType


def make_media(
    path: Path,
    seconds: float = 2.0,
    *,
    video: str | None = "libx264",
    audio: str | None = "aac",
    size: tuple[int, int] = (640, 360),
    fps: float = 30,
    bframes: int = 0,
    profile: str | None = None,
    sample_rate: int = 48_000,
    container_format: str | None = None,
    gop: int | None = None,
    vfr: bool = False,
    pix_fmt: str = "yuv420p",
) -> Path:
    """Write a file of `seconds` with the given codecs; vfr=True spaces frames unevenly."""
    width, height = size
    out = av.open(str(path), "w", format=container_format)
    rate = fractions.Fraction(fps).limit_denominator(1001)
    vstream = astream = None
    if video:
        vstream = out.add_stream(video, rate=rate)
        vstream.width, vstream.height = width, height
        vstream.pix_fmt = pix_fmt
        options = {"g": str(gop or int(fps))}
        if video == "libx264":
            options.update({"bf": str(bframes), "preset": "ultrafast"})
            if profile:
                options["profile"] = profile
        vstream.options = options
        if vfr:
            vstream.codec_context.time_base = fractions.Fraction(1, 1000)
    if audio:
        astream = out.add_stream(audio, rate=sample_rate)
        astream.layout = "stereo"
    source = av.open(
        f"testsrc2=size={width}x{height}:rate={float(fps)}[out0];sine=frequency=330:sample_rate={sample_rate}[out1]",
        format="lavfi",
    )
    frames = int(seconds * fps)
    count = 0
    audio_done = astream is None
    video_done = vstream is None
    for frame in source.decode():
        if isinstance(frame, av.VideoFrame):
            if video_done:
                continue
            if count >= frames:
                video_done = True
            else:
                assert vstream is not None
                frame.pict_type = PictureType.NONE
                if vfr:
                    # 1/3 of the frames twice as long: 20-40 ms spacing
                    frame.pts = int(sum(1 if i % 3 else 2 for i in range(count)) * 1000 / (fps * 4 / 3))
                    frame.time_base = fractions.Fraction(1, 1000)
                else:
                    frame.pts = count
                    frame.time_base = 1 / rate
                out.mux(vstream.encode(frame))
                count += 1
        elif isinstance(frame, av.AudioFrame) and not audio_done:
            assert astream is not None
            if frame.time is not None and frame.time >= seconds:
                audio_done = True
            else:
                frame.pts = None
                out.mux(astream.encode(frame))
        if audio_done and video_done:
            break
    if vstream is not None:
        out.mux(vstream.encode(None))
    if astream is not None:
        out.mux(astream.encode(None))
    out.close()
    source.close()
    return path


def read_back(path: Path) -> dict[str, object]:
    """What a recording holds: codecs, size, frame rate from timestamps, keyframe times, audio rate."""
    container = av.open(str(path))
    info: dict[str, object] = {}
    video_times: list[float] = []
    keyframes: list[float] = []
    audio_times: list[float] = []
    for packet in container.demux():
        if packet.dts is None or packet.time_base is None:
            continue
        t = float(packet.dts * packet.time_base)
        if packet.stream.type == "video":
            video_times.append(t)
            if packet.is_keyframe:
                keyframes.append(t)
        elif packet.stream.type == "audio":
            audio_times.append(t)
    if container.streams.video:
        cc = container.streams.video[0].codec_context
        info.update(video_codec=cc.name, width=cc.width, height=cc.height, profile=cc.profile)
    if container.streams.audio:
        ac = container.streams.audio[0].codec_context
        info.update(audio_codec=ac.name, sample_rate=ac.sample_rate, channels=ac.channels)
    container.close()
    if len(video_times) > 1:
        span = video_times[-1] - video_times[0]
        info["fps"] = (len(video_times) - 1) / span if span else 0.0
        info["video_span"] = span
        info["max_video_gap"] = max(b - a for a, b in itertools.pairwise(video_times))
    info["keyframes"] = keyframes
    info["video_times"] = video_times
    info["audio_times"] = audio_times
    return info
