"""A child's link (the engine's or the watcher's) that records the commands it is given, for controller tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingress_studio.children.engine_commands import EngineCommand
from ingress_studio.children.watch_commands import WatchCommand


@dataclass
class RecordingLink:
    running: bool = False
    starts: int = 0
    sent: list[EngineCommand | WatchCommand] = field(default_factory=list)

    def start(self) -> None:
        self.starts += 1
        self.running = True

    def send(self, command: EngineCommand | WatchCommand) -> None:
        self.sent.append(command)
