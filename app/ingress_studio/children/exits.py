"""How a child program ended, as a typed event with one sentence for a person."""

from __future__ import annotations

import signal as signals
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ChildExit(ABC):
    """The last event of every child. `requested`: the parent asked it to end (SIGTERM, quit, stdin closed);
    `after_ready`: it had said hello/ready before, so it was not a failure to start."""

    program: str  # "engine", "sandbox": the word the sentences use
    requested: bool
    after_ready: bool

    @property
    @abstractmethod
    def how(self) -> str:
        """The verb phrase of the sentence: "crashed", "stopped with exit code 3"."""

    @property
    def sentence(self) -> str:
        return f"The {self.program} {self.how}."


@dataclass(frozen=True)
class CleanExit(ChildExit):
    @property
    def how(self) -> str:
        return "stopped with exit code 0"


@dataclass(frozen=True)
class ExitedWithCode(ChildExit):
    code: int
    meaning: str  # what the program documents for this code ("a port it needs is in use"), or ""

    @property
    def how(self) -> str:
        return f"stopped with exit code {self.code}"

    @property
    def sentence(self) -> str:
        return f"The {self.program} {self.how}" + (f": {self.meaning}." if self.meaning else ".")


@dataclass(frozen=True)
class Crashed(ChildExit):
    signal: int | None  # None where the platform names none (Windows)

    @property
    def how(self) -> str:
        return "crashed"

    @property
    def sentence(self) -> str:
        if self.signal is None:
            return f"The {self.program} crashed."
        return f"The {self.program} crashed (it was ended by {signal_name(self.signal)})."


@dataclass(frozen=True)
class NotStarted(ChildExit):
    """The program could not be run at all (missing, not executable)."""

    executable: str

    @property
    def how(self) -> str:
        return f"could not be started ({self.executable} did not run)"


def signal_name(number: int) -> str:
    try:
        return f"{signals.Signals(number).name}, signal {number}"
    except ValueError:
        return f"signal {number}"


def exit_event(
    program: str,
    *,
    requested: bool,
    after_ready: bool,
    code: int | None,
    signal: int | None,
    meanings: Mapping[int, str],
) -> ChildExit:
    """The event for an exit as a transport reports it: an exit code, or the signal that ended the process."""
    if code is None:
        return Crashed(program, requested, after_ready, signal)
    if code == 0:
        return CleanExit(program, requested, after_ready)
    return ExitedWithCode(program, requested, after_ready, code, meanings.get(code, ""))
