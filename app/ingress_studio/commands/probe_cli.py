"""`ingress-studio probe`: what a push of these sources to this target would do, without connecting to it."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingress_studio.commands.credentials import add_credential_arguments
from ingress_studio.commands.push_cli import keyframe_seconds, positive_seconds, video_kbps
from ingress_studio.commands.terminal_text import message_line, printable
from ingress_studio.domain.encoding_presets import (
    AUDIO_PROFILES,
    DEFAULT_AUDIO_PROFILE,
    DEFAULT_VIDEO_PROFILE,
    DEFAULT_X264_PRESET,
    VIDEO_PROFILES,
    X264_PRESETS,
    VideoProfile,
)
from ingress_studio.user_error import UserError

if TYPE_CHECKING:  # PyAV loads when the probe runs, not when any command starts
    from ingress_studio.media.preflight import PreflightReport, PreflightTarget


def add_probe_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "probe",
        help="say what a push would do with these sources (remux or transcode, and why), without connecting",
        description="Opens the sources as `push` does and prints the plan: what each source holds, remux or "
        "transcode and why, the scaling, frame rate and audio changes. Nothing connects to the target, so no "
        "stream key is needed. Exit code 1 when the push could not work, with the reason.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="what to send (several files = a playlist)")
    parser.add_argument("--audio", metavar="SOURCE", help="take audio from this source instead (e.g. mic:default)")
    parser.add_argument("--loop", action="store_true", help="the file(s) would repeat until stopped")
    target = parser.add_argument_group("target (one)").add_mutually_exclusive_group(required=True)
    target.add_argument("--ingress", metavar="ID", help="an ingress of the chosen project (its type and presets)")
    target.add_argument("--rtmp", metavar="URL", help="an RTMP(S) server URL")
    target.add_argument("--whip", metavar="URL", help="a WHIP endpoint URL")
    encoding = parser.add_argument_group("encoding")
    encoding.add_argument(
        "--profile", choices=sorted(VIDEO_PROFILES), help=f"default: the ingress's, else {DEFAULT_VIDEO_PROFILE}"
    )
    encoding.add_argument(
        "--audio-profile", choices=sorted(AUDIO_PROFILES), help=f"default: the ingress's, else {DEFAULT_AUDIO_PROFILE}"
    )
    encoding.add_argument(
        "--video-bitrate", type=video_kbps, metavar="KBPS", help="override the profile's video bitrate"
    )
    encoding.add_argument("--keyframe-interval", type=keyframe_seconds, metavar="SECONDS", help="as push takes it")
    encoding.add_argument("--x264-preset", choices=X264_PRESETS, default=DEFAULT_X264_PRESET, help="as push takes it")
    encoding.add_argument("--transcode", action="store_true", help="always re-encode, even when remuxing would do")
    encoding.add_argument("--stamp-clock", action="store_true", help="as push takes it (it forces transcoding)")
    encoding.add_argument(
        "--bypass-transcoding",
        action="store_true",
        help="with --whip: the ingress passes media through to viewers (what --ingress finds out by itself)",
    )
    parser.add_argument(
        "--open-timeout", type=positive_seconds, metavar="SECONDS", help="give up on a URL that does not answer"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (docs/probe.md)")
    add_credential_arguments(parser)


class ProbeRefused(UserError):
    """Nothing could be pushed to this target; `message` says why."""


@dataclass(frozen=True)
class ResolvedTarget:
    target: PreflightTarget
    video_profile: str
    audio_profile: str
    sentence: str  # why this encoder profile, or "" when there is nothing to say


def _chosen_profiles(args: argparse.Namespace, video: str, audio: str) -> tuple[str, str]:
    return args.profile or video, args.audio_profile or audio


async def _ingress_target(args: argparse.Namespace) -> ResolvedTarget:
    from ingress_studio.commands.credentials import project_client
    from ingress_studio.commands.ingress_lookup import find_ingress
    from ingress_studio.domain.ingress_kinds import is_enabled
    from ingress_studio.domain.ingress_profile import expected_profile
    from ingress_studio.media.preflight import PreflightTarget
    from ingress_studio.media.profiles import TargetKind

    async with project_client(args) as client:
        info = await find_ingress(client, args.ingress)
    expected = expected_profile(info)
    if not is_enabled(info):
        raise ProbeRefused(f"Ingress {info.ingress_id} is disabled, so it refuses every stream: enable it first.")
    target = PreflightTarget(TargetKind(expected.kind), expected.url, info.ingress_id, not expected.transcoded)
    video, audio = _chosen_profiles(args, expected.video_profile, expected.audio_profile)
    sentence = expected.sentence
    if (video, audio) != (expected.video_profile, expected.audio_profile):
        sentence = (
            f"Encoder profile {video} with {audio} audio, as asked; the ingress expects "
            f"{expected.video_profile} with {expected.audio_profile} audio: {expected.reason}."
        )
    return ResolvedTarget(target, video, audio, sentence)


def _url_target(args: argparse.Namespace) -> ResolvedTarget:
    from ingress_studio.domain.ingress_profile import PASSTHROUGH_REASON, profile_sentence  # protobuf: not at start
    from ingress_studio.media.preflight import PreflightTarget
    from ingress_studio.media.targets import rtmp_target, whip_target

    if args.rtmp and args.bypass_transcoding:
        raise ProbeRefused("Only a WHIP ingress can pass media through: --bypass-transcoding goes with --whip.")
    checked = rtmp_target(args.rtmp) if args.rtmp else whip_target(args.whip)  # a TargetError for a bad URL
    video, audio = _chosen_profiles(args, DEFAULT_VIDEO_PROFILE, DEFAULT_AUDIO_PROFILE)
    sentence = profile_sentence(video, audio, PASSTHROUGH_REASON) if args.bypass_transcoding else ""
    return ResolvedTarget(
        PreflightTarget(checked.kind, checked.url, "", args.bypass_transcoding), video, audio, sentence
    )


def _resolve_target(args: argparse.Namespace) -> ResolvedTarget:
    from ingress_studio.api.errors import ApiError
    from ingress_studio.commands.credentials import CredentialsError
    from ingress_studio.domain.ingress_profile import IngressNotPushable
    from ingress_studio.media.errors import TargetError

    try:
        import asyncio  # not at import time: every command's start builds this parser

        return asyncio.run(_ingress_target(args)) if args.ingress is not None else _url_target(args)
    except (ApiError, CredentialsError, IngressNotPushable, TargetError) as exc:
        raise ProbeRefused(exc.message) from exc


def _report(args: argparse.Namespace) -> PreflightReport:
    from ingress_studio.media.inputs import OPEN_TIMEOUT_S
    from ingress_studio.media.preflight import PreflightReport, PreflightRequest, preflight
    from ingress_studio.media.profiles import EncoderTuning
    from ingress_studio.media.source_spec import parse_source

    try:
        resolved = _resolve_target(args)
    except ProbeRefused as exc:
        video, audio = _chosen_profiles(args, DEFAULT_VIDEO_PROFILE, DEFAULT_AUDIO_PROFILE)
        return PreflightReport(None, video, audio, problem=exc.message)
    request = PreflightRequest(
        playlist=[parse_source(source) for source in args.sources],
        target=resolved.target,
        video_profile=_with_bitrate(VIDEO_PROFILES[resolved.video_profile], args.video_bitrate),
        audio_profile=AUDIO_PROFILES[resolved.audio_profile],
        audio_source=parse_source(args.audio) if args.audio else None,
        loop=args.loop,
        allow_remux=not args.transcode,
        open_timeout_s=args.open_timeout or OPEN_TIMEOUT_S,
        profile_sentence=resolved.sentence,
        tuning=EncoderTuning(args.keyframe_interval, args.x264_preset),
        stamp_clock=args.stamp_clock,
    )
    return preflight(request)


def _with_bitrate(profile: VideoProfile, kbps: int | None) -> VideoProfile:
    return profile.with_bitrate(kbps * 1000) if kbps else profile


def _print_text(report: PreflightReport) -> None:
    if report.all_sources:
        print("Sources:")
        for source in report.all_sources:
            print(f"  {printable(source.describe())}")
    if report.target is not None:
        target = report.target
        ingress = f" (ingress {target.ingress_id})" if target.ingress_id else ""
        print(f"Target: {target.kind.value.upper()} {message_line(target.url)}{ingress}")
    if report.steps:
        print("Plan:")
        for step in report.steps:
            print(f"  {message_line(step)}")


def run_probe_command(args: argparse.Namespace) -> int:
    import ingress_studio.media  # noqa: F401  - prepares the environment before av loads

    report = _report(args)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False), flush=True)  # one line: the window reads lines
    else:
        _print_text(report)
    if report.problem is not None:
        if not args.json:
            print(message_line(f"ingress-studio probe: {report.problem}"), file=sys.stderr)
        return 1
    return 0
