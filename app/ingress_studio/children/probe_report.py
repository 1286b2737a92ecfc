"""What `ingress-studio probe --json` reports (docs/probe.md), as typed values: the sources' facts, the plan's
steps as sentences, and whether the push could work (`ok`, or `problem` in one sentence)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ingress_studio.children.event_lines import json_object, read_json_line
from ingress_studio.children.json_fields import Fields, Malformed
from ingress_studio.children.unreadable import Unreadable

T = TypeVar("T")


@dataclass(frozen=True)
class ProbedVideo:
    codec: str  # FFmpeg's name: h264, hevc, vp9…
    profile: str | None  # "High", "Constrained Baseline"…
    width: int
    height: int
    fps: float | None  # None: not known
    b_frames: bool


@dataclass(frozen=True)
class ProbedAudio:
    codec: str
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class ProbedSource:
    source: str  # the source's name as given: a path, a URL, test:, camera:…
    kind: str  # file, url, test, camera, mic, screen
    container: str  # FFmpeg's demuxer name
    container_name: str  # its long name, for people ("QuickTime / MOV")
    duration: float | None  # seconds; None for live sources
    still: bool
    live: bool
    video: ProbedVideo | None
    audio: ProbedAudio | None
    steps: tuple[str, ...]  # what happens to this source, as sentences


@dataclass(frozen=True)
class ProbeTarget:
    kind: str  # "rtmp" or "whip"
    url: str
    ingress_id: str | None
    passthrough: bool  # a WHIP ingress that forwards media to viewers without transcoding


@dataclass(frozen=True)
class ProbeReport:
    ok: bool
    problem: str | None  # why the push could not work, in one sentence
    target: ProbeTarget | None  # None when the target itself was not found
    video_profile: str
    audio_profile: str
    encoder: str | None  # the encoder settings when transcoding
    sources: tuple[ProbedSource, ...]
    audio_source: ProbedSource | None
    remux: bool | None  # None when no path was chosen (a problem came first)
    path: str | None  # the path and its reason, as a sentence
    steps: tuple[str, ...]  # the whole plan, as sentences


def _optional(read: Callable[[Fields], T], fields: Fields | None) -> T | None:
    return None if fields is None else read(fields)


def _video(fields: Fields) -> ProbedVideo:
    return ProbedVideo(
        codec=fields.text("codec"),
        profile=fields.optional_text("profile"),
        width=fields.integer("width"),
        height=fields.integer("height"),
        fps=fields.optional_number("fps"),
        b_frames=fields.flag("b_frames"),
    )


def _audio(fields: Fields) -> ProbedAudio:
    return ProbedAudio(fields.text("codec"), fields.integer("sample_rate"), fields.integer("channels"))


def _source(fields: Fields) -> ProbedSource:
    return ProbedSource(
        source=fields.text("source"),
        kind=fields.text("kind"),
        container=fields.text("container"),
        container_name=fields.text("container_name"),
        duration=fields.optional_number("duration"),
        still=fields.flag("still"),
        live=fields.flag("live"),
        video=_optional(_video, fields.optional_object("video")),
        audio=_optional(_audio, fields.optional_object("audio")),
        steps=fields.texts("steps"),
    )


def _target(fields: Fields) -> ProbeTarget:
    return ProbeTarget(
        kind=fields.text("kind"),
        url=fields.text("url"),
        ingress_id=fields.optional_text("ingress_id"),
        passthrough=fields.flag("passthrough"),
    )


def _report(value: Any) -> ProbeReport:
    fields = json_object(value)
    profile = fields.optional_object("profile") or Fields({})
    sources = tuple(_source(source) for source in fields.objects("sources"))
    ok, problem = fields.flag("ok"), fields.optional_text("problem")
    if ok != (problem is None):
        raise Malformed("“ok” must be true exactly when “problem” is null")
    return ProbeReport(
        ok=ok,
        problem=problem,
        target=_optional(_target, fields.optional_object("target")),
        video_profile=profile.text("video"),
        audio_profile=profile.text("audio"),
        encoder=profile.optional_text("encoder"),
        sources=sources,
        audio_source=_optional(_source, fields.optional_object("audio_source")),
        remux=fields.optional_flag("remux"),
        path=fields.optional_text("path"),
        steps=fields.texts("steps"),
    )


def read_probe_line(line: str) -> ProbeReport | Unreadable:
    return read_json_line(line, _report)
