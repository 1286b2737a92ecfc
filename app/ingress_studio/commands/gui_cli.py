"""The window's command line: `ingress-studio [FILE…] [--project NAME] [--ingress ID] [--start-streaming]
[--minimize-to-tray]`
(also as `ingress-studio gui …`), what a file manager's "Open with" and a desktop file's `Exec=… %F` run."""

from __future__ import annotations

import argparse
from collections.abc import Collection, Sequence
from pathlib import Path

from ingress_studio.controllers.launch_request import LaunchRequest

WINDOW_COMMAND = "gui"
TOP_LEVEL_FLAGS = ("-v", "--verbose")  # the only top-level options that can come before a command


def add_gui_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gui = subparsers.add_parser(
        WINDOW_COMMAND,
        help="open the window (the default: `ingress-studio [FILE…] [options]` opens it too)",
        description="Open the window. Files become the Go-live source (several: a playlist).",
    )
    gui.add_argument("files", nargs="*", type=Path, metavar="FILE", help="media files to stream")
    gui.add_argument("--project", metavar="NAME", help="the project to open, by the name the picker shows")
    gui.add_argument("--ingress", metavar="ID", help="the ingress to select (and go live to)")
    gui.add_argument(
        "--start-streaming",
        action="store_true",
        help="go live at once to --ingress with the files (or the last source)",
    )
    gui.add_argument("--no-sandbox", action="store_true", help="do not start the embedded sandbox")
    gui.add_argument(
        "--minimize-to-tray",
        action="store_true",
        help="start hidden in the system tray, and keep running there when the window is closed",
    )


def with_window_command(argv: Sequence[str], commands: Collection[str]) -> list[str]:
    """`ingress-studio clip.mp4 --project X` means the window: put its command name in, after -v."""
    words = list(argv)
    position = 0
    while position < len(words) and words[position] in TOP_LEVEL_FLAGS:
        position += 1
    if position == len(words):
        return [*words, WINDOW_COMMAND]
    first = words[position]
    if first in commands or first in ("-h", "--help", "--version"):
        return words
    return [*words[:position], WINDOW_COMMAND, *words[position:]]


def launch_request(args: argparse.Namespace) -> LaunchRequest:
    return LaunchRequest(
        files=tuple(path.expanduser().absolute() for path in args.files),
        project=args.project,
        ingress=args.ingress,
        start_streaming=args.start_streaming,
    )
