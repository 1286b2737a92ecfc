"""Which local addresses the sandbox's WebRTC peers offer as ICE host candidates.

- WHIP publishers: a sandbox bound to loopback offers only 127.0.0.1 (aioice skips it and would offer every
  other interface): the publisher is on this machine, and nothing else needs to reach it.
- Room viewers: the rtc SDK's libwebrtc gathers no loopback candidates, so 127.0.0.1 cannot pair with
  anything it has; the viewer's peer connection offers the machine's other interfaces instead (aioice's own
  choice). Viewer and sandbox then meet on one of those addresses without leaving the machine: no outside
  connectivity is needed, but some interface other than loopback must exist. Its UDP port answers only
  ICE checks carrying the credentials the signalling gave the viewer (who needed a valid join token).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

import aioice.ice

NO_ICE = (
    "This computer has only a loopback network interface, so a viewer's WebRTC connection (ICE) cannot be "
    "set up; bring up any other interface (no outside connectivity is needed) and join again."
)

_aioice_addresses: Callable[[bool, bool], list[str]] = aioice.ice.get_host_addresses
_loopback_only = False
_for_room_viewer = contextvars.ContextVar("for_room_viewer", default=False)


def _host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    if _for_room_viewer.get() or not _loopback_only:
        return _aioice_addresses(use_ipv4, use_ipv6)
    return ["127.0.0.1"] if use_ipv4 else []


def use_loopback_candidates_only() -> None:
    """Publishers' peer connections offer 127.0.0.1 only (room viewers keep the other interfaces)."""
    global _loopback_only
    _loopback_only = True
    aioice.ice.get_host_addresses = _host_addresses


@contextlib.contextmanager
def room_viewer_candidates() -> Iterator[None]:
    """Candidates gathered inside this block (and tasks it starts) are for a room viewer."""
    aioice.ice.get_host_addresses = _host_addresses
    token = _for_room_viewer.set(True)
    try:
        yield
    finally:
        _for_room_viewer.reset(token)


def viewer_can_connect(addresses: Callable[[bool, bool], list[str]] = _aioice_addresses) -> bool:
    """Whether any non-loopback address exists for a viewer's ICE to use."""
    return bool(addresses(True, True))
