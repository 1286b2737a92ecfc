"""The watch client (asyncio) against the real `ingress-studio watcher`, the official rtc SDK in it, and a
real sandbox: what a refused join, an unreachable server and bad commands look like to the window."""

from __future__ import annotations

import socket

from ingress_studio.api.viewer_token import viewer_token
from ingress_studio.children.exits import CleanExit
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.watch_client import WatchClient
from ingress_studio.children.watch_commands import QuitWatcher, StopWatching, WatcherHelloCommand, WatchRoom
from ingress_studio.children.watch_events import (
    EndReason,
    RoomConnection,
    RoomState,
    WatchEnded,
    WatcherError,
    WatcherHello,
)
from support.child_events import next_of
from support.sandbox_process import SandboxServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_token_signed_with_another_secret_is_refused(
    watcher: WatchClient, watched_sandbox: SandboxServer
) -> None:
    assert watcher.hello.protocol == 1 and watcher.session.lifecycle is Lifecycle.READY
    token = viewer_token("devkey", "not-the-sandboxes-secret-but-32-bytes", "some-room")
    await watcher.send(WatchRoom(watched_sandbox.url, token, "ingress-participant"))
    assert await next_of(watcher, RoomState) == RoomState(RoomConnection.CONNECTING, "")
    error = await next_of(watcher, WatcherError)
    ended = await next_of(watcher, WatchEnded)
    assert ended.reason is EndReason.REFUSED and not ended.ok and ended.message == error.message
    assert ended.message.startswith(f"The server at {watched_sandbox.url} refused the join token")
    assert watcher.session.lifecycle is Lifecycle.READY  # it waits for the next command


async def test_nothing_answering_is_unreachable_and_the_watcher_goes_on(watcher: WatchClient) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    await watcher.send(WatchRoom(url, viewer_token("devkey", "secret", "r"), "someone"))
    ended = await next_of(watcher, WatchEnded)
    assert ended == WatchEnded(
        False, EndReason.UNREACHABLE, f"Nothing answers at {url}: check the URL and that the server runs."
    )
    await watcher.send(WatcherHelloCommand())
    assert isinstance(await next_of(watcher, WatcherHello), WatcherHello)


async def test_bad_commands_are_one_sentence_each(watcher: WatchClient) -> None:
    # Raw lines: WatchClient writes only well-formed commands, and these are what it must never break on.
    assert watcher._child._process is not None and watcher._child._process.stdin is not None
    stdin = watcher._child._process.stdin
    for line in (b"not json\n", b"[1]\n", b'{"cmd": "dance"}\n', b'{"cmd": "watch", "url": "x"}\n'):
        stdin.write(line)
    await watcher.send(StopWatching())
    messages = [(await next_of(watcher, WatcherError)).message for _ in range(5)]
    assert messages == [
        "A command line must be one JSON object in UTF-8.",
        "A command must be a JSON object.",
        "Unknown command 'dance'; known: hello, watch, stop, quit.",
        "“url” must start with http://, https://, ws:// or wss://, not “x”.",
        "Not in a room: nothing to stop.",
    ]
    await watcher.send(QuitWatcher())
    assert isinstance(await watcher.wait(30), CleanExit)
