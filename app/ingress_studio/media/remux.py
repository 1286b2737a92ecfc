"""Whether a source can go to a target as it is (no decode, no encode), and why or why not.

What the targets take: an RTMP ingress always decodes and re-encodes what it receives,
so it takes any H.264 (any profile, B-frames too) with AAC; WHIP goes over WebRTC, and FFmpeg's WHIP
muxer takes only H.264 Baseline (no B-frames) and Opus 48 kHz stereo.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingress_studio.media.inputs import OpenedInput
from ingress_studio.media.profiles import AUDIO_SAMPLE_RATE, TargetKind

# H.264 profiles without B-frames that a WebRTC peer decodes.
WEBRTC_H264_PROFILES = ("Baseline", "Constrained Baseline")


@dataclass(frozen=True)
class PathChoice:
    remux: bool
    why: str  # the reason, in words that finish "Transcoding: …" or "Sending it as it is: …"

    def describe(self) -> str:
        """Short, for the log and the stats' `path`."""
        return ("remux (no re-encoding): " if self.remux else "transcode: ") + self.why

    def sentence(self) -> str:
        """What the push does and why, to show the streamer."""
        if self.remux:
            return f"Sending the source as it is, without re-encoding: {self.why}."
        return f"Transcoding: {self.why}."


def has_b_frames(source: OpenedInput) -> bool:
    assert source.video is not None
    context = source.video.codec_context
    profile = (context.profile or "").strip()
    # has_b_frames is the decoder's reorder depth; Baseline profiles cannot carry B-frames at all.
    return bool(context.has_b_frames) and profile not in WEBRTC_H264_PROFILES


def _whip_video_problem(source: OpenedInput) -> str | None:
    assert source.video is not None
    video = source.video.codec_context
    profile = video.profile or "of unknown profile"
    if video.name != "h264" or profile in WEBRTC_H264_PROFILES:
        return None
    with_b = " with B-frames" if has_b_frames(source) else ""
    return f"WHIP (WebRTC) takes H.264 Baseline without B-frames, and the source's H.264 is {profile}{with_b}"


def choose_path(
    source: OpenedInput,
    kinds: set[TargetKind],
    *,
    single_item: bool,
    separate_audio: bool,
    allowed: bool,
    stamp_clock: bool = False,
) -> PathChoice:
    if not allowed:
        return PathChoice(False, "re-encoding was asked for")
    if stamp_clock and source.video is not None:
        return PathChoice(False, "the clock stamp is drawn into every picture, so the picture is re-encoded")
    if source.still:
        return PathChoice(False, f"{source.spec.describe()} is a still picture, held on screen as a video stream")
    if source.live:
        return PathChoice(False, f"{source.spec.spoken()} is a live source, encoded as its frames arrive")
    if not single_item:
        return PathChoice(False, "the files of a playlist are encoded as one stream, continuous from file to file")
    if separate_audio:
        return PathChoice(False, "video and audio come from different sources and are encoded into one stream")
    if source.video is None:
        return PathChoice(False, "the source has audio only, encoded to the target's audio codec")
    video = source.video.codec_context
    audio = source.audio.codec_context if source.audio is not None else None
    if audio is None:
        return PathChoice(False, "the source has no audio, so the stream is encoded with a silent audio track")
    reasons: list[str] = []
    if video.name != "h264":
        reasons.append(f"the source's video is {video.name.upper()}, and only H.264 can be sent as it is")
    for kind in sorted(kinds, key=lambda k: k.value):
        if kind is TargetKind.RTMP and audio.name != "aac":
            reasons.append(f"RTMP needs AAC audio, the source has {audio.name}")
        if kind is TargetKind.WHIP:
            problem = _whip_video_problem(source)
            if problem:
                reasons.append(problem)
            if audio.name != "opus" or audio.sample_rate != AUDIO_SAMPLE_RATE or audio.channels != 2:
                reasons.append(f"WHIP needs Opus 48 kHz stereo, the source has {audio.name} {audio.sample_rate} Hz")
    if reasons:
        return PathChoice(False, "; ".join(reasons))
    codecs = f"its {video.name.upper()} ({video.profile}) and {audio.name.upper()}"
    return PathChoice(True, f"{codecs} already fit {' and '.join(sorted(k.value.upper() for k in kinds))}")
