"""A child program that says hello before it takes commands (the engine, the watcher), driven over asyncio:
typed commands in, typed events out. Each client is this core with its protocol and its words."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic

from ingress_studio.children.asyncio_child import AsyncChild
from ingress_studio.children.child_protocol import ChildProtocol, CommandT, EventT
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.user_error import UserError


class ChildUnavailable(UserError):
    """The child did not start, or does not speak this client's protocol; the message says which."""


@dataclass(frozen=True)
class HelloRules:
    """What tells a good start from a bad one, and how long each end may take."""

    hello: type  # the event of a good start
    error: type  # an event with a `message`: a start that failed with a sentence (or another protocol version)
    unavailable: type[ChildUnavailable]
    hello_timeout_s: float  # a first start loads native libraries: seconds on a slow disk
    stop_grace_s: float


async def start_with_hello(
    protocol: ChildProtocol[EventT, CommandT], rules: HelloRules, command: Sequence[str], env: Mapping[str, str] | None
) -> tuple[AsyncChild[EventT, CommandT], EventT]:
    """Start the child and wait for its hello; `rules.unavailable` if it exits, fails, or speaks another version."""
    child: AsyncChild[EventT, CommandT] = await AsyncChild.start(ChildSession(protocol), command, env)
    name = protocol.program
    try:
        first = await child.next_event(rules.hello_timeout_s)
    except TimeoutError:
        await child.stop(rules.stop_grace_s)
        raise rules.unavailable(f"The {name} did not answer within {rules.hello_timeout_s:.0f} seconds.") from None
    if isinstance(first, rules.hello):
        return child, first  # type: ignore[return-value]  # an EventT: `hello` is one of the protocol's events
    await child.stop(rules.stop_grace_s)
    if isinstance(first, rules.error):
        raise rules.unavailable(str(getattr(first, "message", "")))
    if isinstance(first, ChildExit):
        raise rules.unavailable(first.sentence)
    raise rules.unavailable(f"The {name} wrote something this version cannot read; details are in the log.")


class HelloClient(Generic[EventT, CommandT]):
    """A running child after its hello: send commands, read events, close."""

    def __init__(self, child: AsyncChild[EventT, CommandT], stop_grace_s: float) -> None:
        self._child = child
        self._stop_grace_s = stop_grace_s

    @property
    def session(self) -> ChildSession[EventT, CommandT]:
        return self._child.session

    @property
    def pid(self) -> int | None:
        return self._child.pid

    async def send(self, command: CommandT) -> None:
        await self._child.send(command)

    async def next_event(self, timeout: float | None = None) -> EventT | Unreadable | ChildExit:
        """The next event (after the exit: the exit again); TimeoutError if none comes in `timeout` seconds."""
        return await self._child.next_event(timeout)

    def events(self) -> AsyncIterator[EventT | Unreadable | ChildExit]:
        return self._child.events()

    async def close(self, grace_s: float | None = None) -> ChildExit:
        """Close its stdin: the child ends what it does cleanly and exits (killed if it takes over the grace)."""
        return await self._child.stop(self._stop_grace_s if grace_s is None else grace_s, terminate=False)

    def kill(self) -> None:
        self._child.kill()

    async def wait(self, timeout: float | None = None) -> ChildExit:
        return await self._child.wait(timeout)
