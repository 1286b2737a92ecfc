"""Before Qt loads: is there a screen to open the window on, and can Qt's X11 plugin load?

Qt itself aborts the whole process with a paragraph about platform plugins ("xcb-cursor0 … is needed");
this says in one sentence what is wrong and what to do instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Qt platforms that draw without any display server.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"})
# Debian names a shared library's package after its soname; these few break the rule.
DEBIAN_PACKAGE_EXCEPTIONS = {"libglib-2.0.so.0": "libglib2.0-0"}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)

NO_DISPLAY = (
    "There is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set): "
    "run it in a desktop session, set DISPLAY, or use a virtual screen with `xvfb-run -a ingress-studio` "
    "(`bash packaging/dev.sh run` does that for you)."
)


def qt_platform(env: Mapping[str, str]) -> str:
    """The first platform QT_QPA_PLATFORM names ("wayland;xcb", "offscreen:fontengine=…"), or ""."""
    return env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip().lower()


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why the window cannot open here (one sentence), or None. Only Linux and the BSDs have this failure."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin")):
        return None
    wanted = qt_platform(env)
    if wanted in HEADLESS_PLATFORMS:
        return None
    has_x11, has_wayland = bool(env.get("DISPLAY")), bool(env.get("WAYLAND_DISPLAY")) or _default_wayland(env, wanted)
    if wanted == "xcb" and not has_x11 and has_wayland:
        return "QT_QPA_PLATFORM is xcb but DISPLAY is not set: set DISPLAY, or unset QT_QPA_PLATFORM to use Wayland."
    if wanted.startswith("wayland") and not has_wayland and has_x11:
        return "QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set: unset QT_QPA_PLATFORM to use X11."
    if not has_x11 and not has_wayland:
        return NO_DISPLAY
    if has_x11 and wanted in ("", "xcb") and not has_wayland:
        return missing_xcb_libraries_problem()
    return None


def _default_wayland(env: Mapping[str, str], wanted: str) -> bool:
    """Qt's Wayland plugin falls back to $XDG_RUNTIME_DIR/wayland-0 when WAYLAND_DISPLAY is unset."""
    runtime = env.get("XDG_RUNTIME_DIR", "")
    wayland_session = wanted.startswith("wayland") or env.get("XDG_SESSION_TYPE", "").lower() == "wayland"
    return bool(runtime) and wayland_session and (Path(runtime) / "wayland-0").exists()


def debian_package_for(soname: str) -> str:
    """libxcb-cursor.so.0 → libxcb-cursor0, libxkbcommon-x11.so.0 → libxkbcommon-x11-0 (Debian policy 8.1)."""
    if soname in DEBIAN_PACKAGE_EXCEPTIONS:
        return DEBIAN_PACKAGE_EXCEPTIONS[soname]
    name, _, version = soname.partition(".so.")
    name = name.lower()
    return f"{name}-{version}" if name[-1:].isdigit() else f"{name}{version}"


def missing_libraries(ldd_output: str) -> list[str]:
    return _NOT_FOUND.findall(ldd_output)


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")  # finds the package without loading Qt
    for folder in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def missing_xcb_libraries_problem() -> str | None:
    """Which shared library the X11 plugin lacks, and its Debian package; None if all are there or unknown."""
    plugin, ldd = _xcb_plugin(), shutil.which("ldd")
    if plugin is None or ldd is None:
        return None
    try:
        output = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    missing = sorted(set(missing_libraries(output)))
    if not missing:
        return None
    packages = " ".join(debian_package_for(name) for name in missing)
    return (
        f"Qt's X11 plugin cannot load: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing. "
        f"On Debian or Ubuntu: sudo apt-get install {packages} "
        "(or run `bash packaging/dev.sh run`, which installs them)."
    )
