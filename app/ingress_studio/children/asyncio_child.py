"""A child program run with asyncio (asyncio.create_subprocess_exec): for CLI code and tests, no Qt."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Generic

from ingress_studio.children.child_protocol import CommandT, EventT
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.session import ChildSession
from ingress_studio.children.unreadable import Unreadable

log = logging.getLogger(__name__)

READ_CHUNK = 64 * 1024
STDOUT_AFTER_EXIT_S = 5.0  # a grandchild that holds the pipe open must not keep the exit event back


class AsyncChild(Generic[EventT, CommandT]):
    """One run of a child: its events in order, the exit last (`next_event` then keeps returning the exit).

    Events queue up until read: a caller that stops reading a running engine should close it.
    """

    def __init__(self, session: ChildSession[EventT, CommandT]) -> None:
        self.session = session
        self._process: asyncio.subprocess.Process | None = None
        self._events: asyncio.Queue[EventT | Unreadable | ChildExit] = asyncio.Queue()
        self._exit: asyncio.Future[ChildExit] = asyncio.get_running_loop().create_future()
        self._watcher: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls, session: ChildSession[EventT, CommandT], command: Sequence[str], env: Mapping[str, str] | None = None
    ) -> AsyncChild[EventT, CommandT]:
        """Spawn `command`; a program that cannot be run ends at once with a NotStarted exit."""
        child = cls(session)
        try:
            child._process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=dict(env) if env is not None else None,
            )
        except OSError as exc:
            child._finish(session.could_not_start(command[0], exc.strerror or str(exc)))
            return child
        log.info("%s child started (pid %s)", session.program, child._process.pid)
        child._watcher = asyncio.create_task(child._watch(child._process), name=f"{session.program}-child")
        return child

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.returncode is None else None

    @property
    def exit(self) -> ChildExit | None:
        return self._exit.result() if self._exit.done() else None

    async def next_event(self, timeout: float | None = None) -> EventT | Unreadable | ChildExit:
        """The next event; after the exit, the exit again. TimeoutError if none comes in `timeout` seconds."""
        if self._events.empty() and self._exit.done():
            return self._exit.result()
        return await asyncio.wait_for(self._events.get(), timeout)

    async def events(self) -> AsyncIterator[EventT | Unreadable | ChildExit]:
        """Every event, the exit last."""
        while True:
            event = await self.next_event()
            yield event
            if isinstance(event, ChildExit):
                return

    async def send(self, command: CommandT) -> None:
        """Write one command line. A child that is gone is not an error here: its exit event says so."""
        process = self._process
        if process is None or process.stdin is None or process.stdin.is_closing():
            return
        process.stdin.write(self.session.write(command))
        with contextlib.suppress(ConnectionError):
            await process.stdin.drain()

    def close_stdin(self) -> None:
        """The child's stdin ends: the engine stops its push and exits, a sandbox with --exit-on-stdin-eof stops."""
        self.session.stop_requested()
        if self._process is not None and self._process.stdin is not None:
            self._process.stdin.close()

    def terminate(self) -> None:
        self.session.stop_requested()
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.terminate()

    def kill(self) -> None:
        """SIGKILL, asked for by the parent (a kill from elsewhere is a crash it did not ask for)."""
        self.session.stop_requested()
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()

    async def wait(self, timeout: float | None = None) -> ChildExit:
        return await asyncio.wait_for(asyncio.shield(self._exit), timeout)

    async def stop(self, grace_s: float, *, terminate: bool = True) -> ChildExit:
        """End the child: SIGTERM (or only stdin closed), then SIGKILL if it has not exited within `grace_s`."""
        if terminate:
            self.terminate()
        else:
            self.close_stdin()
        try:
            return await self.wait(grace_s)
        except TimeoutError:
            log.warning("%s child did not stop within %s s: killing it", self.session.program, grace_s)
            self.kill()
            return await self.wait()

    async def _pump_stdout(self, stream: asyncio.StreamReader) -> None:
        while data := await stream.read(READ_CHUNK):
            for event in self.session.read_stdout(data):
                self._events.put_nowait(event)
        for event in self.session.stdout_closed():
            self._events.put_nowait(event)

    async def _pump_stderr(self, stream: asyncio.StreamReader) -> None:
        while data := await stream.read(READ_CHUNK):
            self.session.read_stderr(data)

    async def _watch(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None and process.stderr is not None
        readers = asyncio.gather(
            asyncio.create_task(self._pump_stdout(process.stdout)),
            asyncio.create_task(self._pump_stderr(process.stderr)),
        )
        returncode = await process.wait()
        try:
            await asyncio.wait_for(asyncio.shield(readers), STDOUT_AFTER_EXIT_S)
        except TimeoutError:
            readers.cancel()
        if process.stdin is not None:
            process.stdin.close()
        # asyncio's returncode is -N for a process ended by signal N (POSIX)
        if returncode < 0:
            self._finish(self.session.exited(None, -returncode))
        else:
            self._finish(self.session.exited(returncode))

    def _finish(self, exit: ChildExit) -> None:
        self._events.put_nowait(exit)
        self._exit.set_result(exit)
