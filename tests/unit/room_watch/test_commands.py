"""The watcher reads what the window's WatchRoom writes, and refuses the rest with one sentence."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ingress_studio.children.watch_commands import WatchRoom, watch_command_line
from ingress_studio.room_watch.commands import CommandError, watch_request
from ingress_studio.room_watch.room_session import WatchRequest


def test_the_clients_watch_command_is_read_whole() -> None:
    line = watch_command_line(WatchRoom("https://lk.example", "jwt", "ingress-7", preview=False, preview_width=320))
    assert watch_request(json.loads(line)) == WatchRequest("https://lk.example", "jwt", "ingress-7", False, 320)
    assert "jwt" not in repr(watch_request(json.loads(line)))


def test_defaults() -> None:
    request = watch_request({"cmd": "watch", "url": "ws://h:7880", "token": "t", "identity": "i"})
    assert (request.preview, request.preview_width) == (True, 640)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"url": ""}, "“url” must be a non-empty string."),
        ({"url": "ftp://h"}, "“url” must start with http://, https://, ws:// or wss://, not “ftp://h”."),
        ({"token": None}, "“token” must be a non-empty string."),
        ({"identity": 5}, "“identity” must be a non-empty string."),
        ({"preview": "yes"}, "“preview” must be true or false."),
        ({"preview_width": 4}, "“preview_width” must be a whole number from 16 to 1920."),
        ({"preview_width": True}, "“preview_width” must be a whole number from 16 to 1920."),
    ],
)
def test_a_bad_field_is_one_sentence(change: dict[str, Any], message: str) -> None:
    command = {"cmd": "watch", "url": "http://h", "token": "t", "identity": "i"} | change
    with pytest.raises(CommandError) as caught:
        watch_request(command)
    assert str(caught.value) == message
