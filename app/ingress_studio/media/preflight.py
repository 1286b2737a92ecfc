"""Pre-flight: what a push of these sources to this target would do, found out without connecting.

The sources are opened as the push opens them (media.inputs), the path is chosen by the push's own rule
(media.remux.choose_path), and the conforming steps are read off the encoder settings the push would use
(media.profiles): the probe and the push cannot disagree. Nothing here raises for a source or target
problem; the report says it in one sentence instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ingress_studio.domain.encoding_presets import AudioProfile, VideoProfile
from ingress_studio.media.errors import MediaError
from ingress_studio.media.inputs import OPEN_TIMEOUT_S, OpenedInput, open_input
from ingress_studio.media.preflight_words import audio_steps, remux_step, video_steps
from ingress_studio.media.profiles import EncoderSettings, EncoderTuning, TargetKind, settings_for
from ingress_studio.media.remux import PathChoice, choose_path
from ingress_studio.media.source_checks import refuse_still_in_playlist
from ingress_studio.media.source_facts import SourceFacts, source_facts
from ingress_studio.media.source_spec import SourceSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreflightTarget:
    kind: TargetKind
    url: str  # without any key: the probe never connects, so it needs none
    ingress_id: str = ""
    passthrough: bool = False  # a WHIP ingress with transcoding off: viewers get what is sent

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "url": self.url,
            "ingress_id": self.ingress_id or None,
            "passthrough": self.passthrough,
        }


@dataclass(frozen=True)
class PreflightRequest:
    playlist: list[SourceSpec]
    target: PreflightTarget
    video_profile: VideoProfile
    audio_profile: AudioProfile
    audio_source: SourceSpec | None = None
    loop: bool = False
    allow_remux: bool = True
    open_timeout_s: float = OPEN_TIMEOUT_S
    profile_sentence: str = ""  # why this encoder profile (the ingress's presets), when known
    tuning: EncoderTuning = field(default_factory=EncoderTuning)  # keyframe interval, x264 preset
    stamp_clock: bool = False  # the push would draw the clock stamp (which forces transcoding)


@dataclass
class PreflightReport:
    target: PreflightTarget | None  # None when the target itself could not be found (an unknown ingress)
    video_profile: str
    audio_profile: str
    sources: list[SourceFacts] = field(default_factory=list)
    audio_source: SourceFacts | None = None
    path: PathChoice | None = None
    encoder: str | None = None  # the encoder settings, when transcoding
    steps: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def all_sources(self) -> list[SourceFacts]:
        """The main source(s), then the separate audio source if there is one."""
        return [*self.sources, *([self.audio_source] if self.audio_source is not None else [])]

    def as_dict(self) -> dict[str, Any]:
        """The `--json` object (docs/probe.md)."""
        return {
            "ok": self.ok,
            "problem": self.problem,
            "target": None if self.target is None else self.target.as_dict(),
            "profile": {"video": self.video_profile, "audio": self.audio_profile, "encoder": self.encoder},
            "sources": [source.as_dict() for source in self.sources],
            "audio_source": self.audio_source.as_dict() if self.audio_source is not None else None,
            "remux": self.path.remux if self.path is not None else None,
            "path": self.path.sentence() if self.path is not None else None,
            "steps": list(self.steps),
        }


def _open(spec: SourceSpec, request: PreflightRequest, *, want_video: bool, want_audio: bool) -> OpenedInput:
    return open_input(spec, want_video, want_audio, open_timeout_s=request.open_timeout_s)


def preflight(request: PreflightRequest) -> PreflightReport:
    """Open every source, choose the path as the push would, and say what happens to each."""
    report = PreflightReport(request.target, request.video_profile.name, request.audio_profile.name)
    try:
        _probe(request, report)
    except MediaError as exc:
        report.problem = exc.message
    return report


def _probe(request: PreflightRequest, report: PreflightReport) -> None:
    playlist = request.playlist
    separate_audio = request.audio_source is not None
    first: OpenedInput | None = None
    try:
        for index, spec in enumerate(playlist):
            opened = _open(spec, request, want_video=True, want_audio=not separate_audio)
            try:
                refuse_still_in_playlist(opened, len(playlist))
                report.sources.append(source_facts(opened))
            finally:
                if index == 0:
                    first = opened
                else:
                    opened.close()
        if request.audio_source is not None:
            audio = _open(request.audio_source, request, want_video=False, want_audio=True)
            report.audio_source = source_facts(audio)
            audio.close()
        assert first is not None
        report.path = choose_path(
            first,
            {request.target.kind},
            single_item=len(playlist) == 1,
            separate_audio=separate_audio,
            allowed=request.allow_remux,
            stamp_clock=request.stamp_clock,
        )
    finally:
        if first is not None:
            first.close()
    _plan(request, report)


def _plan(request: PreflightRequest, report: PreflightReport) -> None:
    assert report.path is not None
    steps = [report.path.sentence()]
    if request.profile_sentence:
        steps.append(request.profile_sentence)
    if report.path.remux:
        only = report.sources[0]
        assert only.video is not None and only.audio is not None
        only.steps.append(remux_step(only.video, only.audio))
    else:
        settings = settings_for(
            request.target.kind, request.video_profile, request.audio_profile, tuning=request.tuning
        )
        report.encoder = settings.describe()
        steps.append(f"Encoded as {report.encoder}.")
        _conform_steps(report, settings)
    several = len(report.all_sources) > 1
    for source in report.all_sources:
        steps += [f"{source.source}: {step}" if several else step for step in source.steps]
    if request.loop:
        steps.append(
            "The playlist starts again after its last file, until stopped."
            if len(report.sources) > 1
            else "The source starts again when it ends, until stopped."
        )
    report.steps = steps


def _conform_steps(report: PreflightReport, settings: EncoderSettings) -> None:
    """What scaling, frame rate and audio conversion each source goes through."""
    sound = report.audio_source
    for source in report.sources:
        source.steps += video_steps(source.video, source.still, settings)
        if sound is not None:
            source.steps.append(f"The sound comes from {sound.source} instead.")
        else:
            source.steps += audio_steps(source.audio, settings, silent_track=True)
    if sound is not None:
        sound.steps += audio_steps(sound.audio, settings, silent_track=False)
