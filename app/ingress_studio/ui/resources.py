"""Finds the top-level resources/ folder in a checkout, an install, or a frozen bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon

APP_ICON = "ingress-studio.svg"


def resources_dir() -> Path | None:
    candidates = []
    if os.environ.get("INGRESS_STUDIO_RESOURCES"):
        candidates.append(Path(os.environ["INGRESS_STUDIO_RESOURCES"]))
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parents[3] / "resources")  # source checkout
    return next((path for path in candidates if path.is_dir()), None)


def app_icon() -> QIcon:
    folder = resources_dir()
    return QIcon(str(folder / APP_ICON)) if folder else QIcon()
