"""The engine client (asyncio) against the real `ingress-studio engine`, pushing to a real nginx-rtmp."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ingress_studio.children.engine_client import EngineClient, EngineUnavailable
from ingress_studio.children.engine_commands import PushTarget, StartPush, StopPush, SwitchSource
from ingress_studio.children.engine_events import (
    EngineError,
    PushEnded,
    PushPath,
    PushStarted,
    PushState,
    PushStats,
    SourceSwitched,
)
from ingress_studio.children.exits import CleanExit, Crashed, NotStarted
from ingress_studio.children.lifecycle import Lifecycle
from support.child_events import next_of
from support.media_files import make_media
from support.nginx_rtmp import NginxRtmp, available

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")


@pytest.fixture
async def engine() -> AsyncIterator[EngineClient]:
    client = await EngineClient.start()
    yield client
    client.kill()  # ended already in the tests; a failed test must not leave it running
    await client.wait(30)


def push_to(nginx: NginxRtmp, key: str) -> StartPush:
    return StartPush(("test:",), (PushTarget("rtmp", nginx.url, key),), preview=False)


async def test_a_push_goes_live_switches_source_and_stops(
    engine: EngineClient, nginx: NginxRtmp, tmp_path: Path
) -> None:
    assert engine.hello.protocol == 1 and engine.session.lifecycle is Lifecycle.READY
    await engine.send(push_to(nginx, "client"))
    started = await next_of(engine, PushStarted)
    assert started == PushStarted(("test:",), (nginx.url,))  # the key is not in the event
    assert engine.session.lifecycle is Lifecycle.RUNNING
    path = await next_of(engine, PushPath)
    assert path.remux is False and path.reason
    live = await next_of(engine, PushStats, lambda s: s.state is PushState.LIVE)
    assert live.targets[0].name == nginx.url and live.targets[0].state is PushState.LIVE
    later = await next_of(engine, PushStats, lambda s: s.bytes_sent > live.bytes_sent)
    assert later.bitrate > 0 and later.frames_encoded > live.frames_encoded

    clip = make_media(tmp_path / "clip.mp4", 3, size=(320, 240))
    await engine.send(SwitchSource((str(clip),)))
    assert await next_of(engine, SourceSwitched) == SourceSwitched((str(clip),))

    await engine.send(StopPush())
    last = await next_of(engine, PushStats)
    assert last.state is PushState.STOPPED
    assert await next_of(engine, PushEnded) == PushEnded(True, "finished")
    assert engine.session.lifecycle is Lifecycle.READY
    assert nginx.recordings("client")
    assert await engine.close() == CleanExit("engine", requested=True, after_ready=True)


async def test_a_refused_command_is_an_error_event_and_the_engine_lives_on(engine: EngineClient) -> None:
    await engine.send(SwitchSource(("test:",)))
    assert await next_of(engine, EngineError) == EngineError("Nothing is being pushed: start first.")
    assert engine.session.lifecycle is Lifecycle.READY
    assert await engine.close() == CleanExit("engine", requested=True, after_ready=True)


async def test_a_killed_engine_is_a_crash_event_of_one_sentence(engine: EngineClient, nginx: NginxRtmp) -> None:
    await engine.send(push_to(nginx, "killed"))
    await next_of(engine, PushStats, lambda s: s.state is PushState.LIVE)
    assert engine.pid is not None
    os.kill(engine.pid, signal.SIGKILL)
    crash = await next_of(engine, Crashed)
    assert crash == Crashed("engine", requested=False, after_ready=True, signal=signal.SIGKILL)
    assert crash.sentence == "The engine crashed (it was ended by SIGKILL, signal 9)."
    assert engine.session.lifecycle is Lifecycle.CRASHED
    assert await engine.next_event(1) == crash  # the exit stays the last word


async def test_an_engine_of_another_protocol_version_is_refused_with_a_sentence() -> None:
    other = [sys.executable, "-c", 'print(\'{"event": "hello", "protocol": 2, "version": "2.0"}\', flush=True)']
    with pytest.raises(EngineUnavailable) as refused:
        await EngineClient.start(other)
    assert refused.value.message == (
        "The engine (Ingress Studio 2.0) speaks control protocol 2 and this window speaks 1: install matching versions."
    )


async def test_an_engine_that_cannot_run_is_a_sentence(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-program")
    with pytest.raises(EngineUnavailable) as refused:
        await EngineClient.start([missing, "engine"])
    assert refused.value.message == NotStarted("engine", False, False, missing).sentence
