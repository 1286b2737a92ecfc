"""The window's command line: `--minimize-to-tray`, on `gui` and on the bare command that opens the window."""

from __future__ import annotations

from ingress_studio.cli import build_parser
from ingress_studio.commands.gui_cli import with_window_command


def test_minimize_to_tray_is_a_window_flag_with_or_without_the_gui_command() -> None:
    parser, commands = build_parser()
    bare = parser.parse_args(with_window_command(["clip.mp4", "--minimize-to-tray"], commands))
    assert (bare.command, bare.minimize_to_tray, [str(path) for path in bare.files]) == ("gui", True, ["clip.mp4"])
    assert parser.parse_args(["gui", "--minimize-to-tray"]).minimize_to_tray
    assert not parser.parse_args(["gui"]).minimize_to_tray
