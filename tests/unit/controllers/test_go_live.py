"""Going live without the window: the GoLive controller driving the real engine child into a real sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.children.async_engine_link import AsyncEngineLink
from ingress_studio.children.engine_commands import PushTarget
from ingress_studio.children.engine_events import PushEnded, PushStats
from ingress_studio.controllers.go_live import GoLive, GoLivePlan, LiveState
from support.live_state import Status, status_is, wait_for
from support.sandbox_process import SandboxServer
from support.waiting import until


@dataclass
class Seen:
    states: list[LiveState] = field(default_factory=list)
    stats: list[PushStats] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    deaths: list[str] = field(default_factory=list)
    ended: list[PushEnded] = field(default_factory=list)
    switched: int = 0


@dataclass
class Live:
    controller: GoLive
    link: AsyncEngineLink
    seen: Seen


@pytest.fixture
async def live() -> AsyncIterator[Live]:
    holder: list[GoLive] = []
    link = AsyncEngineLink(lambda event: holder[0].handle(event), lambda exit: holder[0].handle_exit(exit))
    controller = GoLive(link)
    holder.append(controller)
    seen = Seen()
    controller.state_changed.connect(seen.states.append)
    controller.stats.connect(seen.stats.append)
    controller.problem.connect(seen.problems.append)
    controller.engine_died.connect(seen.deaths.append)
    controller.ended.connect(seen.ended.append)
    controller.source_switched.connect(lambda _event: setattr(seen, "switched", seen.switched + 1))
    yield Live(controller, link, seen)
    await link.close()


async def rtmp_ingress(server: SandboxServer, name: str) -> tuple[IngressClient, ingress_pb.IngressInfo]:
    client = IngressClient(server.project())
    created = ingress_pb.CreateIngressRequest(input_type=ingress_pb.RTMP_INPUT, name=name, room_name="studio")
    created.participant_identity = name
    return client, await client.create(created)


def plan_for(info: ingress_pb.IngressInfo, *sources: str) -> GoLivePlan:
    target = PushTarget("rtmp", info.url, info.stream_key, label=info.name)
    return GoLivePlan(sources=sources, targets=(target,), profile="540p25")


async def test_start_goes_live_and_stop_ends_it(live: Live, fresh_sandbox: SandboxServer) -> None:
    client, info = await rtmp_ingress(fresh_sandbox, "camera")
    async with client:
        assert live.controller.go_live(plan_for(info, "test:")) is None
        assert live.controller.state is LiveState.STARTING  # the engine is still starting: the start waits
        await until(lambda: live.controller.state is LiveState.LIVE, 30, "live")
        publishing = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        assert (publishing.state.video.width, publishing.state.video.height) == (960, 540)
        assert live.controller.go_live(plan_for(info, "test:")) == (
            "A push is running already: stop it first, or switch its source."
        )
        live.controller.stop()
        assert live.controller.state is LiveState.STOPPING
        await until(lambda: live.controller.state is LiveState.OFF, 15, "off")
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE))
    assert live.seen.states[:2] == [LiveState.STARTING, LiveState.CONNECTING]
    assert LiveState.LIVE in live.seen.states and live.seen.states[-2:] == [LiveState.STOPPING, LiveState.OFF]
    assert live.seen.ended and live.seen.ended[-1].ok and not live.seen.problems
    assert live.seen.stats[-1].state.value == "stopped"


async def test_switching_the_source_keeps_one_publish(live: Live, fresh_sandbox: SandboxServer) -> None:
    client, info = await rtmp_ingress(fresh_sandbox, "switch")
    async with client:
        assert live.controller.go_live(plan_for(info, "test:")) is None
        await until(lambda: live.controller.state is LiveState.LIVE, 30, "live")
        first = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        assert live.controller.switch_source(("test:",), None, False) is None
        await until(lambda: live.seen.switched == 1, 15, "the switch")
        await asyncio.sleep(2)
        after = await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        assert after.state.started_at == first.state.started_at  # the same session: nothing reconnected
        assert live.controller.plan is not None and live.controller.plan.sources == ("test:",)


async def test_a_refused_start_is_one_sentence_and_nothing_runs(live: Live) -> None:
    plan = GoLivePlan(sources=("test:",), targets=(PushTarget("rtmp", "rtmp://127.0.0.1:9/x"),), profile="4k")
    assert live.controller.go_live(plan) is None
    await until(lambda: live.seen.problems != [], 30, "the refusal")
    assert live.controller.state is LiveState.OFF
    assert live.seen.problems == ["Unknown profile; video profiles: " + live.seen.problems[0].split(": ", 1)[1]]
    assert live.controller.go_live(GoLivePlan(sources=(), targets=plan.targets)) == "Choose a source first."
    assert live.controller.go_live(GoLivePlan(sources=("test:",), targets=())) == "Choose an ingress to send to."


async def test_a_killed_engine_is_a_sentence_and_restart_goes_live_again(
    live: Live, fresh_sandbox: SandboxServer
) -> None:
    client, info = await rtmp_ingress(fresh_sandbox, "crash")
    async with client:
        assert live.controller.go_live(plan_for(info, "test:")) is None
        await until(lambda: live.controller.state is LiveState.LIVE, 30, "live")
        first_pid = live.link.pid
        live.link.kill()
        await until(lambda: live.seen.deaths != [], 15, "the death")
        assert live.controller.state is LiveState.OFF
        assert live.seen.deaths == ["The engine crashed (it was ended by SIGKILL, signal 9). The push stopped."]
        assert live.controller.engine_failure == live.seen.deaths[0]
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_INACTIVE), timeout=30)
        assert live.controller.restart() is None
        await until(lambda: live.controller.state is LiveState.LIVE, 30, "live again")
        assert live.link.pid not in (None, first_pid)
        await wait_for(client, info.ingress_id, status_is(Status.ENDPOINT_PUBLISHING))
        assert live.controller.engine_failure is None
