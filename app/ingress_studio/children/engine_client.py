"""`ingress-studio engine` as a child driven over asyncio: typed commands in, typed events out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ingress_studio.children.engine_commands import EngineCommand
from ingress_studio.children.engine_events import EngineError, EngineEvent, EngineHello
from ingress_studio.children.engine_protocol import ENGINE
from ingress_studio.children.hello_client import ChildUnavailable, HelloClient, HelloRules, start_with_hello
from ingress_studio.children.program import engine_command

HELLO_TIMEOUT_S = 30.0  # the first start imports PyAV and FFmpeg: seconds on a slow disk
STOP_GRACE_S = 10.0  # a push ends cleanly first (RTMP end of stream, WHIP DELETE)


class EngineUnavailable(ChildUnavailable):
    """The engine did not start, or does not speak this client's protocol; the message says which."""


RULES = HelloRules(EngineHello, EngineError, EngineUnavailable, HELLO_TIMEOUT_S, STOP_GRACE_S)


class EngineClient(HelloClient[EngineEvent, EngineCommand]):
    hello: EngineHello

    @classmethod
    async def start(cls, command: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> EngineClient:
        """Start the engine and wait for its hello. EngineUnavailable if it exits, or speaks another version."""
        child, hello = await start_with_hello(ENGINE, RULES, command or engine_command(), env)
        client = cls(child, STOP_GRACE_S)
        client.hello = hello  # type: ignore[assignment]  # RULES.hello: an EngineHello
        return client
