"""How to run the child programs: `ingress-studio` again (the frozen app itself, or this Python with -m)."""

from __future__ import annotations

import sys
from pathlib import Path

Ports = tuple[int, int, int]  # the sandbox's API, RTMP and WHIP ports (0 = any free one)

DEFAULT_PORTS: Ports = (7880, 1935, 8080)  # LiveKit's own API port, RTMP's and WHIP's usual ones


def ingress_studio_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "ingress_studio"]


def engine_command() -> list[str]:
    return [*ingress_studio_command(), "engine"]


def watcher_command() -> list[str]:
    return [*ingress_studio_command(), "watcher"]


def sandbox_command(ports: Ports, data_dir: Path | None = None) -> list[str]:
    """The sandbox with its ready line on stdout, stopping when its parent goes away (its stdin closes)."""
    api, rtmp, whip = ports
    command = [*ingress_studio_command(), "sandbox", "--ready-json", "--exit-on-stdin-eof", "--port", str(api)]
    command += ["--rtmp-port", str(rtmp), "--whip-port", str(whip)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return command
