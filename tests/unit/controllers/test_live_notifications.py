"""What the tray says and notifies, without Qt: the real IngressList and GoLive controllers, fed the events
their sources emit (the list's rows, the engine's events); polling and the engine are tested elsewhere, and
one test at the end watches a real push into a real sandbox through the real poller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.children.engine_commands import EngineCommand, PushTarget
from ingress_studio.children.engine_events import EngineHello, PushEnded, PushStarted, PushState, TargetStats
from ingress_studio.children.engine_protocol import ENGINE_PROTOCOL_VERSION
from ingress_studio.config.project import Project, ProjectSource
from ingress_studio.controllers.go_live import GoLive, GoLivePlan, LiveState
from ingress_studio.controllers.ingress_list import IngressList
from ingress_studio.controllers.live_notifications import LiveNotifications, Notice, Tone
from ingress_studio.domain.ingress_kinds import Status
from support.live_state import push_test_pattern
from support.push_stats import HEALTHY_PUSH
from support.sandbox_process import SandboxServer
from support.waiting import until


class EngineNotStarted:
    """GoLive's link, for tests that hand GoLive the engine's events themselves: what the notifications
    react to is GoLive's events, not the engine child (tests/unit/controllers/test_go_live.py runs that)."""

    running = True

    def __init__(self) -> None:
        self.sent: list[EngineCommand] = []

    def start(self) -> None:
        pass

    def send(self, command: EngineCommand) -> None:
        self.sent.append(command)


@dataclass
class Tray:
    ingresses: IngressList
    go_live: GoLive
    controller: LiveNotifications
    notices: list[Notice] = field(default_factory=list)

    def list(self, *infos: ingress_pb.IngressInfo) -> None:
        self.ingresses.listed.emit(list(infos))


def project(name: str) -> Project:
    return Project(name, f"http://{name}.invalid:7880", "key", "secret", ProjectSource.SAVED)


@pytest.fixture
async def tray() -> AsyncIterator[Tray]:
    ingresses = IngressList(refresh_s=lambda: 2.0)
    ingresses.set_visible(False)  # nothing is fetched: each test says what the lists contain
    go_live = GoLive(EngineNotStarted())
    controller = LiveNotifications(go_live, ingresses)
    seen = Tray(ingresses, go_live, controller)
    controller.notice.connect(seen.notices.append)
    ingresses.switch(project("studio"))
    yield seen
    await ingresses.close()


def ingress(ingress_id: str, status: int, error: str = "", name: str = "") -> ingress_pb.IngressInfo:
    info = ingress_pb.IngressInfo(ingress_id=ingress_id, name=name or ingress_id.lower(), room_name="studio")
    info.state.status = status  # type: ignore[assignment]
    info.state.error = error
    return info


def go_live_to(tray: Tray, *ingress_ids: str) -> None:
    targets = tuple(PushTarget("rtmp", "rtmp://host/x", "key", label=i.lower()) for i in ingress_ids)
    plan = GoLivePlan(sources=("test:",), targets=targets, ingress_ids=ingress_ids)
    assert tray.go_live.go_live(plan) is None
    tray.go_live.handle(EngineHello(ENGINE_PROTOCOL_VERSION, "test"))
    tray.go_live.handle(PushStarted(("test:",), tuple(i.lower() for i in ingress_ids)))
    tray.go_live.handle(replace(HEALTHY_PUSH, targets=()))
    assert tray.go_live.state is LiveState.LIVE


def test_the_selected_ingress_going_live_is_notified_once(tray: Tray) -> None:
    tray.list(ingress("CAM", Status.ENDPOINT_INACTIVE))
    tray.ingresses.select("CAM")
    tray.list(ingress("CAM", Status.ENDPOINT_BUFFERING))
    tray.list(ingress("CAM", Status.ENDPOINT_PUBLISHING))
    tray.ingresses.updated.emit(ingress("CAM", Status.ENDPOINT_PUBLISHING))  # the faster refresh of the selected
    tray.list(ingress("CAM", Status.ENDPOINT_PUBLISHING))
    assert tray.notices == [Notice("“cam” is live")]


def test_first_states_are_no_transition_at_start_or_after_a_project_switch(tray: Tray) -> None:
    tray.ingresses.select("CAM")
    tray.list(ingress("CAM", Status.ENDPOINT_PUBLISHING))  # live already when the app started
    tray.list(ingress("CAM", Status.ENDPOINT_PUBLISHING), ingress("NEW", Status.ENDPOINT_ERROR, "boom"))
    assert tray.notices == []
    tray.ingresses.switch(project("other"))  # another server: its ingress may share nothing, even an id
    tray.ingresses.select("CAM")
    tray.list(ingress("CAM", Status.ENDPOINT_ERROR, "bad"))
    assert tray.notices == []
    tray.list(ingress("CAM", Status.ENDPOINT_PUBLISHING))
    assert tray.notices == [Notice("“cam” is live")]


def test_ingresses_nobody_watches_say_nothing_but_keep_their_history(tray: Tray) -> None:
    tray.list(ingress("A", Status.ENDPOINT_INACTIVE), ingress("B", Status.ENDPOINT_INACTIVE))
    tray.list(ingress("A", Status.ENDPOINT_PUBLISHING), ingress("B", Status.ENDPOINT_ERROR, "x"))
    assert tray.notices == []
    tray.ingresses.select("A")  # selecting one live for a while is no news either
    tray.list(ingress("A", Status.ENDPOINT_PUBLISHING), ingress("B", Status.ENDPOINT_ERROR, "x"))
    assert tray.notices == []
    assert tray.controller.look.tone is Tone.IDLE


def test_an_error_carries_its_text_and_turns_the_tray_amber(tray: Tray) -> None:
    tray.list(ingress("CAM", Status.ENDPOINT_PUBLISHING))
    tray.ingresses.select("CAM")
    tray.list(ingress("CAM", Status.ENDPOINT_ERROR, "media timeout:\n no data for 60 s"))
    assert tray.notices == [Notice("“cam” failed: media timeout: no data for 60 s", problem=True)]
    assert (tray.controller.look.tone, tray.controller.look.words) == (
        Tone.TROUBLE,
        "“cam” failed: media timeout: no data for 60 s",
    )
    tray.list(ingress("CAM", Status.ENDPOINT_INACTIVE))  # an update resets ERROR to INACTIVE
    assert tray.controller.look.tone is Tone.IDLE


def test_many_pushed_ingresses_changing_at_once_are_one_notice(tray: Tray) -> None:
    ids = ("A", "B", "C")
    tray.list(*(ingress(i, Status.ENDPOINT_INACTIVE) for i in ids))
    go_live_to(tray, *ids)
    tray.list(*(ingress(i, Status.ENDPOINT_PUBLISHING) for i in ids))
    assert tray.notices == [Notice("“a” is live (and 2 more)", "“a” is live\n“b” is live\n“c” is live")]


def test_the_push_colours_the_tray_and_its_reconnects_are_notified_once(tray: Tray) -> None:
    looks = [tray.controller.look]
    tray.controller.look_changed.connect(looks.append)
    go_live_to(tray, "CAM")
    assert tray.controller.look.words == "Live to “cam”."
    reconnecting = TargetStats("cam", PushState.RECONNECTING, 0, 0, reconnect_attempt=2, error="refused")
    retrying = replace(HEALTHY_PUSH, state=PushState.RECONNECTING, reconnect_attempt=2, targets=(reconnecting,))
    tray.go_live.handle(retrying)
    tray.go_live.handle(replace(retrying, next_retry_in_s=1.0))  # a second later, still the same attempt
    assert tray.notices == [Notice("Reconnecting to “cam” (attempt 2)…", problem=True)]
    tray.go_live.handle(HEALTHY_PUSH)
    tray.go_live.handle(PushEnded(ok=False, message="Gave up on cam after 25 reconnect attempts."))
    assert [(look.tone, look.words) for look in looks] == [
        (Tone.IDLE, "Not live."),
        (Tone.LIVE, "Going live to “cam”…"),
        (Tone.LIVE, "Live to “cam”."),
        (Tone.TROUBLE, "Reconnecting to “cam” (attempt 2)…"),
        (Tone.LIVE, "Live to “cam”."),
        (Tone.IDLE, "Not live."),  # the push is off, then why: the same event, so no repaint comes between
        (Tone.TROUBLE, "Gave up on cam after 25 reconnect attempts."),
    ]
    tray.go_live.go_live(tray.go_live.plan)  # type: ignore[arg-type]
    assert tray.controller.look.tone is Tone.LIVE  # a new start forgets the last failure


async def test_a_real_push_into_the_sandbox_is_notified_once(sandbox: SandboxServer) -> None:
    ingresses = IngressList(refresh_s=lambda: 0.3)
    controller = LiveNotifications(GoLive(EngineNotStarted()), ingresses)
    notices: list[Notice] = []
    controller.notice.connect(notices.append)
    async with IngressClient(sandbox.project()) as client:
        request = ingress_pb.CreateIngressRequest(input_type=ingress_pb.RTMP_INPUT, name="watched", room_name="r")
        request.participant_identity = "watched"
        info = await client.create(request)
    try:
        ingresses.switch(sandbox.project())
        await until(lambda: ingresses.info(info.ingress_id) is not None, 10, "the row")
        ingresses.select(info.ingress_id)
        push = push_test_pattern(sandbox, info.ingress_id, seconds=4)
        await until(lambda: bool(notices), 30, "a notice")
        result = await push
        assert result.returncode == 0, result.stderr
        ended = ingress_pb.IngressInfo(state=ingress_pb.IngressState(status=Status.ENDPOINT_INACTIVE))
        await until(lambda: (ingresses.info(info.ingress_id) or ended).state.status == Status.ENDPOINT_INACTIVE, 10)
        assert notices == [Notice("“watched” is live")]
    finally:
        await ingresses.close()
