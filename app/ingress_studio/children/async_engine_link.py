"""The engine child over asyncio, as a link a controller drives: `start()` returns at once, and every event
(the exit last) reaches `on_event` / `on_exit` on the loop's thread. For scripts, benchmarks and Qt-free tests;
the window uses its QProcess adapter, which has the same shape."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable, Mapping, Sequence

from ingress_studio.children.asyncio_child import AsyncChild
from ingress_studio.children.engine_client import STOP_GRACE_S
from ingress_studio.children.engine_commands import EngineCommand
from ingress_studio.children.engine_events import EngineEvent
from ingress_studio.children.engine_protocol import ENGINE
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.program import engine_command
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable


class AsyncEngineLink:
    def __init__(
        self,
        on_event: Callable[[EngineEvent | Unreadable], None],
        on_exit: Callable[[ChildExit], None],
        command: Sequence[str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._on_event = on_event
        self._on_exit = on_exit
        self._command = list(command or engine_command())
        self._env = env
        self._child: AsyncChild[EngineEvent, EngineCommand] | None = None
        self._runner: asyncio.Task[None] | None = None
        self._backlog: list[EngineCommand] = []  # sent before the child was spawned

    @property
    def running(self) -> bool:
        return self._runner is not None and not self._runner.done()

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    def start(self) -> None:
        if not self.running:
            self._runner = asyncio.get_running_loop().create_task(self._run(), name="engine-link")

    def send(self, command: EngineCommand) -> None:
        if self._child is None:
            self._backlog.append(command)
        else:
            asyncio.get_running_loop().create_task(self._child.send(command))

    def kill(self) -> None:
        """As a crash would: the exit is not one the parent asked for."""
        if self._child is not None and self._child.pid is not None:
            os.kill(self._child.pid, signal.SIGKILL)

    async def close(self, grace_s: float = STOP_GRACE_S) -> None:
        """Close its stdin (the engine ends a push cleanly) and wait for the exit to be delivered."""
        if self._child is not None:
            await self._child.stop(grace_s, terminate=False)
        if self._runner is not None:
            await self._runner

    async def _run(self) -> None:
        child: AsyncChild[EngineEvent, EngineCommand] = await AsyncChild.start(
            ChildSession(ENGINE), self._command, self._env
        )
        self._child = child
        for command in self._backlog:
            await child.send(command)
        self._backlog.clear()
        async for event in child.events():
            if isinstance(event, ChildExit):
                self._child = None
                self._on_exit(event)
            else:
                self._on_event(event)
