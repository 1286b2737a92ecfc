"""The sandbox's --ready-json lines read as typed events."""

from __future__ import annotations

import json

from ingress_studio.children.sandbox_messages import SandboxFailed, SandboxReady, read_sandbox_line
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.sandbox.runner import PortInUse

READY = {
    "event": "ready",
    "protocol": 1,
    "version": "0.9.0",
    "api_url": "http://127.0.0.1:7880",
    "rtmp_base_url": "rtmp://127.0.0.1:1935/x",
    "whip_base_url": "http://127.0.0.1:8080/w",
    "api_key": "devkey",
    "database": "/data/sandbox/ingresses.sqlite3",
}


def test_the_ready_line() -> None:
    ready = read_sandbox_line(json.dumps(READY))
    assert ready == SandboxReady(
        1,
        "0.9.0",
        "http://127.0.0.1:7880",
        "rtmp://127.0.0.1:1935/x",
        "http://127.0.0.1:8080/w",
        "devkey",
        "/data/sandbox/ingresses.sqlite3",
    )
    assert isinstance(ready, SandboxReady) and ready.as_dict() == READY  # what the window's ready(dict) carries


def test_the_failed_line_of_a_port_in_use_as_the_runner_builds_it() -> None:
    exc = PortInUse("Cannot listen for API on 127.0.0.1:7880 (Address in use). …", 7880, "--port")
    line = json.dumps({"event": "failed", "reason": exc.reason, **exc.details(), "message": str(exc)})
    assert read_sandbox_line(line) == SandboxFailed("port_in_use", str(exc), 7880, "--port")


def test_a_failed_line_without_a_port() -> None:
    line = json.dumps({"event": "failed", "reason": "start_failed", "message": "The database cannot be used."})
    assert read_sandbox_line(line) == SandboxFailed("start_failed", "The database cannot be used.")


def test_wrong_types_and_other_lines_are_unreadable() -> None:
    line = json.dumps(READY | {"api_url": 7880})
    assert read_sandbox_line(line) == Unreadable(line, "ready: “api_url” must be a string")
    assert read_sandbox_line("Ingress Studio sandbox 0.9") == Unreadable("Ingress Studio sandbox 0.9", "not JSON")
    assert isinstance(read_sandbox_line(json.dumps({"event": "hello", "protocol": 1})), Unreadable)
