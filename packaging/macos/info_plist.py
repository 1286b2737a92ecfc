"""Info.plist keys of the macOS app bundle, for the spec's BUNDLE(info_plist=info_plist()).

One source for the version (pyproject.toml), the bundle id and the file types the app opens (the same
suffixes a drop on the window takes). `python packaging/macos/info_plist.py --write PATH` writes them as
an XML property list, to read or lint.

Screen capture: macOS has no Info.plist key for it. The Screen Recording permission is granted by the user
in System Settings → Privacy & Security → Screen & System Audio Recording, and the system's prompt has its
own fixed text; FFmpeg's avfoundation input (the engine's screen source) triggers it on first use.
NSAudioCaptureUsageDescription is for Core Audio process taps (system audio), which the app does not use.
Camera and microphone do have keys, and the hardened runtime needs entitlements.plist beside this file too.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import plistlib
import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "app"))  # the suffixes below come from the app itself, installed or not

from ingress_studio.controllers.dropped_items import (  # noqa: E402
    AUDIO_SUFFIXES,
    PICTURE_SUFFIXES,
    PLAYLIST_SUFFIXES,
    VIDEO_SUFFIXES,
)

BUNDLE_ID = "io.ingressstudio.IngressStudio"
APP_NAME = "Ingress Studio"
# Below every wheel's own floor (read from the installed wheels' tags when building on a Mac).
FALLBACK_MINIMUM_MACOS = "13.0"
MACOS_TAG = re.compile(r"macosx_(\d+)_(\d+)_")


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    with pyproject.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def minimum_macos(wheel_files: Iterable[str] | None = None) -> str:
    """The highest deployment target among the installed wheels' tags (their WHEEL files; av's arm64 wheel
    says macosx_14_0): the bundle cannot run on a macOS older than its most demanding library."""
    if wheel_files is None:
        wheel_files = (dist.read_text("WHEEL") or "" for dist in importlib.metadata.distributions())
    major, minor = FALLBACK_MINIMUM_MACOS.split(".")
    floors = [(int(major), int(minor))]
    for wheel in wheel_files:
        floors += [(int(major), int(minor)) for major, minor in MACOS_TAG.findall(wheel)]
    major, minor = max(floors)
    return f"{major}.{minor}"


def _document_types() -> list[dict[str, Any]]:
    # "Alternate": offered under Open With, never taking a file type over from the user's player.
    common = {"CFBundleTypeRole": "Viewer", "LSHandlerRank": "Alternate"}
    return [
        {
            **common,
            "CFBundleTypeName": "Video, audio or picture",
            "LSItemContentTypes": ["public.movie", "public.audio", "public.image", "public.m3u-playlist"],
        },
        {
            # Types macOS may not declare (Matroska, FLV, WebM, Y4M, Ogg…): by extension.
            **common,
            "CFBundleTypeName": "Media file",
            "CFBundleTypeExtensions": sorted(
                s.lstrip(".") for s in VIDEO_SUFFIXES | AUDIO_SUFFIXES | PICTURE_SUFFIXES | PLAYLIST_SUFFIXES
            ),
        },
    ]


def info_plist(version: str | None = None, minimum_system: str | None = None) -> dict[str, Any]:
    version = version or project_version()
    return {
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSMinimumSystemVersion": minimum_system or minimum_macos(),
        "LSApplicationCategoryType": "public.app-category.video",
        "NSHighResolutionCapable": True,
        "NSSupportsAutomaticGraphicsSwitching": True,
        "NSCameraUsageDescription": "Ingress Studio streams your camera to the LiveKit ingress you choose.",
        "NSMicrophoneUsageDescription": "Ingress Studio streams your microphone to the LiveKit ingress you choose.",
        "CFBundleDocumentTypes": _document_types(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Write the app bundle's Info.plist keys as a property list.")
    parser.add_argument("--write", type=Path, required=True, metavar="PATH")
    args = parser.parse_args()
    args.write.write_bytes(plistlib.dumps(info_plist()))
    print(f"Wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
