"""`ingress-studio watcher` as a child driven over asyncio: typed commands in, typed events out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ingress_studio.children.hello_client import ChildUnavailable, HelloClient, HelloRules, start_with_hello
from ingress_studio.children.program import watcher_command
from ingress_studio.children.watch_commands import WatchCommand
from ingress_studio.children.watch_events import WatcherError, WatcherHello, WatchEvent
from ingress_studio.children.watch_protocol import WATCHER

HELLO_TIMEOUT_S = 30.0  # the first start loads the SDK's native library, numpy and PyAV: seconds on a slow disk
STOP_GRACE_S = 5.0  # leaving a room is one message to the server


class WatcherUnavailable(ChildUnavailable):
    """The watcher did not start, or does not speak this client's protocol; the message says which."""


RULES = HelloRules(WatcherHello, WatcherError, WatcherUnavailable, HELLO_TIMEOUT_S, STOP_GRACE_S)


class WatchClient(HelloClient[WatchEvent, WatchCommand]):
    hello: WatcherHello

    @classmethod
    async def start(cls, command: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> WatchClient:
        """Start the watcher and wait for its hello. WatcherUnavailable if it exits, or speaks another version."""
        child, hello = await start_with_hello(WATCHER, RULES, command or watcher_command(), env)
        client = cls(child, STOP_GRACE_S)
        client.hello = hello  # type: ignore[assignment]  # RULES.hello: a WatcherHello
        return client
