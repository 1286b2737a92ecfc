"""`ingress-studio engine` as a child driven over asyncio: typed commands in, typed events out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from ingress_studio.children.asyncio_child import AsyncChild
from ingress_studio.children.engine_commands import EngineCommand
from ingress_studio.children.engine_events import EngineError, EngineEvent, EngineHello
from ingress_studio.children.engine_protocol import ENGINE
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.program import engine_command
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.user_error import UserError

HELLO_TIMEOUT_S = 30.0  # the first start imports PyAV and FFmpeg: seconds on a slow disk
STOP_GRACE_S = 10.0  # a push ends cleanly first (RTMP end of stream, WHIP DELETE)


class EngineUnavailable(UserError):
    """The engine did not start, or does not speak this client's protocol; the message says which."""


class EngineClient:
    def __init__(self, child: AsyncChild[EngineEvent, EngineCommand], hello: EngineHello) -> None:
        self._child = child
        self.hello = hello

    @classmethod
    async def start(cls, command: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> EngineClient:
        """Start the engine and wait for its hello. EngineUnavailable if it exits, or speaks another version."""
        child: AsyncChild[EngineEvent, EngineCommand] = await AsyncChild.start(
            ChildSession(ENGINE), command or engine_command(), env
        )
        try:
            first = await child.next_event(HELLO_TIMEOUT_S)
        except TimeoutError:
            first = EngineError(f"The engine did not answer within {HELLO_TIMEOUT_S:.0f} seconds.")
        if isinstance(first, EngineHello):
            return cls(child, first)
        await child.stop(STOP_GRACE_S)
        if isinstance(first, EngineError):
            raise EngineUnavailable(first.message)
        if isinstance(first, ChildExit):
            raise EngineUnavailable(first.sentence)
        raise EngineUnavailable("The engine wrote something this version cannot read; details are in the log.")

    @property
    def session(self) -> ChildSession[EngineEvent, EngineCommand]:
        return self._child.session

    @property
    def pid(self) -> int | None:
        return self._child.pid

    async def send(self, command: EngineCommand) -> None:
        await self._child.send(command)

    async def next_event(self, timeout: float | None = None) -> EngineEvent | Unreadable | ChildExit:
        """The next event (after the exit: the exit again); TimeoutError if none comes in `timeout` seconds."""
        return await self._child.next_event(timeout)

    def events(self) -> AsyncIterator[EngineEvent | Unreadable | ChildExit]:
        return self._child.events()

    async def close(self, grace_s: float = STOP_GRACE_S) -> ChildExit:
        """Close its stdin: the engine stops any push cleanly and exits (killed if it takes over `grace_s`)."""
        return await self._child.stop(grace_s, terminate=False)

    def kill(self) -> None:
        self._child.kill()

    async def wait(self, timeout: float | None = None) -> ChildExit:
        return await self._child.wait(timeout)
