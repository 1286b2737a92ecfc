"""The sandbox's start across its attempts: a taken default port is retried on a free one, a failure is a sentence.

Each attempt is a new child process with a new session; what it says and how it ends decide the next step.
The window's adapter (QProcess) and the asyncio client both follow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Never

from ingress_studio.children.exits import ChildExit, ExitedWithCode, NotStarted
from ingress_studio.children.port_fallback import PortFallback
from ingress_studio.children.program import DEFAULT_PORTS, Ports
from ingress_studio.children.sandbox_messages import SandboxEvent, SandboxFailed, SandboxReady
from ingress_studio.children.sandbox_protocol import SANDBOX
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.config.paths import user_log_dir
from ingress_studio.sandbox_launch import PORT_IN_USE_EXIT


@dataclass(frozen=True)
class SandboxServing:
    ready: SandboxReady
    notice: str | None  # which port moved where, if one did


@dataclass(frozen=True)
class RetryOn:
    ports: Ports


@dataclass(frozen=True)
class SandboxDown:
    sentence: str  # for the window: never the child's stderr, which goes to the log


@dataclass(frozen=True)
class SandboxAttempt:
    """One child that ended: on which ports, what its failed line said (if it sent one), how it exited."""

    ports: Ports
    failed: SandboxFailed | None
    exit: ChildExit


class SandboxStartup:
    def __init__(self, ports: Ports = DEFAULT_PORTS) -> None:
        self.requested = ports
        self.ports = ports
        self.fallback = PortFallback()
        self.attempts: list[SandboxAttempt] = []
        self.session: ChildSession[SandboxEvent, Never] = ChildSession(SANDBOX)
        self._failed: SandboxFailed | None = None
        self._served = False

    def new_session(self) -> ChildSession[SandboxEvent, Never]:
        """The session of the next child, to be started on `self.ports`."""
        self.session = ChildSession(SANDBOX)
        self._failed = None
        self._served = False
        return self.session

    def on_event(self, event: SandboxEvent | Unreadable) -> SandboxServing | None:
        """Serving, at this child's first ready line; a failed line is kept for its exit."""
        if isinstance(event, SandboxReady) and not self._served:
            self._served = True
            return SandboxServing(event, self.fallback.notice(event))
        if isinstance(event, SandboxFailed):
            self._failed = event
        return None

    def on_exit(self, exit: ChildExit) -> RetryOn | SandboxDown | None:
        """The next step after this child ended: other ports, a sentence, or nothing (it was asked to stop)."""
        self.attempts.append(SandboxAttempt(self.ports, self._failed, exit))
        if exit.requested:
            return None
        if isinstance(exit, NotStarted):
            return SandboxDown(exit.sentence)
        if (
            not exit.after_ready
            and isinstance(exit, ExitedWithCode)
            and exit.code == PORT_IN_USE_EXIT
            and self._failed is not None
        ):
            retry = self.fallback.next_ports(self.ports, self._failed)
            if retry is not None:
                self.ports = retry
                return RetryOn(retry)
        logs = f"Details are in the log in {user_log_dir()}."
        if exit.after_ready:
            return SandboxDown(f"The sandbox {exit.how}. {logs} Press Retry to start it again.")
        if self._failed is not None and self._failed.message:
            return SandboxDown(f"The sandbox could not start: {self._failed.message}")
        return SandboxDown(f"The sandbox could not start: it {exit.how}. {logs}")
