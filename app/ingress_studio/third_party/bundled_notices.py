"""The notices text the window shows: the file the build put into a frozen bundle, or, unfrozen, made now
from the installed metadata (a frozen bundle keeps too little metadata to make it from)."""

from __future__ import annotations

import importlib.metadata as metadata
import sys
from pathlib import Path

from ingress_studio.user_error import UserError

NOTICES_FILE = "THIRD-PARTY-NOTICES.txt"  # packaging/collect_notices.py --out writes it; build.sh bundles it


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundled_notices_candidates() -> list[Path]:
    """Where a frozen bundle keeps the file: its data folder (PyInstaller's _MEIPASS: `_internal/`, or a
    macOS app's Contents/Frameworks), beside the executable, or a macOS app's Contents/Resources."""
    executable = Path(sys.executable).resolve().parent
    folders = [Path(meipass)] if (meipass := getattr(sys, "_MEIPASS", None)) else []
    folders += [executable, executable.parent / "Resources"]
    return [folder / NOTICES_FILE for folder in folders]


def load_notices() -> str:
    """The notices text; raises UserError (one sentence) when there is none to show. Slow when unfrozen
    (a second or so): call it off the GUI thread."""
    if is_frozen():
        for path in bundled_notices_candidates():
            try:
                return path.read_text(encoding="utf-8")
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise UserError(f"The licence notices in {path} cannot be read: {exc.strerror}.") from exc
        raise UserError(f"This build has no {NOTICES_FILE}: the build did not add it to the bundle.")
    from ingress_studio.third_party.notices_document import gather_notices  # packaging and metadata: on demand

    try:
        return gather_notices().text
    except metadata.PackageNotFoundError as exc:
        raise UserError(
            "Ingress Studio is not installed in this Python, so there is no metadata to read the notices from "
            "(install it, e.g. pip install -e ., or run it with packaging/dev.sh run)."
        ) from exc
