"""Room viewers for tests: `room_viewer_child.py` (the official rtc SDK) in a child process, its JSON lines
read in a thread, and viewer tokens."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livekit import api

from support.sandbox_process import SandboxServer

CHILD = Path(__file__).with_name("room_viewer_child.py")
Event = dict[str, Any]


def viewer_token(server: SandboxServer, room: str, identity: str = "viewer", **grants: Any) -> str:
    """A subscribe-only token (FACTS §6); `grants` override its VideoGrants fields."""
    fields: dict[str, Any] = {
        "room_join": True,
        "room": room,
        "can_subscribe": True,
        "can_publish": False,
        "can_publish_data": False,
        "hidden": True,
        **grants,
    }
    token = api.AccessToken(server.api_key, server.api_secret).with_identity(identity)
    return token.with_grants(api.VideoGrants(**fields)).to_jwt()


@dataclass
class RoomViewer:
    process: subprocess.Popen[str]
    events: queue.Queue[Event] = field(default_factory=queue.Queue)
    seen: list[Event] = field(default_factory=list)

    def next(self, where: Callable[[Event], bool], timeout: float = 20, what: str = "event") -> Event:
        """The next event that matches; the others are kept in `seen`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {what} within {timeout} s; seen {self.seen[-8:]}") from None
            self.seen.append(event)
            if where(event):
                return event
            if event["event"] == "exit":
                raise AssertionError(f"the viewer exited before {what}; seen {self.seen[-8:]}")

    def event(self, name: str, timeout: float = 20, **matching: Any) -> Event:
        def matches(event: Event) -> bool:
            return event["event"] == name and all(event.get(key) == value for key, value in matching.items())

        return self.next(matches, timeout, what=f"{name} {matching or ''}".strip())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def start_viewer(server: SandboxServer, token: str, seconds: float = 30) -> RoomViewer:
    process = subprocess.Popen(
        [sys.executable, str(CHILD), server.url.replace("http", "ws", 1), token, str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the SDK's native logs
        text=True,
    )
    viewer = RoomViewer(process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                viewer.events.put(json.loads(line))
        viewer.events.put({"event": "exit", "code": process.wait()})

    threading.Thread(target=read, daemon=True).start()
    return viewer
