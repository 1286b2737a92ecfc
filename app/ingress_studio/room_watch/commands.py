"""The watcher's commands as it reads them (docs/watch-protocol.md): a line → a checked request, or one sentence."""

from __future__ import annotations

from typing import Any

from ingress_studio.room_watch.room_session import DEFAULT_PREVIEW_WIDTH, WatchRequest

PREVIEW_WIDTH_RANGE = (16, 1920)


class CommandError(Exception):
    """A command that cannot be carried out; its message becomes an `error` event."""


def _text(command: dict[str, Any], name: str) -> str:
    value = command.get(name)
    if not isinstance(value, str) or not value.strip():
        raise CommandError(f"“{name}” must be a non-empty string.")
    return value.strip()


def watch_request(command: dict[str, Any]) -> WatchRequest:
    url = _text(command, "url")
    if not url.startswith(("http://", "https://", "ws://", "wss://")):
        raise CommandError(f"“url” must start with http://, https://, ws:// or wss://, not “{url}”.")
    preview = command.get("preview", True)
    if not isinstance(preview, bool):
        raise CommandError("“preview” must be true or false.")
    width = command.get("preview_width", DEFAULT_PREVIEW_WIDTH)
    low, high = PREVIEW_WIDTH_RANGE
    if isinstance(width, bool) or not isinstance(width, int) or not low <= width <= high:
        raise CommandError(f"“preview_width” must be a whole number from {low} to {high}.")
    return WatchRequest(url, _text(command, "token"), _text(command, "identity"), preview, width)
