"""On a Debian or Ubuntu build machine, the package a system library came from and its copyright file:
PyInstaller collects such libraries (Qt's xcb and font libraries, the interpreter's libssl…) into a
Linux bundle, and Debian's /usr/share/doc/PACKAGE/copyright says whose they are and under which licence."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DOC = Path("/usr/share/doc")
LDCONFIG_LINE = re.compile(r"^\s*(\S+) \(([^)]*)\) => (\S+)$")
TIMEOUT_S = 30


@dataclass(frozen=True)
class DebianPackage:
    name: str
    version: str
    copyright: str  # the text of its copyright file


def available() -> bool:
    return shutil.which("dpkg-query") is not None and shutil.which("ldconfig") is not None


@cache
def _library_paths() -> dict[str, Path]:
    """soname → the file the dynamic linker would load (`ldconfig -p`); the machine's own architecture first."""
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=TIMEOUT_S).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    paths: dict[str, Path] = {}
    for line in listing.splitlines():
        match = LDCONFIG_LINE.match(line)
        if match and match.group(1) not in paths:
            paths[match.group(1)] = Path(match.group(3))
    return paths


def _query(*args: str) -> str:
    try:
        result = subprocess.run(["dpkg-query", *args], capture_output=True, text=True, timeout=TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _spellings(path: Path) -> list[Path]:
    """A library's path as dpkg may have recorded it: as found, resolved, with or without /usr (a merged
    /usr makes /lib/x and /usr/lib/x one file, and dpkg knows only the name the package shipped)."""
    found = []
    for candidate in (path, path.resolve()):
        text = str(candidate)
        other = text.removeprefix("/usr") if text.startswith("/usr/") else "/usr" + text
        found += [candidate, Path(other)]
    return list(dict.fromkeys(found))


def package_of(file_name: str) -> DebianPackage | None:
    """The installed package that holds the system library of this name; None when there is none."""
    path = _library_paths().get(file_name)
    if path is None:
        return None
    owner = next(filter(None, (_query("-S", str(candidate)) for candidate in _spellings(path))), "")
    if not owner:  # "libxkbcommon0:amd64: /usr/lib/x86_64-linux-gnu/libxkbcommon.so.0"
        return None
    package = owner.split(":", 1)[0].split(",")[0].strip()
    try:
        text = (DOC / package / "copyright").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return DebianPackage(package, _query("-W", "-f=${Version}", package), text)
