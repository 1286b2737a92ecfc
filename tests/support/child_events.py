"""Waiting for one kind of event from a child client (asyncio), with what came instead when it does not come."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from ingress_studio.children.engine_events import EngineError
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.watch_events import WatcherError

T = TypeVar("T")


class EventSource(Protocol):
    def next_event(self, timeout: float | None = None) -> Awaitable[Any]: ...


async def next_of(
    child: EventSource, kind: type[T], where: Callable[[T], bool] = lambda _event: True, timeout: float = 30
) -> T:
    """The next event of this type that matches `where`; the others are skipped. The child's exit before it
    fails the test (unless the exit is what is waited for), naming what came and the child's errors."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    errors: list[str] = []
    while True:
        try:
            event = await child.next_event(max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise AssertionError(f"no {kind.__name__} within {timeout} s; seen {seen[-12:]}; errors {errors}") from None
        if isinstance(event, kind) and where(event):
            return event
        if isinstance(event, ChildExit):
            raise AssertionError(f"{event.sentence} before a {kind.__name__}; seen {seen[-12:]}; errors {errors}")
        seen.append(type(event).__name__)
        if isinstance(event, EngineError | WatcherError):
            errors.append(event.message)
