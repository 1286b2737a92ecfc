"""What differs between the child programs: how a line reads, what moves the lifecycle, what an exit code means."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.unreadable import Unreadable

EventT = TypeVar("EventT")
CommandT = TypeVar("CommandT", contravariant=True)


@dataclass(frozen=True)
class ChildProtocol(Generic[EventT, CommandT]):
    program: str  # "engine", "sandbox": the word sentences and the log use
    read_line: Callable[[str], EventT | Unreadable]
    # The lifecycle after an event, from the one before it (STARTING → READY at hello/ready, and so on).
    next_lifecycle: Callable[[Lifecycle, EventT], Lifecycle]
    write_command: Callable[[CommandT], bytes]
    exit_meanings: Mapping[int, str] = field(default_factory=dict)
