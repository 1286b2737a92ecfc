"""Only the port that was taken moves, to any free one; the notice says which moved where."""

from __future__ import annotations

from ingress_studio.children.port_fallback import PortFallback
from ingress_studio.children.sandbox_messages import SandboxFailed, SandboxReady


def taken(port: int, flag: str) -> SandboxFailed:
    return SandboxFailed("port_in_use", f"Cannot listen on {port}.", port, flag)


def ready(api: int, rtmp: int, whip: int) -> SandboxReady:
    return SandboxReady(
        1, "v", f"http://127.0.0.1:{api}", f"rtmp://127.0.0.1:{rtmp}/x", f"http://127.0.0.1:{whip}/w", "k", "db"
    )


def test_the_taken_port_alone_becomes_any_free_one() -> None:
    fallback = PortFallback()
    assert fallback.next_ports((7880, 1935, 8080), taken(7880, "--port")) == (0, 1935, 8080)
    assert fallback.next_ports((0, 1935, 8080), taken(1935, "--rtmp-port")) == (0, 0, 8080)
    assert fallback.notice(ready(41001, 41002, 8080)) == (
        "API port 7880 is in use, so the sandbox uses 41001; RTMP port 1935 is in use, so the sandbox uses 41002 "
        "instead (the encoder settings show the actual addresses)."
    )


def test_no_retry_when_it_cannot_help() -> None:
    fallback = PortFallback()
    assert fallback.next_ports((7880, 0, 8080), taken(0, "--rtmp-port")) is None  # "any free port" failed
    assert fallback.next_ports((7880, 1935, 8080), SandboxFailed("port_in_use", "m")) is None  # no flag named
    assert fallback.notice(ready(7880, 1935, 8080)) is None  # nothing moved: nothing to say
