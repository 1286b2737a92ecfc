"""The latency test's decisions: what it pushes, when it measures, stops and what it says. The engine and the
watcher are recording links here, fed the events they send (a real GoLive and a real RoomPreview read them) and
time is a hand-wound clock; tests/ui/test_latency_button.py runs it against the real children and sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.sandbox_preview import SandboxPreviewClient
from ingress_studio.children.engine_commands import PushTarget, StartPush, StopPush
from ingress_studio.children.engine_events import EngineError, EngineHello, PushEnded, PushStarted
from ingress_studio.children.exits import Crashed
from ingress_studio.children.watch_commands import WatchRoom
from ingress_studio.children.watch_events import (
    EndReason,
    RoomConnection,
    RoomState,
    VideoReceived,
    WatchEnded,
    WatcherHello,
    WatchStats,
)
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.controllers.go_live import GoLive, GoLivePlan, LiveState
from ingress_studio.controllers.latency_test import (
    TEST_RECONNECT_TRIES,
    LatencyPhase,
    LatencyResult,
    LatencyTest,
    LatencyTiming,
    Percentiles,
)
from ingress_studio.controllers.push_plan import PushEncoding
from ingress_studio.controllers.room_preview import RoomPreview
from support.push_stats import HEALTHY_PUSH
from support.recording_link import RecordingLink

# Port 9 (discard): nothing answers, so the sandbox client's polls come back empty, as before any stamp arrives.
SANDBOX = Project("Sandbox", "http://127.0.0.1:9", "devkey", "secret", ProjectSource.SANDBOX)
CLOUD = Project("Cloud", "https://x.livekit.cloud", "APIkey", "secret", ProjectSource.SAVED)
Status = ingress_pb.IngressState.Status


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ingress(
    status: int = Status.ENDPOINT_INACTIVE, room: str = "studio", identity: str = "cam", input_type: int = 0
) -> ingress_pb.IngressInfo:
    info = ingress_pb.IngressInfo(
        ingress_id="IN_cam",
        name="Main camera",
        room_name=room,
        participant_identity=identity,
        input_type=input_type,  # type: ignore[arg-type]
        url="rtmp://127.0.0.1:1935/x",
        stream_key="key",
    )
    info.state.status = status  # type: ignore[assignment]
    return info


def stamped(p50: int | None, p95: int | None) -> WatchStats:
    video = VideoReceived(1280, 720, 30.0, None, 300)
    return WatchStats(10.0, True, video, None, 0.03, 0.2, 0.8, p50, p50, p95)


@dataclass
class Rig:
    latency: LatencyTest
    go_live: GoLive
    room: RoomPreview
    engine: RecordingLink
    watcher: RecordingLink
    clock: Clock
    progress: list[str] = field(default_factory=list)
    results: list[LatencyResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cancels: int = 0

    def on_air(self, project: Project = SANDBOX) -> None:
        """Start a test, and play the engine going live and the room viewer joining the ingress's room."""
        assert self.latency.start(project, ingress(), PushEncoding()) is None
        self.go_live.handle(EngineHello(1, "0.1.0"))
        self.go_live.handle(PushStarted(("test:",), ("Main camera",)))
        self.go_live.handle(HEALTHY_PUSH)
        self.in_room(project, ingress(Status.ENDPOINT_PUBLISHING))

    def in_room(self, project: Project, info: ingress_pb.IngressInfo) -> None:
        self.room.follow(project, info, on_screen=True)
        self.room.handle(WatcherHello(1, "0.1.0"))
        self.room.handle(RoomState(RoomConnection.CONNECTED, ""))

    def wait(self, seconds: float) -> None:
        self.clock.now += seconds
        self.latency.tick()

    def push_stops(self) -> None:
        """The engine's answer to a stop."""
        self.go_live.handle(PushEnded(True, ""))


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    engine, watcher, clock = RecordingLink(), RecordingLink(), Clock()
    go_live = GoLive(engine)
    room = RoomPreview(watcher, mint=lambda project, room: f"token-for-{room}")
    latency = LatencyTest(go_live, room, open_sandbox=SandboxPreviewClient, clock=clock)
    made = Rig(latency, go_live, room, engine, watcher, clock)
    latency.progress.connect(made.progress.append)
    latency.finished.connect(made.results.append)
    latency.failed.connect(made.failures.append)
    latency.cancelled.connect(lambda: setattr(made, "cancels", made.cancels + 1))
    yield made
    await latency.close()


async def test_it_pushes_the_stamped_test_pattern_measures_ten_seconds_then_stops_and_reports(rig: Rig) -> None:
    rig.on_air()
    (start,) = [command for command in rig.engine.sent if isinstance(command, StartPush)]
    assert start.sources == ("test:",) and start.stamp_clock and start.audio is None
    assert [(target.kind, target.url, target.key, target.label) for target in start.targets] == [
        ("rtmp", "rtmp://127.0.0.1:1935/x", "key", "Main camera")
    ]
    assert start.profile == "720p30"  # what the ingress expects, as Start would send
    assert start.reconnect_tries == TEST_RECONNECT_TRIES and start.duration == LatencyTiming().push_s
    assert rig.progress[0] == "Starting a stamped test pattern to “Main camera”…"
    assert rig.progress[-1] == "On air: waiting for a stamped picture in the room… 20 s left"
    assert isinstance(rig.watcher.sent[-1], WatchRoom)

    rig.wait(3)
    rig.room.handle(stamped(None, None))  # the room's pictures before a stamp was read: no figures yet
    assert rig.latency.phase is LatencyPhase.WAITING
    rig.room.handle(stamped(150, 210))
    assert rig.latency.phase is LatencyPhase.MEASURING and rig.progress[-1] == "Measuring… 10 s left"
    rig.wait(4)
    assert rig.progress[-1] == "Measuring… 6 s left"
    rig.latency.take_sandbox({"status": "publishing", "latency_ms": 71, "latency_p50_ms": 70, "latency_p95_ms": 90})
    rig.room.handle(stamped(140, 190))
    rig.latency.take_sandbox({"status": "publishing", "latency_ms": None})  # a poll between stamps keeps the last
    assert rig.results == [] and not any(isinstance(command, StopPush) for command in rig.engine.sent)
    rig.wait(6)
    (result,) = rig.results
    assert result == LatencyResult("Main camera", Percentiles(140, 190), Percentiles(70, 90), on_sandbox=True)
    assert result.sentence() == "Latency to the room: p50 140 ms, p95 190 ms · sandbox received: p50 70 ms, p95 90 ms"
    assert isinstance(rig.engine.sent[-1], StopPush) and rig.latency.phase is LatencyPhase.STOPPING
    rig.push_stops()
    assert rig.latency.phase is LatencyPhase.IDLE and rig.go_live.state is LiveState.OFF and rig.failures == []


async def test_on_a_livekit_server_only_the_room_is_measured(rig: Rig) -> None:
    rig.on_air(CLOUD)
    rig.room.handle(stamped(300, 420))
    rig.wait(10)
    (result,) = rig.results
    assert result.sentence() == "Latency to the room: p50 300 ms, p95 420 ms"


async def test_a_sandbox_that_read_no_stamp_is_said(rig: Rig) -> None:
    rig.on_air()
    rig.room.handle(stamped(100, 120))
    rig.wait(10)
    assert rig.results[0].sentence() == "Latency to the room: p50 100 ms, p95 120 ms · the sandbox read no stamp"


@pytest.mark.parametrize(
    ("project", "info", "sentence"),
    [
        (None, ingress(), "Connect to a project first."),
        (SANDBOX, None, "Select the ingress whose latency to test."),
        (
            SANDBOX,
            ingress(input_type=ingress_pb.URL_INPUT),
            "Ingress IN_cam is a URL ingress: it pulls its media itself.",
        ),
        (
            SANDBOX,
            ingress(Status.ENDPOINT_PUBLISHING),
            "“Main camera” is receiving a stream already: a test would cut it off. Stop that stream first.",
        ),
        (
            replace(CLOUD, api_secret=None),
            ingress(),
            "The room viewer cannot join without the project's API secret, so there is nothing to measure: "
            "enter it with Projects → Edit project.",
        ),
    ],
)
async def test_what_cannot_be_tested_is_refused_in_one_sentence_and_nothing_starts(
    rig: Rig, project: Project | None, info: ingress_pb.IngressInfo | None, sentence: str
) -> None:
    assert rig.latency.start(project, info, PushEncoding()) == sentence
    assert rig.engine.starts == 0 and rig.latency.phase is LatencyPhase.IDLE and rig.progress == []


async def test_a_disabled_ingress_gets_the_sentence_start_would_say(rig: Rig) -> None:
    disabled = ingress()
    disabled.enabled = False
    assert rig.latency.start(SANDBOX, disabled, PushEncoding()) == (
        "“Main camera” is disabled: enable it before going live."
    )


async def test_nothing_is_tested_while_something_is_live(rig: Rig) -> None:
    other = PushTarget("rtmp", "rtmp://127.0.0.1:1935/y", "key", label="Other")
    assert rig.go_live.go_live(GoLivePlan(sources=("camera:",), targets=(other,))) is None
    assert rig.latency.start(SANDBOX, ingress(), PushEncoding()) == (
        "Something is live already: stop it before testing the latency."
    )
    assert rig.latency.phase is LatencyPhase.IDLE


async def test_no_stamped_picture_in_the_room_in_time_is_said_with_what_the_room_view_knows(rig: Rig) -> None:
    rig.on_air()
    rig.wait(19)
    assert rig.progress[-1] == "On air: waiting for a stamped picture in the room… 1 s left" and rig.failures == []
    rig.wait(1)
    assert rig.failures == ["No stamped picture reached the room in 20 s: In room “studio”, waiting for cam…"]
    assert isinstance(rig.engine.sent[-1], StopPush)
    rig.push_stops()
    assert rig.latency.phase is LatencyPhase.IDLE and rig.results == []


async def test_a_push_that_never_gets_on_air_is_stopped(rig: Rig) -> None:
    assert rig.latency.start(SANDBOX, ingress(), PushEncoding()) is None
    rig.go_live.handle(EngineHello(1, "0.1.0"))
    rig.go_live.handle(PushStarted(("test:",), ("Main camera",)))  # connecting, and no further
    rig.wait(30)
    assert rig.failures == [
        "The test pattern was not on air within 30 s (it was still connecting): "
        "check the ingress's URL and the network."
    ]
    assert isinstance(rig.engine.sent[-1], StopPush)


async def test_a_room_viewer_that_cannot_join_ends_the_test(rig: Rig) -> None:
    rig.on_air()
    rig.room.handle(WatchEnded(False, EndReason.NO_PERMISSION, "the token may not join room “studio”."))
    assert rig.failures == [
        "The room viewer cannot measure the latency: "
        "Could not watch room “studio”: the token may not join room “studio”."
    ]
    assert isinstance(rig.engine.sent[-1], StopPush) and rig.latency.phase is LatencyPhase.STOPPING


async def test_a_failed_push_says_the_engines_sentence(rig: Rig) -> None:
    rig.on_air()
    rig.go_live.handle(EngineError("The connection to “Main camera” was lost and 2 reconnects failed."))
    rig.go_live.handle(PushEnded(False, "lost"))
    await asyncio.sleep(0)
    assert rig.failures == [
        "No latency: the test pattern stopped: The connection to “Main camera” was lost and 2 reconnects failed."
    ]
    assert rig.latency.phase is LatencyPhase.IDLE


async def test_a_dead_engine_is_said(rig: Rig) -> None:
    rig.on_air()
    rig.engine.running = False
    rig.go_live.handle_exit(Crashed("engine", requested=False, after_ready=True, signal=9))
    await asyncio.sleep(0)  # the engine's death is said after OFF: the sentence waits for it
    (failure,) = rig.failures
    assert failure.startswith("No latency: the test pattern stopped: The engine crashed") and "push stopped" in failure
    assert rig.latency.phase is LatencyPhase.IDLE


async def test_a_start_the_engine_refuses_is_said(rig: Rig) -> None:
    assert rig.latency.start(SANDBOX, ingress(), PushEncoding()) is None
    rig.go_live.handle(EngineHello(1, "0.1.0"))
    rig.go_live.handle(EngineError("Unknown profile; video profiles: 720p30"))
    await asyncio.sleep(0)
    assert rig.failures == ["No latency: the test pattern stopped: Unknown profile; video profiles: 720p30"]


async def test_cancel_stops_the_push_and_a_new_test_can_start_after(rig: Rig) -> None:
    rig.on_air()
    rig.room.handle(stamped(150, 210))
    rig.latency.cancel()
    assert rig.cancels == 1 and rig.latency.phase is LatencyPhase.STOPPING
    assert isinstance(rig.engine.sent[-1], StopPush)
    rig.latency.cancel()  # a second press while stopping does nothing more
    assert rig.cancels == 1
    rig.push_stops()
    rig.wait(20)
    assert rig.latency.phase is LatencyPhase.IDLE and rig.results == [] and rig.failures == []
    assert rig.latency.start(SANDBOX, ingress(), PushEncoding()) is None


async def test_cancel_before_the_engine_answers_starts_nothing(rig: Rig) -> None:
    assert rig.latency.start(SANDBOX, ingress(), PushEncoding()) is None
    rig.latency.cancel()  # the start was still waiting for the engine's hello
    assert rig.latency.phase is LatencyPhase.IDLE and rig.go_live.state is LiveState.OFF
    rig.go_live.handle(EngineHello(1, "0.1.0"))
    assert not any(isinstance(command, StartPush) for command in rig.engine.sent)


async def test_the_panels_stop_ends_the_test_without_figures(rig: Rig) -> None:
    rig.on_air()
    rig.room.handle(stamped(150, 210))
    rig.go_live.stop()  # the Go-live panel's Stop, not the test's Cancel
    rig.push_stops()
    await asyncio.sleep(0)
    assert rig.failures == ["No latency: the push was stopped before the latency was measured."]
    assert rig.results == [] and rig.latency.phase is LatencyPhase.IDLE


async def test_figures_of_another_room_are_not_taken(rig: Rig) -> None:
    rig.on_air()
    rig.in_room(SANDBOX, ingress(Status.ENDPOINT_PUBLISHING, room="green-room", identity="obs"))
    rig.room.handle(stamped(150, 210))  # the room view follows another live ingress now
    assert rig.latency.phase is LatencyPhase.WAITING


async def test_its_own_ticks_carry_it_to_the_end() -> None:
    engine, watcher = RecordingLink(), RecordingLink()
    go_live = GoLive(engine)
    room = RoomPreview(watcher, mint=lambda project, room: "token")
    timing = LatencyTiming(measure_s=0.3, tick_s=0.05)
    latency = LatencyTest(go_live, room, timing=timing)  # the real clock, and its own pacing task
    results: list[LatencyResult] = []
    latency.finished.connect(results.append)
    rig = Rig(latency, go_live, room, engine, watcher, Clock())
    rig.on_air(CLOUD)
    room.handle(stamped(90, 110))
    for _ in range(40):
        await asyncio.sleep(0.05)
        if results:
            break
    assert [result.room for result in results] == [Percentiles(90, 110)]
    assert isinstance(engine.sent[-1], StopPush)
    await latency.close()
