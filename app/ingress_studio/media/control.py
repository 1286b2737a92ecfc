"""The engine's control protocol: JSON-line commands on stdin, events on stdout.

Documented in one place, docs/control-protocol.md; PROTOCOL_VERSION here must match it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import IO, Any

from ingress_studio import __version__
from ingress_studio.domain.encoding_presets import (
    AUDIO_PROFILES,
    DEFAULT_AUDIO_PROFILE,
    DEFAULT_VIDEO_PROFILE,
    DEFAULT_X264_PRESET,
    KEYFRAME_INTERVAL_RANGE_S,
    VIDEO_PROFILES,
    X264_PRESETS,
)
from ingress_studio.media.errors import MediaError
from ingress_studio.media.pipeline import PushJob, PushOptions
from ingress_studio.media.profiles import EncoderTuning
from ingress_studio.media.reconnect import ReconnectPolicy
from ingress_studio.media.source_spec import parse_source
from ingress_studio.media.targets import Target, rtmp_target, whip_target

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1


class Terminated(Exception):
    """SIGTERM arrived: stop the push cleanly and exit."""


class CommandError(Exception):
    """A command that cannot be carried out; its message becomes an `error` event."""


def _sources(command: dict[str, Any]) -> list[Any]:
    sources = command.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        raise CommandError("“sources” must be a non-empty list of source names.")
    return [parse_source(s) for s in sources]


def _targets(command: dict[str, Any]) -> list[Target]:
    raw = command.get("targets")
    if not isinstance(raw, list) or not raw:
        raise CommandError("“targets” must be a non-empty list.")
    targets = []
    for entry in raw:
        if not isinstance(entry, dict) or entry.get("kind") not in ("rtmp", "whip") or not entry.get("url"):
            raise CommandError('Each target needs "kind" ("rtmp" or "whip") and "url".')
        make = rtmp_target if entry["kind"] == "rtmp" else whip_target
        targets.append(make(str(entry["url"]), str(entry.get("key") or ""), label=str(entry.get("label") or "")))
    return targets


def _tuning(command: dict[str, Any]) -> EncoderTuning:
    preset = str(command.get("x264_preset") or DEFAULT_X264_PRESET)
    if preset not in X264_PRESETS:
        raise CommandError(f"Unknown x264 preset “{preset}”; the presets: {', '.join(X264_PRESETS)}.")
    keyframe = command.get("keyframe_interval")
    if keyframe is None:
        return EncoderTuning(None, preset)
    low, high = KEYFRAME_INTERVAL_RANGE_S
    if isinstance(keyframe, bool) or not isinstance(keyframe, int | float) or not low <= keyframe <= high:
        raise CommandError(f"The keyframe interval must be from {low:g} to {high:g} seconds.")
    return EncoderTuning(float(keyframe), preset)


def options_from_command(command: dict[str, Any]) -> PushOptions:
    profile = VIDEO_PROFILES.get(str(command.get("profile") or DEFAULT_VIDEO_PROFILE))
    audio_profile = AUDIO_PROFILES.get(str(command.get("audio_profile") or DEFAULT_AUDIO_PROFILE))
    if profile is None or audio_profile is None:
        raise CommandError(f"Unknown profile; video profiles: {', '.join(sorted(VIDEO_PROFILES))}.")
    if command.get("video_bitrate"):
        profile = profile.with_bitrate(int(command["video_bitrate"]) * 1000)
    audio = command.get("audio")
    return PushOptions(
        playlist=_sources(command),
        targets=_targets(command),
        audio_source=parse_source(str(audio)) if audio else None,
        video_profile=profile,
        audio_profile=audio_profile,
        tuning=_tuning(command),
        loop=bool(command.get("loop")),
        start_s=float(command.get("start") or 0),
        duration_s=float(command["duration"]) if command.get("duration") else None,
        allow_remux=not command.get("transcode"),
        send_video=not command.get("no_video"),
        send_audio=not command.get("no_audio"),
        reconnect=ReconnectPolicy(
            first_delay_s=float(command.get("reconnect_delay") or 2.0),
            max_attempts=int(command.get("reconnect_tries") or 25),
        ),
        stamp_clock=bool(command.get("stamp_clock")),
    )


class Engine:
    def __init__(self, commands: IO[str], events: IO[str]) -> None:
        self._commands = commands
        self._events = events
        self._write_lock = threading.Lock()
        self._job: PushJob | None = None
        self._job_thread: threading.Thread | None = None
        self._stats_stop = threading.Event()

    def emit(self, event: dict[str, Any]) -> None:
        line = json.dumps(event, ensure_ascii=False)
        with self._write_lock:
            self._events.write(line + "\n")
            self._events.flush()

    def serve(self) -> int:
        """Run until `quit` or the end of stdin. Returns the exit code."""
        self.emit({"event": "hello", "protocol": PROTOCOL_VERSION, "version": __version__})
        try:
            for line in self._commands:
                if not line.strip():
                    continue
                try:
                    command = json.loads(line)
                    if not isinstance(command, dict):
                        raise CommandError("A command must be a JSON object.")
                    if self._dispatch(command) == "quit":
                        break
                except (CommandError, MediaError, ValueError) as exc:
                    self.emit({"event": "error", "message": getattr(exc, "message", None) or str(exc)})
        except (KeyboardInterrupt, Terminated):
            log.info("engine interrupted")
        finally:
            self._stop_job()
        return 0

    def _dispatch(self, command: dict[str, Any]) -> str:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "hello": lambda _c: self.emit({"event": "hello", "protocol": PROTOCOL_VERSION, "version": __version__}),
            "start": self._start,
            "stop": lambda _c: self._stop_job(),
            "switch_source": self._switch,
        }
        name = command.get("cmd")
        if name == "quit":
            return "quit"
        handler = handlers.get(str(name))
        if handler is None:
            raise CommandError(f"Unknown command {name!r}; known: {', '.join([*handlers, 'quit'])}.")
        handler(command)
        return str(name)

    def _running(self) -> bool:
        return self._job_thread is not None and self._job_thread.is_alive()

    def _start(self, command: dict[str, Any]) -> None:
        if self._running():
            raise CommandError("A push is already running: stop it first, or switch its source.")
        options = options_from_command(command)
        job = PushJob(options, self.emit, preview=command.get("preview", True) is not False)
        self._job = job
        self.emit(
            {
                "event": "started",
                "sources": [spec.describe() for spec in options.playlist],
                "targets": [target.name for target in options.targets],
            }
        )
        self._stats_stop.clear()
        self._job_thread = threading.Thread(target=self._run_job, args=(job,), name="push", daemon=True)
        self._job_thread.start()
        threading.Thread(target=self._report_stats, args=(job,), name="stats", daemon=True).start()

    def _run_job(self, job: PushJob) -> None:
        ok, message = True, "finished"
        try:
            job.run()
        except MediaError as exc:
            ok, message = False, exc.message
            self.emit({"event": "error", "message": exc.message})
        except Exception as exc:  # a bug must reach the window as a message, not kill the engine silently
            log.exception("push failed")
            ok, message = False, f"The push failed unexpectedly: {exc}."
            self.emit({"event": "error", "message": message})
        finally:
            self._stats_stop.set()
            final = job.stats.snapshot()
            final["state"] = "stopped"
            self.emit({"event": "stats", **final})
            self.emit({"event": "ended", "ok": ok, "message": message})

    def _report_stats(self, job: PushJob) -> None:
        while not self._stats_stop.wait(1.0):
            self.emit({"event": "stats", **job.stats.snapshot()})

    def _switch(self, command: dict[str, Any]) -> None:
        if not self._running() or self._job is None:
            raise CommandError("Nothing is being pushed: start first.")
        audio = command.get("audio")
        self._job.switch_source(
            _sources(command), parse_source(str(audio)) if audio else None, bool(command.get("loop"))
        )

    def _stop_job(self) -> None:
        if self._job is not None:
            self._job.stop()
        if self._job_thread is not None:
            self._job_thread.join(30)
        self._job = None
        self._job_thread = None
