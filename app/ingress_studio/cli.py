"""Entry point: `ingress-studio [gui]`, `ingress-studio ingress …`, `ingress-studio sandbox …`."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from ingress_studio import __version__
from ingress_studio.commands.devices_cli import add_devices_parser, run_devices_command
from ingress_studio.commands.engine_cli import add_engine_parser, run_engine_command
from ingress_studio.commands.ingress_cli import add_ingress_parser, run_ingress_command
from ingress_studio.commands.push_cli import add_push_parser, run_push_command
from ingress_studio.commands.sandbox_cli import add_sandbox_parser, run_sandbox_command
from ingress_studio.logging_setup import configure_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ingress-studio",
        description="Manage LiveKit ingresses, push media to them, and run an offline sandbox server.",
    )
    parser.add_argument("--version", action="version", version=f"ingress-studio {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = subparsers.add_parser("gui", help="open the window (the default)")
    gui.add_argument("--no-sandbox", action="store_true", help="do not start the embedded sandbox")
    add_ingress_parser(subparsers)
    add_sandbox_parser(subparsers)
    add_push_parser(subparsers)
    add_devices_parser(subparsers)
    add_engine_parser(subparsers)
    return parser


def quiet_known_warnings() -> None:
    # LiveKit's dev secret ("secret") is short by design; PyJWT warns about it on every token.
    # (Matched by message: importing jwt here would slow every command's start.)
    warnings.filterwarnings("ignore", message=r"The HMAC key is \d+ bytes long")


def main(argv: Sequence[str] | None = None) -> int:
    quiet_known_warnings()
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    configure_logging(command, verbose=args.verbose)
    if command == "ingress":
        return run_ingress_command(args)
    if command == "sandbox":
        return run_sandbox_command(args)
    if command == "push":
        return run_push_command(args)
    if command == "devices":
        return run_devices_command(args)
    if command == "engine":
        return run_engine_command(args)
    from ingress_studio.ui.app import run_gui  # Qt is imported only when the window is wanted

    return run_gui(no_sandbox=getattr(args, "no_sandbox", False))


def main_gui() -> int:
    """Windows gui-script entry: no console; same program."""
    return main(sys.argv[1:])
