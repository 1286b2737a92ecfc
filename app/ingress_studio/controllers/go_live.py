"""Going live from the window: one push at a time, run by the engine child, without Qt.

The engine is reached through an `EngineLink` (the window's QProcess adapter, or an asyncio one in tests):
the link starts the child and carries commands; whoever owns it feeds every event and the exit back through
`handle` and `handle_exit`. A start asked for while the engine is still starting waits for its hello.
If the engine dies, the push is over, the sentence says so, and `restart()` starts it again with the same plan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from enum import Enum
from typing import Protocol

from ingress_studio.children.engine_commands import EngineCommand, PushTarget, StartPush, StopPush, SwitchSource
from ingress_studio.children.engine_events import (
    EngineError,
    EngineEvent,
    EngineHello,
    Levels,
    Preview,
    PushEnded,
    PushPath,
    PushStarted,
    PushState,
    PushStats,
    SourceSwitched,
)
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.controllers.events import Event

DEFAULT_RECONNECT_TRIES = 25  # the engine's default, and OBS's "attempt k of 25"

log = logging.getLogger(__name__)


class LiveState(Enum):
    OFF = "off"  # no push
    STARTING = "starting"  # the engine is starting, or the start command is on its way
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    STOPPING = "stopping"

    @property
    def pushing(self) -> bool:
        """A push exists (or is about to): Start is not offered, Stop is."""
        return self is not LiveState.OFF


STATE_OF_PUSH = {
    PushState.CONNECTING: LiveState.CONNECTING,
    PushState.LIVE: LiveState.LIVE,
    PushState.RECONNECTING: LiveState.RECONNECTING,
}


class EngineLink(Protocol):
    @property
    def running(self) -> bool: ...

    def start(self) -> None:
        """Start the engine child; its hello (then every event) comes back through GoLive.handle."""

    def send(self, command: EngineCommand) -> None: ...


@dataclass(frozen=True)
class GoLivePlan:
    """Everything one Start sends: what, where, and how it is encoded (None = the engine's default)."""

    sources: tuple[str, ...]
    targets: tuple[PushTarget, ...]
    audio: str | None = None
    loop: bool = False
    profile: str | None = None
    audio_profile: str | None = None
    video_bitrate: int | None = None  # kbps
    keyframe_interval: float | None = None  # seconds
    x264_preset: str | None = None
    reconnect_tries: int = DEFAULT_RECONNECT_TRIES
    stamp_clock: bool = False  # the clock stamp (docs/control-protocol.md), for measuring latency
    duration: float | None = None  # seconds of source, then the push ends by itself (a latency test's bound)
    ingress_ids: tuple[str, ...] = ()  # the ingresses the targets are, in the same order (not sent)

    @property
    def target_words(self) -> str:
        """“Cam WHIP” + “Cam RTMP”: what the push goes to, for a title."""
        return " + ".join(f"“{target.label or target.url}”" for target in self.targets)

    def command(self) -> StartPush:
        return StartPush(
            sources=self.sources,
            targets=self.targets,
            audio=self.audio,
            loop=self.loop,
            profile=self.profile,
            audio_profile=self.audio_profile,
            video_bitrate=self.video_bitrate,
            keyframe_interval=self.keyframe_interval,
            x264_preset=self.x264_preset,
            reconnect_tries=self.reconnect_tries,
            stamp_clock=self.stamp_clock,
            duration=self.duration,
        )


class GoLive:
    """`state` says where the push is; the events carry what the engine reports, and `problem` one sentence
    when something went wrong (a refused start, a failed push, a dead engine)."""

    def __init__(self, link: EngineLink) -> None:
        self._link = link
        self.state = LiveState.OFF
        self.plan: GoLivePlan | None = None  # the last plan started: Restart uses it
        self.path: PushPath | None = None
        self.last_stats: PushStats | None = None
        self.engine_failure: str | None = None  # set when the engine died; Restart is offered
        self._engine_ready = False
        self._pending: StartPush | None = None
        self._push_started = False
        self.state_changed: Event[[LiveState]] = Event()
        self.path_chosen: Event[[PushPath]] = Event()
        self.stats: Event[[PushStats]] = Event()
        self.preview: Event[[Preview]] = Event()
        self.levels: Event[[Levels]] = Event()
        self.source_switched: Event[[SourceSwitched]] = Event()
        self.ended: Event[[PushEnded]] = Event()
        self.problem: Event[[str]] = Event()
        self.engine_died: Event[[str]] = Event()

    # What the window asks for.

    def go_live(self, plan: GoLivePlan) -> str | None:
        """Start pushing; a sentence instead when it cannot start now."""
        if self.state.pushing:
            return "A push is running already: stop it first, or switch its source."
        if not plan.sources:
            return "Choose a source first."
        if not plan.targets:
            return "Choose an ingress to send to."
        self.plan = plan
        log.info("going live to %s", ", ".join(target.label or target.kind for target in plan.targets))  # no URLs: keys
        self.engine_failure = None
        self.path = self.last_stats = None
        self._push_started = False
        self._set_state(LiveState.STARTING)
        self._send_start(plan.command())
        return None

    def restart(self) -> str | None:
        """After the engine died: start it again and go live with the same plan."""
        if self.plan is None:
            return "Nothing was live to start again."
        return self.go_live(self.plan)

    def stop(self) -> None:
        if self.state is LiveState.STARTING and self._pending is not None:
            self._pending = None  # the engine has not heard of it yet
            self._set_state(LiveState.OFF)
        elif self.state.pushing and self.state is not LiveState.STOPPING:
            log.info("stopping the push, as asked")
            self._set_state(LiveState.STOPPING)
            self._link.send(StopPush())

    def switch_source(self, sources: tuple[str, ...], audio: str | None, loop: bool) -> str | None:
        """Continue the running push from other sources (same connections); a sentence when it cannot."""
        if self.state not in (LiveState.CONNECTING, LiveState.LIVE, LiveState.RECONNECTING):
            return "Nothing is live: press Start."
        if self.path is not None and self.path.remux:
            return (
                "This push sends its file as it is, without re-encoding, so its source cannot change while live: "
                "stop and start again."
            )
        if not sources:
            return "Choose a source first."
        self._link.send(SwitchSource(sources=sources, audio=audio, loop=loop))
        if self.plan is not None:
            self.plan = replace(self.plan, sources=sources, audio=audio, loop=loop)
        return None

    # What the engine says.

    def handle(self, event: EngineEvent | Unreadable) -> None:
        if isinstance(event, EngineHello):
            self._engine_ready = True
            if self._pending is not None:
                command, self._pending = self._pending, None
                self._link.send(command)
        elif isinstance(event, PushStarted):
            self._push_started = True
            self._set_state(LiveState.CONNECTING)
        elif isinstance(event, PushPath):
            self.path = event
            self.path_chosen.emit(event)
        elif isinstance(event, PushStats):
            self._take_stats(event)
        elif isinstance(event, Preview):
            self.preview.emit(event)
        elif isinstance(event, Levels):
            self.levels.emit(event)
        elif isinstance(event, SourceSwitched):
            self.source_switched.emit(event)
        elif isinstance(event, EngineError):
            self._take_error(event)
        elif isinstance(event, PushEnded):
            self._take_end(event)

    def handle_exit(self, exit: ChildExit) -> None:
        self._engine_ready = False
        self._pending = None
        if exit.requested:
            self._set_state(LiveState.OFF)
            return
        was_pushing = self.state.pushing
        self.engine_failure = exit.sentence + (" The push stopped." if was_pushing else "")
        log.warning("%s", self.engine_failure)
        self._set_state(LiveState.OFF)
        self.engine_died.emit(self.engine_failure)

    def _send_start(self, command: StartPush) -> None:
        if self._engine_ready and self._link.running:
            self._link.send(command)
            return
        self._pending = command
        if not self._link.running:
            self._link.start()

    def _take_stats(self, stats: PushStats) -> None:
        self.last_stats = stats
        state = STATE_OF_PUSH.get(stats.state)
        if state is not None and self.state is not LiveState.STOPPING:
            self._set_state(state)
        self.stats.emit(stats)

    def _take_error(self, error: EngineError) -> None:
        if self.state is LiveState.STARTING and not self._push_started:
            self._set_state(LiveState.OFF)  # the start itself was refused: no `ended` follows
        self.problem.emit(error.message)

    def _take_end(self, ended: PushEnded) -> None:
        log.log(logging.INFO if ended.ok else logging.WARNING, "the push ended: %s", ended.message or "stopped")
        self._set_state(LiveState.OFF)
        self.ended.emit(ended)

    def _set_state(self, state: LiveState) -> None:
        if state is not self.state:
            self.state = state
            self.state_changed.emit(state)
