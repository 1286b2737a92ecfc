"""`ingress-studio watcher` as a child driven over asyncio: typed commands in, typed events out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from ingress_studio.children.asyncio_child import AsyncChild
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.program import watcher_command
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.children.watch_commands import WatchCommand
from ingress_studio.children.watch_events import WatcherError, WatcherHello, WatchEvent
from ingress_studio.children.watch_protocol import WATCHER
from ingress_studio.user_error import UserError

HELLO_TIMEOUT_S = 30.0  # the first start loads the SDK's native library, numpy and PyAV: seconds on a slow disk
STOP_GRACE_S = 5.0  # leaving a room is one message to the server


class WatcherUnavailable(UserError):
    """The watcher did not start, or does not speak this client's protocol; the message says which."""


class WatchClient:
    def __init__(self, child: AsyncChild[WatchEvent, WatchCommand], hello: WatcherHello) -> None:
        self._child = child
        self.hello = hello

    @classmethod
    async def start(cls, command: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> WatchClient:
        """Start the watcher and wait for its hello. WatcherUnavailable if it exits, or speaks another version."""
        child: AsyncChild[WatchEvent, WatchCommand] = await AsyncChild.start(
            ChildSession(WATCHER), command or watcher_command(), env
        )
        try:
            first = await child.next_event(HELLO_TIMEOUT_S)
        except TimeoutError:
            first = WatcherError(f"The watcher did not answer within {HELLO_TIMEOUT_S:.0f} seconds.")
        if isinstance(first, WatcherHello):
            return cls(child, first)
        await child.stop(STOP_GRACE_S)
        if isinstance(first, WatcherError):
            raise WatcherUnavailable(first.message)
        if isinstance(first, ChildExit):
            raise WatcherUnavailable(first.sentence)
        raise WatcherUnavailable("The watcher wrote something this version cannot read; details are in the log.")

    @property
    def session(self) -> ChildSession[WatchEvent, WatchCommand]:
        return self._child.session

    @property
    def pid(self) -> int | None:
        return self._child.pid

    async def send(self, command: WatchCommand) -> None:
        await self._child.send(command)

    async def next_event(self, timeout: float | None = None) -> WatchEvent | Unreadable | ChildExit:
        """The next event (after the exit: the exit again); TimeoutError if none comes in `timeout` seconds."""
        return await self._child.next_event(timeout)

    def events(self) -> AsyncIterator[WatchEvent | Unreadable | ChildExit]:
        return self._child.events()

    async def close(self, grace_s: float = STOP_GRACE_S) -> ChildExit:
        """Close its stdin: the watcher leaves the room and exits (killed if it takes over `grace_s`)."""
        return await self._child.stop(grace_s, terminate=False)

    def kill(self) -> None:
        self._child.kill()

    async def wait(self, timeout: float | None = None) -> ChildExit:
        return await self._child.wait(timeout)
