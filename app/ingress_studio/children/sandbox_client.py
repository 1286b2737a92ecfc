"""`ingress-studio sandbox` as a child started over asyncio, with the window's port fallback."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Never

from ingress_studio.children.asyncio_child import AsyncChild
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.program import DEFAULT_PORTS, Ports, sandbox_command
from ingress_studio.children.sandbox_messages import SandboxEvent, SandboxReady
from ingress_studio.children.sandbox_startup import RetryOn, SandboxDown, SandboxServing, SandboxStartup
from ingress_studio.user_error import UserError

READY_TIMEOUT_S = 30.0
STOP_GRACE_S = 3.0


class SandboxUnavailable(UserError):
    """The sandbox did not start; the message is the window's sentence for it."""


class SandboxClient:
    def __init__(
        self, data_dir: Path | None = None, extra_args: tuple[str, ...] = (), env: Mapping[str, str] | None = None
    ) -> None:
        self._data_dir = data_dir
        self._extra_args = extra_args
        self._env = env
        self.startup = SandboxStartup()
        self.ready: SandboxReady | None = None
        self.notice: str | None = None  # which port moved where, if one did
        self._child: AsyncChild[SandboxEvent, Never] | None = None

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    async def start(self, ports: Ports = DEFAULT_PORTS) -> SandboxReady:
        """Start it, moving a taken port to a free one. SandboxUnavailable with the sentence if it cannot start."""
        self.startup = SandboxStartup(ports)
        while True:
            command = [*sandbox_command(self.startup.ports, self._data_dir), *self._extra_args]
            child = await AsyncChild.start(self.startup.new_session(), command, self._env)
            self._child = child
            while True:
                try:
                    event = await child.next_event(READY_TIMEOUT_S)
                except TimeoutError:
                    await child.stop(STOP_GRACE_S)
                    raise SandboxUnavailable(
                        f"The sandbox did not say it was ready within {READY_TIMEOUT_S:.0f} seconds."
                    ) from None
                if isinstance(event, ChildExit):
                    step = self.startup.on_exit(event)
                    if isinstance(step, RetryOn):
                        break
                    raise SandboxUnavailable(step.sentence if isinstance(step, SandboxDown) else event.sentence)
                serving = self.startup.on_event(event)
                if isinstance(serving, SandboxServing):
                    self.ready, self.notice = serving.ready, serving.notice
                    return serving.ready

    async def wait(self, timeout: float | None = None) -> ChildExit:
        """How the serving sandbox ended."""
        assert self._child is not None, "start() first"
        return await self._child.wait(timeout)

    async def stop(self, grace_s: float = STOP_GRACE_S) -> ChildExit | None:
        """SIGTERM (it stops cleanly), then SIGKILL if it does not exit within `grace_s`."""
        if self._child is None:
            return None
        return await self._child.stop(grace_s)
