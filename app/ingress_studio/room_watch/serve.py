"""`ingress-studio watcher`: JSON-line commands on stdin, events on stdout (docs/watch-protocol.md).

PROTOCOL_VERSION here must match the document (and children.watch_protocol: a test keeps them equal).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import threading
from typing import IO, Any

from ingress_studio import __version__
from ingress_studio.room_watch.commands import CommandError, watch_request
from ingress_studio.room_watch.room_session import RoomWatch

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
MAX_COMMAND_BYTES = 64 * 1024  # a watch command with its token is under 2 KB
READ_CHUNK = 64 * 1024


def read_lines(fd: int, loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[bytes | None]) -> None:
    """On a thread (stdin has no portable non-blocking read): each line onto the loop's queue, None at EOF.
    A line longer than MAX_COMMAND_BYTES arrives as its first MAX_COMMAND_BYTES only (then fails to parse).
    os.read, not sys.stdin: a thread blocked in a buffered read aborts the interpreter's exit (its lock)."""
    pending = b""
    skipping = False

    def put(line: bytes | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed first: nobody is waiting any more
            loop.call_soon_threadsafe(lines.put_nowait, line)

    try:
        while chunk := os.read(fd, READ_CHUNK):
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if not skipping:
                    put(line)
                skipping = False
            if len(pending) > MAX_COMMAND_BYTES:
                if not skipping:
                    put(pending[:MAX_COMMAND_BYTES])
                pending, skipping = b"", True
    except OSError as exc:
        log.info("stdin unreadable: %r", exc)
    finally:
        put(None)


class Watcher:
    def __init__(self, events: IO[str]) -> None:
        self._events = events
        self._watch: RoomWatch | None = None
        self._running: asyncio.Task[object] | None = None

    def emit(self, event: dict[str, Any]) -> None:
        self._events.write(json.dumps(event, ensure_ascii=False) + "\n")
        self._events.flush()

    def _hello(self) -> None:
        self.emit({"event": "hello", "protocol": PROTOCOL_VERSION, "version": __version__})

    async def serve(self, commands_fd: int) -> int:
        """Until `quit`, the end of stdin, or SIGTERM; leaves any room first. Returns the exit code."""
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[bytes | None] = asyncio.Queue()
        threading.Thread(target=read_lines, args=(commands_fd, loop, lines), name="stdin", daemon=True).start()
        for number in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: no loop signal handlers
                loop.add_signal_handler(number, lines.put_nowait, None)
        self._hello()
        try:
            while (line := await lines.get()) is not None:
                if line.strip() and await self._command(line) == "quit":
                    break
        finally:
            await self._leave()
        return 0

    async def _command(self, line: bytes) -> str:
        try:
            command = json.loads(line)
            if not isinstance(command, dict):
                raise CommandError("A command must be a JSON object.")
            name = command.get("cmd")
            if name == "hello":
                self._hello()
            elif name == "watch":
                await self._start(command)
            elif name == "stop":
                if not await self._leave():
                    raise CommandError("Not in a room: nothing to stop.")
            elif name != "quit":
                raise CommandError(f"Unknown command {name!r}; known: hello, watch, stop, quit.")
            return str(name)
        except CommandError as exc:
            self.emit({"event": "error", "message": str(exc)})
        except ValueError:  # json.JSONDecodeError, UnicodeDecodeError
            self.emit({"event": "error", "message": "A command line must be one JSON object in UTF-8."})
        return ""

    async def _start(self, command: dict[str, Any]) -> None:
        request = watch_request(command)
        if self._watch is not None and self._watch.joining and self._running is not None and not self._running.done():
            raise CommandError("A join is under way: wait for it to finish, or stop it first.")
        await self._leave()
        log.info("watching %s in the room at %s", request.identity, request.url)
        self._watch = RoomWatch(request, self.emit)
        self._running = asyncio.create_task(self._guarded(self._watch), name="watch")

    async def _guarded(self, watch: RoomWatch) -> object:
        try:
            return await watch.run()
        except Exception as exc:  # a bug must reach the client as a sentence, not end the watcher silently
            log.exception("watching failed")
            message = f"Watching failed unexpectedly: {exc}."
            self.emit({"event": "error", "message": message})
            self.emit({"event": "ended", "ok": False, "reason": "failed", "message": message})
            return None

    async def _leave(self) -> bool:
        """Leave the room if in one (its `ended` is emitted); False if there was none."""
        watch, running = self._watch, self._running
        self._watch, self._running = None, None
        if watch is None or running is None or running.done():
            return False
        watch.stop()
        await running
        return True
