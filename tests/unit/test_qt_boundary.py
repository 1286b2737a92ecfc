"""Only ui/ may load Qt, so the sandbox and the engine run where there is no display.

The import-linter contract checks our own import statements; this checks a real interpreter, which also
sees what the libraries we import load in turn (import-linter does not look inside them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "ingress_studio"
QT_PACKAGES = ("PySide6", "shiboken6", "qasync")


def non_ui_modules() -> list[str]:
    paths = [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "ui" and p.name != "__main__.py"]
    return sorted(
        "ingress_studio." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for p in paths
    )


def test_importing_everything_outside_ui_loads_no_qt() -> None:
    modules = non_ui_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"leaked = sorted(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r})\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
    assert len(modules) > 15  # the walk really found the package
