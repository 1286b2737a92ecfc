"""From what the panel shows to what the engine is told: the source, the selected ingress (and any others
to send to at once, one encode for all), and the encoding — or one sentence saying why Start cannot go."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from livekit.protocol import ingress as ingress_pb

from ingress_studio.children.engine_commands import PushTarget
from ingress_studio.children.probe_request import ProbeRequest
from ingress_studio.controllers.go_live import GoLivePlan
from ingress_studio.controllers.source_choice import SourceChoice
from ingress_studio.domain.encoding_presets import X264_PRESETS
from ingress_studio.domain.ingress_kinds import is_enabled
from ingress_studio.domain.ingress_profile import IngressNotPushable, IngressProfile, expected_profile


@dataclass(frozen=True)
class PushEncoding:
    """The streamer's choices; None = what the ingress expects (profiles) or the engine's default."""

    profile: str | None = None
    audio_profile: str | None = None
    video_bitrate: int | None = None  # kbps
    keyframe_interval: float | None = None  # seconds
    x264_preset: str | None = None
    stamp_clock: bool = False  # draw the capture time into each picture, for latency (not kept between sessions)

    def advanced_json(self) -> str:
        """The advanced settings kept between sessions (the profiles follow each ingress, so they are not)."""
        return json.dumps(
            {"video_bitrate": self.video_bitrate, "keyframe_interval": self.keyframe_interval, "x264": self.x264_preset}
        )

    @classmethod
    def from_advanced_json(cls, text: str) -> PushEncoding:
        """The saved advanced settings, or the defaults when missing or damaged (never an error at start)."""
        try:
            data = json.loads(text)
            bitrate, keyframe, preset = data.get("video_bitrate"), data.get("keyframe_interval"), data.get("x264")
            return cls(
                video_bitrate=int(bitrate) if isinstance(bitrate, int) and bitrate > 0 else None,
                keyframe_interval=float(keyframe) if isinstance(keyframe, int | float) and keyframe > 0 else None,
                x264_preset=preset if preset in X264_PRESETS else None,
            )
        except (ValueError, AttributeError):
            return cls()


def pushable(info: ingress_pb.IngressInfo) -> IngressProfile | str:
    """Where and how this ingress takes a push, or why it takes none."""
    try:
        profile = expected_profile(info)
    except IngressNotPushable as exc:
        return exc.message
    if not is_enabled(info):
        return f"“{info.name or info.ingress_id}” is disabled: enable it before going live."
    return profile


def target_of(info: ingress_pb.IngressInfo, profile: IngressProfile) -> PushTarget:
    return PushTarget(profile.kind, profile.url, profile.key, label=info.name or info.ingress_id)


NO_INGRESS_SELECTED = "Select an ingress to go live to."


def build_plan(
    choice: SourceChoice,
    main: ingress_pb.IngressInfo | None,
    also: Sequence[ingress_pb.IngressInfo],
    encoding: PushEncoding,
) -> GoLivePlan | str:
    if main is None:
        return NO_INGRESS_SELECTED
    problem = choice.problem()
    if problem is not None:
        return problem
    targets: list[PushTarget] = []
    expected: IngressProfile | None = None
    ingresses = [main, *(other for other in also if other.ingress_id != main.ingress_id)]
    for info in ingresses:
        profile = pushable(info)
        if isinstance(profile, str):
            return profile
        expected = expected or profile
        targets.append(target_of(info, profile))
    assert expected is not None
    return GoLivePlan(
        sources=choice.sources(),
        targets=tuple(targets),
        audio=choice.audio,
        loop=choice.loops,
        profile=encoding.profile or expected.video_profile,
        audio_profile=encoding.audio_profile or expected.audio_profile,
        video_bitrate=encoding.video_bitrate,
        keyframe_interval=encoding.keyframe_interval,
        x264_preset=encoding.x264_preset,
        stamp_clock=encoding.stamp_clock,
        ingress_ids=tuple(info.ingress_id for info in ingresses),
    )


def probe_request(
    choice: SourceChoice, main: ingress_pb.IngressInfo | None, encoding: PushEncoding
) -> ProbeRequest | None:
    """The pre-flight check of what Start would send to the selected ingress; None when there is nothing to
    check yet (no ingress, no usable source, an ingress that takes no push: the plan says why)."""
    if main is None or choice.problem() is not None:
        return None
    profile = pushable(main)
    if isinstance(profile, str):
        return None
    request = ProbeRequest.for_ingress(choice.sources(), profile, audio=choice.audio, loop=choice.loops)
    return replace(
        request,
        profile=encoding.profile or request.profile,
        audio_profile=encoding.audio_profile or request.audio_profile,
        video_bitrate=encoding.video_bitrate,
        keyframe_interval=encoding.keyframe_interval,
        x264_preset=encoding.x264_preset,
        stamp_clock=encoding.stamp_clock,  # the push transcodes to draw the stamp: the probe must say the same
    )
