"""One JSON line → a typed value (an event line → the event its `event` field names), or Unreadable; never an
exception."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ingress_studio.children.json_fields import Fields, Malformed
from ingress_studio.children.unreadable import Unreadable

E = TypeVar("E")


def read_json_line(line: str, read: Callable[[Any], E]) -> E | Unreadable:
    """`read` builds the typed value from the parsed JSON, raising Malformed where it does not fit."""
    try:
        value: Any = json.loads(line)
    except ValueError:
        return Unreadable.of(line, "not JSON")
    try:
        return read(value)
    except Malformed as exc:
        return Unreadable.of(line, str(exc))


def json_object(value: Any) -> Fields:
    if not isinstance(value, dict):
        raise Malformed("not a JSON object")
    return Fields(value)


def read_event_line(line: str, readers: Mapping[str, Callable[[Fields], E]]) -> E | Unreadable:
    """`readers` maps event names to what builds the event from its fields; unknown fields are ignored."""

    def read(value: Any) -> E:
        fields = json_object(value)
        name = value.get("event")
        reader = readers.get(name) if isinstance(name, str) else None
        if reader is None:
            raise Malformed(f"unknown event {name!r}")
        try:
            return reader(fields)
        except Malformed as exc:
            raise Malformed(f"{name}: {exc}") from None

    return read_json_line(line, read)
