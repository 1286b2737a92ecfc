"""Where a child program is in its life, as its parent sees it."""

from __future__ import annotations

from enum import Enum


class Lifecycle(Enum):
    STARTING = "starting"  # spawned; it has not said hello (engine) or ready (sandbox) yet
    READY = "ready"  # it said so and waits for work (the sandbox: serving)
    RUNNING = "running"  # doing the work it was given (the engine: a push, from `started` to `ended`)
    EXITED = "exited"  # it ended with an exit code, 0 or not
    CRASHED = "crashed"  # a signal ended it, or it could not be started at all

    @property
    def alive(self) -> bool:
        return self in (Lifecycle.STARTING, Lifecycle.READY, Lifecycle.RUNNING)
