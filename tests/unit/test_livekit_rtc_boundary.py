"""The window's code never imports the LiveKit rtc SDK: its FFI library can abort a process, so room viewing
is a child program. import-linter names an external package by its top-level name only, so a contract
cannot tell `livekit.rtc` from `livekit.api` and `livekit.protocol`, which the window uses; this reads every
import statement of the window's packages, lazy ones too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "ingress_studio"
WINDOW_PACKAGES = ("ui", "controllers", "children")


def imports_livekit_rtc(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(alias.name.startswith("livekit.rtc") for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("livekit.rtc"):
                return True
            if node.module == "livekit" and any(alias.name == "rtc" for alias in node.names):
                return True
    return False


def test_no_window_module_imports_livekit_rtc() -> None:
    paths = [path for package in WINDOW_PACKAGES for path in (PACKAGE / package).rglob("*.py")]
    assert len(paths) > 10  # the walk really found the window's code
    assert [str(p.relative_to(PACKAGE)) for p in paths if imports_livekit_rtc(p.read_text(encoding="utf-8"))] == []


def test_every_spelling_of_the_import_is_caught() -> None:
    for source in (
        "import livekit.rtc",
        "from livekit import api, rtc",
        "from livekit.rtc import Room",
        "def later():\n    from livekit import (\n        rtc,\n    )\n",
    ):
        assert imports_livekit_rtc(source), source
    assert not imports_livekit_rtc("from livekit import api\nfrom livekit.protocol import ingress")
