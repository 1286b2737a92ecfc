"""Whether a source can go to a target as it is (no decode, no encode), and why or why not."""

from __future__ import annotations

from dataclasses import dataclass

from ingress_studio.media.inputs import OpenedInput
from ingress_studio.media.profiles import AUDIO_SAMPLE_RATE, TargetKind

# H.264 profiles without B-frames that a WebRTC peer decodes.
WEBRTC_H264_PROFILES = ("Baseline", "Constrained Baseline")


@dataclass(frozen=True)
class PathChoice:
    remux: bool
    reason: str

    def describe(self) -> str:
        return ("remux (no re-encoding): " if self.remux else "transcode: ") + self.reason


def _has_b_frames(source: OpenedInput) -> bool:
    assert source.video is not None
    context = source.video.codec_context
    profile = (context.profile or "").strip()
    # has_b_frames is the decoder's reorder depth; Baseline profiles cannot carry B-frames at all.
    return bool(context.has_b_frames) and profile not in WEBRTC_H264_PROFILES


def choose_path(
    source: OpenedInput, kinds: set[TargetKind], *, single_item: bool, separate_audio: bool, allowed: bool
) -> PathChoice:
    if not allowed:
        return PathChoice(False, "re-encoding was asked for (--transcode)")
    if source.live:
        return PathChoice(False, f"{source.spec.describe()} is a live capture: it must be encoded")
    if not single_item:
        return PathChoice(False, "a playlist needs one encoder so the stream stays continuous between files")
    if separate_audio:
        return PathChoice(False, "video and audio come from different sources")
    if source.video is None:
        return PathChoice(False, "the source has no video (the ingress expects a picture)")
    video = source.video.codec_context
    audio = source.audio.codec_context if source.audio is not None else None
    if audio is None:
        return PathChoice(False, "the source has no audio and the target gets a silent track")
    reasons: list[str] = []
    if video.name != "h264":
        reasons.append(f"video is {video.name}, not H.264")
    elif _has_b_frames(source):
        reasons.append(f"the H.264 video ({video.profile or 'profile unknown'}) has B-frames")
    for kind in sorted(kinds, key=lambda k: k.value):
        if kind is TargetKind.RTMP and audio.name != "aac":
            reasons.append(f"RTMP needs AAC audio, the source has {audio.name}")
        if kind is TargetKind.WHIP:
            if video.name == "h264" and (video.profile or "") not in WEBRTC_H264_PROFILES:
                reasons.append(f"WHIP needs H.264 baseline, the source is {video.profile or 'of unknown profile'}")
            if audio.name != "opus" or audio.sample_rate != AUDIO_SAMPLE_RATE or audio.channels != 2:
                reasons.append(f"WHIP needs Opus 48 kHz stereo, the source has {audio.name} {audio.sample_rate} Hz")
    if reasons:
        return PathChoice(False, "; ".join(reasons))
    codecs = f"{video.name} ({video.profile}) + {audio.name}"
    return PathChoice(True, f"the source's {codecs} already fits {', '.join(sorted(k.value for k in kinds))}")
