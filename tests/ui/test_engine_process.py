"""The engine adapter on a qasync loop: a push to a real nginx-rtmp, seen as typed Qt signals, then stopped."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ingress_studio.children.engine_commands import PushTarget, StartPush, StopPush
from ingress_studio.children.engine_events import EngineHello, PushEnded, PushStarted, PushState, PushStats
from ingress_studio.children.exits import ChildExit, CleanExit, Crashed
from ingress_studio.ui.engine_process import EngineProcess
from support.nginx_rtmp import NginxRtmp, available
from ui.conftest import Scenario, eventually

pytestmark = pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")


def test_a_push_from_the_adapter_sends_stats_signals_and_stops(
    qtbot: QtBot, run_on_qt_loop: Scenario, tmp_path: Path
) -> None:
    nginx = NginxRtmp(tmp_path / "nginx").start()
    engine = EngineProcess()
    hellos: list[EngineHello] = []
    started: list[PushStarted] = []
    stats: list[PushStats] = []
    ended: list[PushEnded] = []
    exits: list[ChildExit] = []
    failures: list[str] = []
    engine.hello.connect(hellos.append)
    engine.started.connect(started.append)
    engine.stats.connect(stats.append)
    engine.ended.connect(ended.append)
    engine.exited.connect(exits.append)
    engine.failed.connect(failures.append)

    async def scenario() -> None:
        engine.start()
        await eventually(lambda: bool(hellos), what="hello")
        assert hellos[0].protocol == 1 and engine.running
        engine.send(StartPush(("test:",), (PushTarget("rtmp", nginx.url, "adapter"),), preview=False))
        await eventually(lambda: any(s.state is PushState.LIVE for s in stats), what="a live stats signal")
        assert started == [PushStarted(("test:",), (nginx.url,))]
        engine.send(StopPush())
        await eventually(lambda: bool(ended), what="ended")
        assert ended == [PushEnded(True, "finished")] and stats[-1].state is PushState.STOPPED

    try:
        run_on_qt_loop(scenario())
    finally:
        engine.stop()
        nginx.stop()
    assert exits == [CleanExit("engine", requested=True, after_ready=True)] and failures == []
    assert not engine.running and nginx.recordings("adapter")


def test_a_killed_engine_is_one_failed_sentence(qtbot: QtBot, run_on_qt_loop: Scenario) -> None:
    engine = EngineProcess()
    hellos: list[EngineHello] = []
    exits: list[ChildExit] = []
    failures: list[str] = []
    engine.hello.connect(hellos.append)
    engine.exited.connect(exits.append)
    engine.failed.connect(failures.append)

    async def scenario() -> None:
        engine.start()
        await eventually(lambda: bool(hellos), what="hello")
        assert engine.pid is not None
        os.kill(engine.pid, signal.SIGKILL)
        await eventually(lambda: bool(failures), what="the failure")

    try:
        run_on_qt_loop(scenario())
    finally:
        engine.stop()
    assert exits == [Crashed("engine", requested=False, after_ready=True, signal=signal.SIGKILL)]
    [sentence] = failures
    assert sentence.startswith("The engine crashed (it was ended by SIGKILL, signal 9). Details are in the log in ")
