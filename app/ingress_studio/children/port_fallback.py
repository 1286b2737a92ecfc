"""A sandbox port that is taken is replaced by any free one, and only that one; the notice says which moved where."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from ingress_studio.children.program import Ports
from ingress_studio.children.sandbox_messages import SandboxFailed, SandboxReady
from ingress_studio.sandbox_launch import PORT_FLAGS, PORT_ROLES

log = logging.getLogger(__name__)


def _port_of(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


def _ready_urls(ready: SandboxReady) -> tuple[str, str, str]:
    """In the order of PORT_FLAGS."""
    return ready.api_url, ready.rtmp_base_url, ready.whip_base_url


class PortFallback:
    """For a default port that is busy (LiveKit's own 7880, another RTMP server's 1935): the ports to try next."""

    def __init__(self) -> None:
        self.moved: list[tuple[int, int]] = []  # (index into PORT_FLAGS, the port that was taken)

    def next_ports(self, ports: Ports, failed: SandboxFailed) -> Ports | None:
        """After a port-in-use failure: the same ports with the taken one replaced by 0 (any free one), or None
        when that cannot help (the failure names no port flag, or "any free port" itself failed)."""
        if failed.flag not in PORT_FLAGS:
            return None
        index = PORT_FLAGS.index(failed.flag)
        if ports[index] == 0:
            return None
        self.moved.append((index, ports[index]))
        log.info("sandbox %s port %s is in use; retrying on a free one", PORT_ROLES[index], ports[index])
        retry = list(ports)
        retry[index] = 0
        return retry[0], retry[1], retry[2]

    def notice(self, ready: SandboxReady) -> str | None:
        """The sentence for the window once the sandbox serves elsewhere; None if no port moved."""
        if not self.moved:
            return None
        urls = _ready_urls(ready)
        moves = [
            f"{PORT_ROLES[index]} port {taken} is in use, so the sandbox uses {_port_of(urls[index])}"
            for index, taken in self.moved
        ]
        return "; ".join(moves) + " instead (the encoder settings show the actual addresses)."
