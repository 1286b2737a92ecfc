"""The sandbox's lines under `--ready-json`: one `ready` line once it serves, or one `failed` line if it cannot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from ingress_studio.children.event_lines import read_event_line
from ingress_studio.children.json_fields import Fields
from ingress_studio.children.unreadable import Unreadable


@dataclass(frozen=True)
class SandboxReady:
    protocol: int
    version: str  # the sandbox's Ingress Studio version
    api_url: str
    rtmp_base_url: str
    whip_base_url: str
    api_key: str
    database: str  # the SQLite file's path

    def as_dict(self) -> dict[str, Any]:
        """The line's fields, as programs that take the ready line as JSON read it."""
        return {"event": "ready", **asdict(self)}


@dataclass(frozen=True)
class SandboxFailed:
    """It did not start; the process exits next with the matching code (sandbox_launch.py)."""

    reason: str  # "port_in_use", "start_failed"
    message: str  # the sentence for a person
    port: int | None = None  # port_in_use: the port that was taken
    flag: str | None = None  # port_in_use: the option that sets it ("--port", "--rtmp-port", "--whip-port")


SandboxEvent = SandboxReady | SandboxFailed


def _ready(fields: Fields) -> SandboxReady:
    return SandboxReady(
        protocol=fields.integer("protocol"),
        version=fields.text("version"),
        api_url=fields.text("api_url"),
        rtmp_base_url=fields.text("rtmp_base_url"),
        whip_base_url=fields.text("whip_base_url"),
        api_key=fields.text("api_key"),
        database=fields.text("database"),
    )


def _failed(fields: Fields) -> SandboxFailed:
    return SandboxFailed(
        reason=fields.text("reason"),
        message=fields.text("message"),
        port=fields.optional_integer("port"),
        flag=fields.optional_text("flag"),
    )


READERS: dict[str, Callable[[Fields], SandboxEvent]] = {"ready": _ready, "failed": _failed}


def read_sandbox_line(line: str) -> SandboxEvent | Unreadable:
    return read_event_line(line, READERS)
