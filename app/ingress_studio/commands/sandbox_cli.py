"""`ingress-studio sandbox`: argument parsing for the local stand-in server."""

from __future__ import annotations

import argparse
from pathlib import Path

from ingress_studio.config.paths import sandbox_data_dir
from ingress_studio.config.project import SANDBOX_API_KEY, SANDBOX_API_SECRET
from ingress_studio.redaction import register_secret
from ingress_studio.sandbox_launch import BAD_ARGUMENTS_EXIT, CLEAN_EXIT, PORT_IN_USE_EXIT, START_FAILED_EXIT


def add_sandbox_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="run a local stand-in for a LiveKit server's Ingress API (no account needed)",
        epilog=(
            f"Exit codes: {CLEAN_EXIT} stopped cleanly, {START_FAILED_EXIT} could not start (data folder), "
            f"{BAD_ARGUMENTS_EXIT} bad arguments, {PORT_IN_USE_EXIT} a port is in use. With --ready-json, "
            "a failure to start is also one 'failed' JSON line on stdout."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7880, help="Ingress API port (default 7880; 0 = any free)")
    parser.add_argument("--rtmp-port", type=int, default=1935, help="RTMP port (default 1935; 0 = any free)")
    parser.add_argument("--whip-port", type=int, default=8080, help="WHIP port (default 8080; 0 = any free)")
    parser.add_argument("--api-key", default=SANDBOX_API_KEY, help=f"API key (default {SANDBOX_API_KEY})")
    parser.add_argument("--api-secret", default=SANDBOX_API_SECRET, help=f"API secret (default {SANDBOX_API_SECRET})")
    parser.add_argument("--data-dir", type=Path, help=f"where ingresses are stored (default {sandbox_data_dir()})")
    parser.add_argument(
        "--list-page-size",
        type=int,
        default=0,
        help="page ListIngress answers like LiveKit Cloud (default: no paging)",
    )
    parser.add_argument(
        "--no-media-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="end a live session after this long without media, like the real service (default 60)",
    )
    parser.add_argument(
        "--room-ping-interval",
        type=_positive_seconds,
        default=5,
        metavar="SECONDS",
        help="how often room viewers are asked to ping (default 5, as livekit-server)",
    )
    parser.add_argument(
        "--room-ping-timeout",
        type=_positive_seconds,
        default=15,
        metavar="SECONDS",
        help="close a room viewer's session after this long without a message (default 15, as livekit-server)",
    )
    parser.add_argument(
        "--exit-on-stdin-eof", action="store_true", help="stop when stdin closes (used when run by the window)"
    )
    parser.add_argument("--ready-json", action="store_true", help="announce readiness as one JSON line (for programs)")


def _positive_seconds(text: str) -> int:
    """Whole seconds above zero: the rtc SDK aborts its process on a ping interval of 0."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of seconds above 0")
    return value


def run_sandbox_command(args: argparse.Namespace) -> int:
    from ingress_studio.sandbox.runner import SandboxOptions, run_sandbox

    register_secret(args.api_secret if args.api_secret != SANDBOX_API_SECRET else None)
    options = SandboxOptions(
        host=args.host,
        port=args.port,
        rtmp_port=args.rtmp_port,
        whip_port=args.whip_port,
        api_key=args.api_key,
        api_secret=args.api_secret,
        data_dir=args.data_dir,
        list_page_size=args.list_page_size,
        no_media_timeout=args.no_media_timeout,
        ready_json=args.ready_json,
        exit_on_stdin_eof=args.exit_on_stdin_eof,
        room_ping_interval=args.room_ping_interval,
        room_ping_timeout=max(args.room_ping_timeout, args.room_ping_interval + 1),
    )
    return run_sandbox(options, args.data_dir or sandbox_data_dir())
