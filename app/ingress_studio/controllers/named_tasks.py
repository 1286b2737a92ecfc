"""Tasks by name: a new one cancels the old one of the same name (a second Delete, a newer import of a file),
and all can be cancelled at once when the project changes. Tasks are held: asyncio keeps them only weakly."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class NamedTasks:
    def __init__(self) -> None:
        self._named: dict[str, asyncio.Task[Any]] = {}
        self._background: set[asyncio.Future[Any]] = set()

    def run(self, name: str, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        old = self._named.pop(name, None)
        if old is not None:
            old.cancel()
        task = asyncio.ensure_future(work)
        self._named[name] = task
        task.add_done_callback(lambda done: self._named.pop(name, None) if self._named.get(name) is done else None)
        return task

    def keep(self, work: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        """A task nobody waits for that must still finish (closing an old client)."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def cancel_named(self) -> None:
        for task in self._named.values():
            task.cancel()
        self._named.clear()

    async def finished(self) -> None:
        """Wait for the kept tasks (at shutdown)."""
        await asyncio.gather(*self._background, return_exceptions=True)
