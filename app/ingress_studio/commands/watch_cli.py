"""`ingress-studio watch --ingress ID`: what the room receives from an ingress, once a second; and
`ingress-studio watcher`, the same core as a child program over stdin/stdout (docs/watch-protocol.md).

The parser imports nothing heavy: the window's process builds it. The SDK (livekit.rtc), numpy and PyAV
load inside the run functions only."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ingress_studio.commands.credentials import CredentialsError, add_credential_arguments
from ingress_studio.commands.push_cli import positive_seconds
from ingress_studio.commands.terminal_text import message_line, printable


def add_watch_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "watch",
        help="join an ingress's room as a hidden viewer and print what arrives, once a second",
        description="Joins the ingress's room with a subscribe-only, hidden token and prints, once a second, "
        "what the room receives from the ingress's participant: video size, frame rate, bitrate, audio level "
        "and the time since the last picture. Exit code 0 after --duration or Ctrl-C, 1 when it cannot join.",
    )
    parser.add_argument(
        "--ingress", metavar="ID", required=True, help="the ingress to watch: its ID (IN_…), as `ingress list` shows"
    )
    parser.add_argument("--json", action="store_true", help="print the watcher's stats event as JSON lines")
    parser.add_argument("--duration", type=positive_seconds, metavar="SECONDS", help="leave after this long")
    parser.add_argument("--identity", metavar="X", help="the viewer's identity (default: a random hidden one)")
    add_credential_arguments(parser)
    subparsers.add_parser(
        "watcher", help="run the room watcher under the JSON-lines watch protocol (used by the window)"
    )


def run_watcher_command(_args: argparse.Namespace) -> int:
    import asyncio

    import ingress_studio.media  # noqa: F401  - prepares the environment before av loads
    from ingress_studio.room_watch.process_exit import exit_now
    from ingress_studio.room_watch.serve import Watcher

    # stdout carries the protocol: make sure nothing else (prints, warnings) can land there
    events = sys.stdout
    sys.stdout = sys.stderr
    code = asyncio.run(Watcher(events).serve(sys.stdin.fileno()))
    exit_now(code)  # not the SDK's teardown at interpreter exit, which sometimes aborts (process_exit.py)


async def _room_of(args: argparse.Namespace) -> tuple[str, str, str, str]:
    """(server URL, join token, participant identity, ingress name) for --ingress."""
    from ingress_studio.api.viewer_token import viewer_token
    from ingress_studio.commands.credentials import project_client
    from ingress_studio.commands.ingress_lookup import find_ingress

    async with project_client(args) as client:
        info = await find_ingress(client, args.ingress)
        project = client.project
    if not project.api_secret:
        raise CredentialsError(f"The project “{project.name}” has no API secret here: a join token needs one.")
    if not info.room_name or not info.participant_identity:
        raise CredentialsError(f"The ingress “{args.ingress}” names no room or participant to watch.")
    token = viewer_token(project.api_key, project.api_secret, info.room_name, identity=args.identity)
    return project.url, token, info.participant_identity, info.name or info.participant_identity


def run_watch_command(args: argparse.Namespace) -> int:
    import asyncio

    from ingress_studio.room_watch.process_exit import exit_now

    code = asyncio.run(_watch(args))
    exit_now(code)  # not the SDK's teardown at interpreter exit, which sometimes aborts (process_exit.py)


async def _watch(args: argparse.Namespace) -> int:
    import asyncio
    import contextlib
    import json
    import signal

    import ingress_studio.media  # noqa: F401  - prepares the environment before av loads
    from ingress_studio.children.watch_events import WatchStats
    from ingress_studio.children.watch_protocol import read_watch_line
    from ingress_studio.commands.watch_line import WatchNews, watch_line
    from ingress_studio.room_watch.room_session import RoomWatch, WatchRequest
    from ingress_studio.room_watch.sdk_log import keep_sdk_warnings_off_the_terminal

    keep_sdk_warnings_off_the_terminal()
    url, token, identity, name = await _room_of(args)

    news = WatchNews(printable(name))

    def show(event: dict[str, Any]) -> None:
        if args.json:
            if event["event"] == "stats":
                print(json.dumps(event), flush=True)
            return
        typed = read_watch_line(json.dumps(event))  # the typed event, as the window reads it
        text = watch_line(typed, printable(name)) if isinstance(typed, WatchStats) else news.line(typed)
        if text is not None:
            print(message_line(text), flush=True)

    watch = RoomWatch(WatchRequest(url, token, identity, preview=False), show)
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: Ctrl-C stays KeyboardInterrupt
            loop.add_signal_handler(number, watch.stop)
    if args.duration:
        loop.call_later(args.duration, watch.stop)
    ending = await watch.run()
    if not ending.ok:
        print(message_line(f"ingress-studio watch: {ending.message}"), file=sys.stderr)
        return 1
    return 0
