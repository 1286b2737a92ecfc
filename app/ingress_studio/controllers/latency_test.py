"""The latency test: a clock-stamped test pattern pushed to the selected ingress for a bounded time, while the
room viewer (and, on the sandbox, the sandbox itself) reads the stamps back; then the push stops and the
figures are said in one sentence.

It goes live through GoLive with a plan built the way Start builds one (the panel's encoding, the stamp on,
the test pattern as the source), so what it measures is what going live would send. The room's figures come
from the RoomPreview that follows the pushed ingress; the sandbox's from its levels route, polled here.
Time is read from `clock` at every `tick()`; a task ticks while a test runs, and tests may tick themselves.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Protocol

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.sandbox_preview import SandboxPreviewClient
from ingress_studio.children.watch_events import WatchStats
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.controllers.events import Event
from ingress_studio.controllers.go_live import GoLive, LiveState
from ingress_studio.controllers.push_plan import PushEncoding, build_plan
from ingress_studio.controllers.room_preview import RoomPreview, RoomTarget
from ingress_studio.controllers.source_choice import SourceChoice, SourceKind
from ingress_studio.domain.ingress_kinds import is_live

log = logging.getLogger(__name__)

TEST_RECONNECT_TRIES = 2  # a test that loses its connection is over: no 25 tries of waiting


class SandboxLevels(Protocol):
    """The sandbox's levels route for one ingress (SandboxPreviewClient): None when it has no answer."""

    async def levels(self, ingress_id: str) -> dict[str, Any] | None: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class LatencyTiming:
    on_air_within_s: float = 30.0  # from the press: the engine starts and connects
    first_figure_within_s: float = 20.0  # from on air: the ingress joins the room, the viewer joins and reads
    measure_s: float = 10.0  # from the first figure: the p50/p95 windows cover this much
    tick_s: float = 0.5

    @property
    def push_s(self) -> float:
        """The push's own bound (the engine stops it even if nothing here does): every wait, and a margin."""
        return self.on_air_within_s + self.first_figure_within_s + self.measure_s + 10.0


class LatencyPhase(Enum):
    IDLE = "idle"
    STARTING = "starting"  # the stamped pattern is on its way to the ingress
    WAITING = "waiting"  # on air: waiting for the first stamped picture to reach the room
    MEASURING = "measuring"
    STOPPING = "stopping"  # the figures are in (or the test is over): the push is stopping

    @property
    def running(self) -> bool:
        return self is not LatencyPhase.IDLE


@dataclass(frozen=True)
class Percentiles:
    p50_ms: int
    p95_ms: int

    def words(self) -> str:
        return f"p50 {self.p50_ms} ms, p95 {self.p95_ms} ms"

    @classmethod
    def of_room(cls, stats: WatchStats) -> Percentiles | None:
        if stats.latency_p50_ms is None or stats.latency_p95_ms is None:
            return None
        return cls(stats.latency_p50_ms, stats.latency_p95_ms)

    @classmethod
    def of_levels(cls, levels: dict[str, Any]) -> Percentiles | None:
        """From the sandbox's levels route: its latency_p50_ms/latency_p95_ms (absent or null without stamps)."""
        p50, p95 = levels.get("latency_p50_ms"), levels.get("latency_p95_ms")
        if not isinstance(p50, int) or not isinstance(p95, int):
            return None
        return cls(p50, p95)


@dataclass(frozen=True)
class LatencyResult:
    ingress_name: str
    room: Percentiles
    sandbox: Percentiles | None
    on_sandbox: bool  # the sandbox was asked too (a LiveKit server has no levels route)

    def sentence(self) -> str:
        """E.g. "Latency to the room: p50 140 ms, p95 190 ms · sandbox received: p50 70 ms, p95 90 ms"."""
        words = f"Latency to the room: {self.room.words()}"
        if self.sandbox is not None:
            words += f" · sandbox received: {self.sandbox.words()}"
        elif self.on_sandbox:
            words += " · the sandbox read no stamp"
        return words


@dataclass
class _Session:
    """One test, from the press to the push's end."""

    info: ingress_pb.IngressInfo
    room: RoomTarget
    started: float
    sandbox: SandboxLevels | None
    on_air_at: float | None = None
    measuring_from: float | None = None
    room_figures: Percentiles | None = None
    sandbox_figures: Percentiles | None = None
    problem: str | None = None  # what GoLive said went wrong, for the sentence if the push ends early
    room_words: str = ""  # the room view's last sentence: why no picture came, when none does
    stop_seen: bool = False  # the push went to STOPPING: someone pressed Stop

    @property
    def name(self) -> str:
        return self.info.name or self.info.ingress_id


def _open_sandbox(project: Project) -> SandboxLevels:
    return SandboxPreviewClient(project)


class LatencyTest:
    def __init__(
        self,
        go_live: GoLive,
        room: RoomPreview,
        open_sandbox: Callable[[Project], SandboxLevels] = _open_sandbox,
        clock: Callable[[], float] = time.monotonic,
        timing: LatencyTiming | None = None,
    ) -> None:
        self._go_live = go_live
        self._room = room
        self._open_sandbox = open_sandbox
        self._clock = clock
        self.timing = timing or LatencyTiming()
        self.phase = LatencyPhase.IDLE
        self._session: _Session | None = None
        self._pacing: set[asyncio.Task[None]] = set()  # a finished test's task ends at its next tick
        self.started: Event[[]] = Event()  # the push is on its way: the room view should be on screen
        self.progress: Event[[str]] = Event()  # where it is, with the seconds left
        self.finished: Event[[LatencyResult]] = Event()
        self.failed: Event[[str]] = Event()  # it could not measure: one sentence (a refusal is returned instead)
        self.cancelled: Event[[]] = Event()
        self.phase_changed: Event[[LatencyPhase]] = Event()
        go_live.state_changed.connect(self._push_state)
        go_live.problem.connect(self._push_problem)
        go_live.engine_died.connect(self._push_problem)
        room.figures.connect(self.take_room)
        room.failed.connect(self._room_failed)
        room.status.connect(self._room_status)

    @property
    def running(self) -> bool:
        return self.phase.running

    # What the window asks for.

    def start(self, project: Project | None, info: ingress_pb.IngressInfo | None, encoding: PushEncoding) -> str | None:
        """Start a test of `info` with the panel's encoding; a sentence instead when it cannot run now."""
        refusal = self._refusal(project, info)
        if refusal is not None:
            return refusal
        assert project is not None and info is not None
        plan = build_plan(SourceChoice(SourceKind.TEST), info, (), replace(encoding, stamp_clock=True))
        if isinstance(plan, str):
            return plan  # an ingress that takes no push, or is disabled: the same sentence as Start's
        plan = replace(plan, reconnect_tries=TEST_RECONNECT_TRIES, duration=self.timing.push_s)
        session = _Session(info, RoomTarget.of(project, info), self._clock(), sandbox=None)
        self._session = session
        self._set_phase(LatencyPhase.STARTING)
        refusal = self._go_live.go_live(plan)
        if refusal is not None:  # checked above, so not expected; never leave a test hanging on it
            self._end(session)
            return refusal
        if project.source is ProjectSource.SANDBOX:  # closed by the pacing task, which starts now
            session.sandbox = self._open_sandbox(project)
        log.info("latency test of “%s” started", session.name)
        task = asyncio.ensure_future(self._pace(session))
        self._pacing.add(task)
        task.add_done_callback(self._pacing.discard)
        self.started.emit()
        self.progress.emit(f"Starting a stamped test pattern to “{session.name}”…")
        return None

    def cancel(self) -> None:
        session = self._session
        if session is None or self.phase is LatencyPhase.STOPPING:
            return
        log.info("latency test of “%s” cancelled", session.name)
        self.cancelled.emit()
        self._stop_push()

    async def close(self) -> None:
        """The window is closing: no more ticks or sandbox requests (the engine's shutdown ends the push)."""
        self._session = None
        self.phase = LatencyPhase.IDLE
        tasks = list(self._pacing)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # each closes its sandbox client on the way out

    def _refusal(self, project: Project | None, info: ingress_pb.IngressInfo | None) -> str | None:
        if self.running:
            return "A latency test is running already."
        if self._go_live.state.pushing:
            return "Something is live already: stop it before testing the latency."
        if project is None:
            return "Connect to a project first."
        if info is None:
            return "Select the ingress whose latency to test."
        name = info.name or info.ingress_id
        if is_live(info):
            return f"“{name}” is receiving a stream already: a test would cut it off. Stop that stream first."
        if not project.has_secret:
            return (
                "The room viewer cannot join without the project's API secret, so there is nothing to measure: "
                "enter it with Projects → Edit project."
            )
        return None

    # What comes in.

    def take_room(self, stats: WatchStats) -> None:
        """A second of the room viewer's figures (its p50/p95 cover the last 10 s)."""
        session = self._session
        if session is None or self._room.target != session.room:
            return  # the room view watches another ingress: not ours to measure
        figures = Percentiles.of_room(stats)
        if figures is None or self.phase not in (LatencyPhase.WAITING, LatencyPhase.MEASURING):
            return
        session.room_figures = figures
        if self.phase is LatencyPhase.WAITING:
            session.measuring_from = self._clock()
            self._set_phase(LatencyPhase.MEASURING)
            self.tick()

    def take_sandbox(self, levels: dict[str, Any]) -> None:
        """An answer of the sandbox's levels route for the tested ingress."""
        session = self._session
        figures = Percentiles.of_levels(levels)
        if session is not None and figures is not None and self.phase is LatencyPhase.MEASURING:
            session.sandbox_figures = figures

    def tick(self) -> None:
        """Time passed: say how long is left, and end what has run out."""
        session = self._session
        if session is None:
            return
        now = self._clock()
        if self.phase is LatencyPhase.STARTING:
            left = session.started + self.timing.on_air_within_s - now
            if left <= 0:
                state = STATE_WORDS.get(self._go_live.state, "not on air")
                self._give_up(
                    session,
                    f"The test pattern was not on air within {self.timing.on_air_within_s:.0f} s ({state}): "
                    "check the ingress's URL and the network.",
                )
        elif self.phase is LatencyPhase.WAITING and session.on_air_at is not None:
            left = session.on_air_at + self.timing.first_figure_within_s - now
            if left <= 0:
                room = session.room_words or "the room viewer said nothing"
                self._give_up(
                    session, f"No stamped picture reached the room in {self.timing.first_figure_within_s:.0f} s: {room}"
                )
            else:
                self.progress.emit(f"On air: waiting for a stamped picture in the room… {left:.0f} s left")
        elif self.phase is LatencyPhase.MEASURING and session.measuring_from is not None:
            left = session.measuring_from + self.timing.measure_s - now
            if left <= 0:
                self._finish(session)
            else:
                self.progress.emit(f"Measuring… {left:.0f} s left")

    def _push_state(self, state: LiveState) -> None:
        session = self._session
        if session is None:
            return
        if state is LiveState.OFF:
            if self.phase is LatencyPhase.STOPPING:
                self._end(session)
                return
            # A refused start and a dead engine say why just after OFF: the sentence waits for their words.
            self._set_phase(LatencyPhase.STOPPING)
            asyncio.get_running_loop().call_soon(self._ended_early, session)
        elif state is LiveState.STOPPING and self.phase is not LatencyPhase.STOPPING:
            session.stop_seen = True  # not asked here: the panel's Stop
        elif state is LiveState.LIVE and self.phase is LatencyPhase.STARTING:
            session.on_air_at = self._clock()
            self._set_phase(LatencyPhase.WAITING)
            self.tick()

    def _ended_early(self, session: _Session) -> None:
        if session.stop_seen:
            why = "the push was stopped before the latency was measured."
        else:
            why = f"the test pattern stopped: {session.problem or 'the push ended.'}"
        self._fail(session, f"No latency: {why}")
        self._end(session)

    def _push_problem(self, sentence: str) -> None:
        if self._session is not None:
            self._session.problem = sentence

    def _room_failed(self, sentence: str) -> None:
        session = self._session
        measuring = self.phase in (LatencyPhase.WAITING, LatencyPhase.MEASURING)
        if session is not None and measuring and self._room.target == session.room:
            self._give_up(session, f"The room viewer cannot measure the latency: {sentence}")

    def _room_status(self, sentence: str) -> None:
        if self._session is not None:
            self._session.room_words = sentence

    # How it ends.

    def _finish(self, session: _Session) -> None:
        assert session.room_figures is not None  # measuring starts with the first figures
        result = LatencyResult(session.name, session.room_figures, session.sandbox_figures, session.sandbox is not None)
        log.info("latency test of “%s”: %s", session.name, result.sentence())
        self._stop_push()
        self.finished.emit(result)

    def _give_up(self, session: _Session, sentence: str) -> None:
        self._fail(session, sentence)
        self._stop_push()

    def _fail(self, session: _Session, sentence: str) -> None:
        log.warning("latency test of “%s”: %s", session.name, sentence)
        self.failed.emit(sentence)

    def _stop_push(self) -> None:
        self._set_phase(LatencyPhase.STOPPING)
        self._go_live.stop()  # OFF (now, or when the engine has stopped) ends the session
        if self._go_live.state is LiveState.OFF and self._session is not None:
            self._end(self._session)

    def _end(self, session: _Session) -> None:
        if self._session is not session:
            return
        self._session = None  # its pacing task sees it at its next tick and closes the sandbox client
        self._set_phase(LatencyPhase.IDLE)

    def _set_phase(self, phase: LatencyPhase) -> None:
        if phase is not self.phase:
            self.phase = phase
            self.phase_changed.emit(phase)

    async def _pace(self, session: _Session) -> None:
        """Tick, and ask the sandbox what it receives, until the session ends."""
        try:
            while self._session is session:
                await asyncio.sleep(self.timing.tick_s)
                if session.sandbox is not None and self.phase is LatencyPhase.MEASURING:
                    levels = await session.sandbox.levels(session.info.ingress_id)
                    if levels is not None:
                        self.take_sandbox(levels)
                self.tick()
        finally:
            if session.sandbox is not None:
                await session.sandbox.aclose()


STATE_WORDS = {
    LiveState.STARTING: "the engine was still starting",
    LiveState.CONNECTING: "it was still connecting",
    LiveState.RECONNECTING: "it was reconnecting",
}
