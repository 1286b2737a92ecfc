"""`ingress-studio push`: the bridge engine from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import math
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from ingress_studio.commands.credentials import add_credential_arguments
from ingress_studio.commands.push_status_line import StatusLine, status_text
from ingress_studio.commands.terminal_text import message_line
from ingress_studio.domain.encoding_presets import (
    AUDIO_PROFILES,
    DEFAULT_AUDIO_PROFILE,
    DEFAULT_VIDEO_PROFILE,
    DEFAULT_X264_PRESET,
    KEYFRAME_INTERVAL_RANGE_S,
    VIDEO_PROFILES,
    X264_PRESETS,
)
from ingress_studio.user_error import UserError

log = logging.getLogger(__name__)

MAX_VIDEO_KBPS = 100_000  # far above any ingress preset (4.5 Mbit/s); beyond this x264 refuses to open


def _number(
    text: str, kind: type[int] | type[float], low: float, high: float = math.inf, low_included: bool = True
) -> float:
    """argparse type: a finite number in range, or one line saying what is wrong with it."""
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a {'whole ' if kind is int else ''}number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text} is not a finite number")
    if value < low or (value == low and not low_included):
        raise argparse.ArgumentTypeError(
            f"{text} is too small: it must be {'at least' if low_included else 'over'} {low:g}"
        )
    if value > high:
        raise argparse.ArgumentTypeError(f"{text} is too large: it must be at most {high:g}")
    return value


def positive_seconds(text: str) -> float:
    return _number(text, float, 0, low_included=False)


def non_negative_seconds(text: str) -> float:
    return _number(text, float, 0)


def keyframe_seconds(text: str) -> float:
    return _number(text, float, *KEYFRAME_INTERVAL_RANGE_S)


def video_kbps(text: str) -> int:
    return int(_number(text, int, 1, MAX_VIDEO_KBPS))


def non_negative_int(text: str) -> int:
    return int(_number(text, int, 0))


def add_push_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "push",
        help="send a file, the test pattern, or a capture device to RTMP/WHIP targets",
        description="Sources: a media file or URL (several play back-to-back), test: (moving picture + tone), "
        "camera:DEVICE, mic:DEVICE, screen:DISPLAY. Run `ingress-studio devices` for this machine's devices.",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="what to send (several files = a playlist)")
    parser.add_argument("--audio", metavar="SOURCE", help="take audio from this source instead (e.g. mic:default)")
    targets = parser.add_argument_group("targets (any number, all at once)")
    targets.add_argument("--rtmp", action="append", default=[], metavar="URL", help="RTMP(S) server URL")
    targets.add_argument(
        "--stream-key",
        action="append",
        default=[],
        metavar="KEY",
        help="stream key for the --rtmp at the same position",
    )
    targets.add_argument("--whip", action="append", default=[], metavar="URL", help="WHIP endpoint URL")
    targets.add_argument(
        "--token", action="append", default=[], metavar="KEY", help="bearer token for the --whip at the same position"
    )
    targets.add_argument(
        "--ingress",
        action="append",
        default=[],
        metavar="ID",
        help="an ingress of the chosen project (its URL and key)",
    )
    encoding = parser.add_argument_group("encoding")
    encoding.add_argument("--profile", choices=sorted(VIDEO_PROFILES), default=DEFAULT_VIDEO_PROFILE)
    encoding.add_argument(
        "--video-bitrate", type=video_kbps, metavar="KBPS", help="override the profile's video bitrate"
    )
    encoding.add_argument("--audio-profile", choices=sorted(AUDIO_PROFILES), default=DEFAULT_AUDIO_PROFILE)
    encoding.add_argument(
        "--keyframe-interval",
        type=keyframe_seconds,
        metavar="SECONDS",
        help="seconds between keyframes (default 2 for RTMP, 1 for WHIP)",
    )
    encoding.add_argument(
        "--x264-preset", choices=X264_PRESETS, default=DEFAULT_X264_PRESET, help="x264's speed/quality trade-off"
    )
    encoding.add_argument("--whip-codec", choices=("h264", "vp8"), default="h264", help="video codec for WHIP")
    encoding.add_argument("--transcode", action="store_true", help="always re-encode, even when remuxing would do")
    encoding.add_argument("--no-audio", action="store_true", help="send video only")
    encoding.add_argument(
        "--stamp-clock",
        action="store_true",
        help="draw each picture's capture time (Unix ms, low 32 bits) as 32 blocks along its top edge, for "
        "measuring glass-to-glass latency; implies --transcode",
    )
    encoding.add_argument("--no-video", action="store_true", help="send audio only")
    playback = parser.add_argument_group("playback")
    playback.add_argument("--loop", action="store_true", help="repeat the file(s) until stopped")
    playback.add_argument(
        "--start", type=non_negative_seconds, default=0.0, metavar="SECONDS", help="start this far into the file"
    )
    playback.add_argument("--duration", type=positive_seconds, metavar="SECONDS", help="stop after this much media")
    reliability = parser.add_argument_group("reliability and reporting")
    reliability.add_argument(
        "--reconnect-tries", type=non_negative_int, default=25, metavar="N", help="give up after N (default 25)"
    )
    reliability.add_argument(
        "--reconnect-delay", type=positive_seconds, default=2.0, metavar="SECONDS", help="first retry delay"
    )
    reliability.add_argument("--stats-json", action="store_true", help="print one JSON stats line per second on stdout")
    add_credential_arguments(parser)


async def _lookup_ingresses(args: argparse.Namespace) -> list[Any]:
    from ingress_studio.commands.credentials import project_client
    from ingress_studio.commands.ingress_lookup import find_ingress
    from ingress_studio.domain.ingress_profile import expected_profile
    from ingress_studio.media.targets import rtmp_target, whip_target

    targets = []
    async with project_client(args) as client:
        for ingress_id in args.ingress:
            info = await find_ingress(client, ingress_id)
            expected = expected_profile(info)
            label = f"ingress {info.ingress_id} ({info.name or info.room_name})"
            make = rtmp_target if expected.kind == "rtmp" else whip_target
            targets.append(make(expected.url, expected.key, label=label))
    return targets


def _targets(args: argparse.Namespace) -> list[Any]:
    from ingress_studio.media.errors import TargetError
    from ingress_studio.media.targets import rtmp_target, whip_target

    if args.stream_key and len(args.stream_key) != len(args.rtmp):
        raise TargetError("Give one --stream-key per --rtmp (or put the key at the end of the URL).")
    if args.token and len(args.token) != len(args.whip):
        raise TargetError("Give one --token per --whip.")
    targets = [rtmp_target(url, args.stream_key[i] if args.stream_key else "") for i, url in enumerate(args.rtmp)]
    targets += [whip_target(url, args.token[i] if args.token else "") for i, url in enumerate(args.whip)]
    if args.ingress:
        import asyncio  # not at import time: every command's start builds this parser

        targets += asyncio.run(_lookup_ingresses(args))
    return targets


def run_push_command(args: argparse.Namespace) -> int:
    import ingress_studio.media  # noqa: F401  - prepares the environment before av loads
    from ingress_studio.media.errors import MediaError
    from ingress_studio.media.gc_tuning import tune_gc_for_streaming
    from ingress_studio.media.pipeline import PushJob, PushOptions
    from ingress_studio.media.profiles import EncoderTuning
    from ingress_studio.media.reconnect import ReconnectPolicy
    from ingress_studio.media.source_spec import parse_source

    status = StatusLine(sys.stderr) if sys.stderr.isatty() and not args.stats_json else None

    def say(text: str) -> None:
        line = message_line(f"ingress-studio push: {text}")  # servers' words: nothing a terminal obeys, no key
        if status is not None:
            status.write_line(line)
        else:
            print(line, file=sys.stderr, flush=True)

    def fail(message: str, code: int = 1) -> int:
        say(message)
        return code

    if args.no_audio and args.no_video:
        return fail("--no-audio and --no-video together leave nothing to send.", 2)
    if not (args.rtmp or args.whip or args.ingress):
        return fail("Nothing to push to: give --rtmp URL, --whip URL or --ingress ID.", 2)
    try:
        targets = _targets(args)
        video_profile = VIDEO_PROFILES[args.profile]
        if args.video_bitrate:
            video_profile = video_profile.with_bitrate(args.video_bitrate * 1000)
        options = PushOptions(
            playlist=[parse_source(s) for s in args.sources],
            targets=targets,
            audio_source=parse_source(args.audio) if args.audio else None,
            video_profile=video_profile,
            audio_profile=AUDIO_PROFILES[args.audio_profile],
            whip_video_codec=args.whip_codec,
            tuning=EncoderTuning(args.keyframe_interval, args.x264_preset),
            loop=args.loop,
            start_s=max(0.0, args.start),
            duration_s=args.duration,
            allow_remux=not args.transcode,
            send_video=not args.no_video,
            send_audio=not args.no_audio,
            reconnect=ReconnectPolicy(first_delay_s=args.reconnect_delay, max_attempts=args.reconnect_tries),
            stamp_clock=args.stamp_clock,
        )
        job = PushJob(options, lambda event: _on_event(event, say))
    except UserError as exc:  # a bad source or target, or (--ingress) the API's or the credentials' refusal
        return fail(exc.message)

    tune_gc_for_streaming()
    stopped_by: list[int] = []

    def on_signal(number: int, _frame: Any) -> None:
        stopped_by.append(number)
        job.stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    reporter = _StatsReporter(job, args.stats_json, status)
    reporter.start()
    failure = ""
    try:
        job.run()
    except MediaError as exc:
        failure = exc.message
    finally:
        reporter.stop()  # the last status line comes before the reason it ended
    if failure:
        return fail(failure)
    if stopped_by and not job.sent_anything:
        return fail("Stopped before anything was sent.")
    return 0


def _on_event(event: dict[str, Any], say: Callable[[str], None]) -> None:
    if event.get("event") == "path":
        say(str(event["reason"]))


class _StatsReporter:
    """Once a second: a JSON line on stdout (--stats-json) or the status line on a terminal's stderr."""

    def __init__(self, job: Any, as_json: bool, status: StatusLine | None) -> None:
        self._job = job
        self._as_json = as_json
        self._status = status
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stats", daemon=True)

    def start(self) -> None:
        if self._status is not None:
            self._status.attach_logging()
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join(2)
        self._emit(final=True)
        if self._status is not None:
            self._status.detach_logging()

    def _run(self) -> None:
        while not self._done.wait(1.0):
            self._emit(final=False)

    def _emit(self, final: bool) -> None:
        snapshot = self._job.stats.snapshot()
        if final:
            snapshot["state"] = "stopped"
        if self._as_json:
            print(json.dumps(snapshot), flush=True)
        elif self._status is not None and not (final and not self._status.shown):
            self._status.show(status_text(snapshot), final=final)
