"""A child that prints one JSON answer and exits (`probe --json`, `devices --json`), whatever runs it.

`OneShotRun` is the Qt-free part both transports share: it takes the child's events and, at its exit, gives
the answer or one sentence why there is none (a crash, an exit without an answer, a line this version cannot
read). `OneShotChild` runs one with asyncio; the window's QProcess adapter is ui/one_shot_process.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Generic, Never, TypeVar

from ingress_studio.children.asyncio_child import AsyncChild
from ingress_studio.children.child_protocol import ChildProtocol
from ingress_studio.children.exits import ChildExit, CleanExit, ExitedWithCode
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.user_error import UserError

AnswerT = TypeVar("AnswerT")

# argparse's exit code for arguments it refuses: only a mismatch of versions or a bug in the caller.
ONE_SHOT_EXIT_MEANINGS = {2: "its arguments were refused"}


class OneShotFailed(UserError):
    """The child gave no answer; `message` says why, in one sentence."""


def _answered(_now: Lifecycle, _answer: object) -> Lifecycle:
    return Lifecycle.READY  # so that its exit counts as after_ready


def _takes_no_commands(command: Never) -> bytes:
    raise TypeError(f"a one-shot child takes no commands ({command!r})")


def one_shot_protocol(program: str, read_line: Callable[[str], AnswerT | Unreadable]) -> ChildProtocol[AnswerT, Never]:
    """The protocol of a child whose stdout is one JSON line, its answer."""
    return ChildProtocol(program, read_line, _answered, _takes_no_commands, ONE_SHOT_EXIT_MEANINGS)


class OneShotRun(Generic[AnswerT]):
    """One run: feed it the session's events, then ask `outcome` at the exit."""

    def __init__(self, protocol: ChildProtocol[AnswerT, Never]) -> None:
        self.session: ChildSession[AnswerT, Never] = ChildSession(protocol)
        self._answer: AnswerT | None = None
        self._unreadable: Unreadable | None = None

    @property
    def program(self) -> str:
        return self.session.program

    def take(self, event: AnswerT | Unreadable | ChildExit) -> None:
        if isinstance(event, Unreadable):
            self._unreadable = self._unreadable or event
        elif not isinstance(event, ChildExit) and self._answer is None:
            self._answer = event

    def outcome(self, exit: ChildExit) -> AnswerT | OneShotFailed:
        """The answer (whatever the exit code: a probe that refuses exits 1 with its report), or why there is none."""
        if self._answer is not None:
            return self._answer
        if self._unreadable is not None:
            return OneShotFailed(
                f"The {self.program} answered with something this version of Ingress Studio cannot read."
            )
        if isinstance(exit, CleanExit | ExitedWithCode):
            meaning = exit.meaning if isinstance(exit, ExitedWithCode) else ""
            return OneShotFailed(
                f"The {self.program} {exit.how} without an answer" + (f" ({meaning})." if meaning else ".")
            )
        return OneShotFailed(exit.sentence)  # a crash, or a program that could not be started

    def timed_out(self, timeout_s: float) -> OneShotFailed:
        return OneShotFailed(f"The {self.program} did not answer within {timeout_s:g} seconds, so it was stopped.")


class OneShotChild(Generic[AnswerT]):
    """A one-shot child run with asyncio: `answer()` waits for it, `cancel()` ends it."""

    def __init__(self, run: OneShotRun[AnswerT], child: AsyncChild[AnswerT, Never]) -> None:
        self._run = run
        self._child = child

    @classmethod
    async def start(
        cls,
        protocol: ChildProtocol[AnswerT, Never],
        command: Sequence[str],
        env: Mapping[str, str] | None = None,
    ) -> OneShotChild[AnswerT]:
        run = OneShotRun(protocol)
        return cls(run, await AsyncChild.start(run.session, command, env))

    @property
    def pid(self) -> int | None:
        return self._child.pid

    async def answer(self, timeout_s: float) -> AnswerT:
        """Its answer; OneShotFailed with the sentence if it crashed, exited without one, or took too long."""
        try:
            async with asyncio.timeout(timeout_s):
                async for event in self._child.events():
                    self._run.take(event)
        except TimeoutError:
            await self.cancel()
            raise self._run.timed_out(timeout_s) from None
        exit = self._child.exit
        assert exit is not None
        outcome = self._run.outcome(exit)
        if isinstance(outcome, OneShotFailed):
            raise outcome
        return outcome

    async def cancel(self) -> None:
        """Kill it (it holds nothing that needs a clean end) and wait until it is gone."""
        self._child.kill()
        await self._child.wait()
