"""One JSON event line → the typed event its `event` field names, or Unreadable; never an exception."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ingress_studio.children.json_fields import Fields, Malformed
from ingress_studio.children.unreadable import Unreadable

E = TypeVar("E")


def read_event_line(line: str, readers: Mapping[str, Callable[[Fields], E]]) -> E | Unreadable:
    """`readers` maps event names to what builds the event from its fields; unknown fields are ignored."""
    try:
        message: Any = json.loads(line)
    except ValueError:
        return Unreadable.of(line, "not JSON")
    if not isinstance(message, dict):
        return Unreadable.of(line, "not a JSON object")
    name = message.get("event")
    reader = readers.get(name) if isinstance(name, str) else None
    if reader is None:
        return Unreadable.of(line, f"unknown event {name!r}")
    try:
        return reader(Fields(message))
    except Malformed as exc:
        return Unreadable.of(line, f"{name}: {exc}")
