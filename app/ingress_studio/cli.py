"""Entry point: `ingress-studio [gui]`, `ingress-studio ingress …`, `ingress-studio sandbox …`."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ingress_studio import __version__
from ingress_studio.commands.devices_cli import add_devices_parser, run_devices_command
from ingress_studio.commands.engine_cli import add_engine_parser, run_engine_command
from ingress_studio.commands.gui_cli import add_gui_parser, launch_request, with_window_command
from ingress_studio.commands.ingress_cli import add_ingress_parser, run_ingress_command
from ingress_studio.commands.probe_cli import add_probe_parser, run_probe_command
from ingress_studio.commands.push_cli import add_push_parser, run_push_command
from ingress_studio.commands.sandbox_cli import add_sandbox_parser, run_sandbox_command
from ingress_studio.commands.self_test_cli import add_self_test_parser, run_self_test_command
from ingress_studio.commands.terminal_text import message_line
from ingress_studio.commands.watch_cli import add_watch_parsers, run_watch_command, run_watcher_command
from ingress_studio.logging_setup import configure_logging
from ingress_studio.user_error import UserError

log = logging.getLogger(__name__)

# The shell's convention for "ended by Ctrl-C" (128 + SIGINT).
EXIT_INTERRUPTED = 130


class OneLineErrorParser(argparse.ArgumentParser):
    """A bad flag is one line naming the problem, not the whole usage block (subcommands inherit this)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The parser, and the names of its commands."""
    # subcommands' parsers are of the same class (argparse uses type(parser)): their errors are one line too
    parser: argparse.ArgumentParser = OneLineErrorParser(
        prog="ingress-studio",
        description="Manage LiveKit ingresses, push media to them, and run an offline sandbox server.",
    )
    parser.add_argument("--version", action="version", version=f"ingress-studio {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_gui_parser(subparsers)
    add_ingress_parser(subparsers)
    add_sandbox_parser(subparsers)
    add_push_parser(subparsers)
    add_devices_parser(subparsers)
    add_engine_parser(subparsers)
    add_probe_parser(subparsers)
    add_watch_parsers(subparsers)
    add_self_test_parser(subparsers)
    return parser, set(subparsers.choices)


def quiet_known_warnings() -> None:
    # LiveKit's dev secret ("secret") is short by design; PyJWT warns about it on every token.
    # (Matched by message: importing jwt here would slow every command's start.)
    warnings.filterwarnings("ignore", message=r"The HMAC key is \d+ bytes long")


def _program_name(args: argparse.Namespace) -> str:
    words = ["ingress-studio", args.command or "", getattr(args, "action", None) or ""]
    return " ".join(word for word in words if word)


def _report_unexpected(program: str, exc: BaseException, log_path: Path) -> None:
    print(
        message_line(f"{program}: unexpected error ({type(exc).__name__}: {exc}). The details are in {log_path}"),
        file=sys.stderr,
    )


def _install_thread_hook(program: str, log_path: Path) -> None:
    """An exception escaping a worker thread goes to the log, and one line to the terminal."""

    def hook(hook_args: threading.ExceptHookArgs) -> None:
        exc = hook_args.exc_value
        if exc is None or isinstance(exc, SystemExit):
            return
        thread = hook_args.thread.name if hook_args.thread is not None else "a worker thread"
        # INFO: the log file takes it, the console (warnings and up) does not; the one line below is for the screen
        log.info("uncaught exception in %s", thread, exc_info=(hook_args.exc_type, exc, hook_args.exc_traceback))
        _report_unexpected(program, exc, log_path)

    threading.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    quiet_known_warnings()
    if getattr(sys, "frozen", False):
        from ingress_studio.ca_certificates import ensure_certificates_found  # ssl: only a bundle needs it now

        ensure_certificates_found()  # before anything connects, here and in every child
    parser, commands = build_parser()
    args = parser.parse_args(with_window_command(sys.argv[1:] if argv is None else argv, commands))
    command = args.command
    log_path = configure_logging(command, verbose=args.verbose)
    program = _program_name(args)
    _install_thread_hook(program, log_path)
    try:
        return _run_command(command, args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except UserError as exc:
        print(message_line(f"{program}: {exc.message}"), file=sys.stderr)
        return 1
    except Exception as exc:
        log.info("%s failed", program, exc_info=True)  # to the log file only (see _install_thread_hook)
        _report_unexpected(program, exc, log_path)
        return 1


def _run_command(command: str, args: argparse.Namespace) -> int:
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
    if command == "probe":
        return run_probe_command(args)
    if command == "watch":
        return run_watch_command(args)
    if command == "watcher":
        return run_watcher_command(args)
    if command == "self-test":
        return run_self_test_command(args)
    from ingress_studio.display_check import display_problem

    problem = display_problem()
    if problem is not None:
        print(f"ingress-studio: {problem}", file=sys.stderr)
        return 1
    from ingress_studio.ui.app import run_gui  # Qt is imported only when the window is wanted

    return run_gui(no_sandbox=args.no_sandbox, launch=launch_request(args), minimize_to_tray=args.minimize_to_tray)


def main_gui() -> int:
    """Windows gui-script entry: no console; same program."""
    return main(sys.argv[1:])
