"""What the PyInstaller spec leaves out of the bundle, as rules the spec applies to its Analysis' lists.

- Qt's translations (the app is English) and the Qt plugins a desktop window never loads: the embedded
  platforms (eglfs, linuxfb, vnc…) and their device integrations, evdev input, network-information
  backends, and the GTK 3 platform theme — which would bring the build machine's whole GTK stack (GTK,
  GDK, Pango, Cairo, ATK…) into the bundle, to be loaded beside the user's own GTK themes and modules.
  A library that only a dropped plugin needs goes too.
- On Linux, the libraries of the user's graphical session (X11, xcb, xkbcommon, fontconfig, freetype,
  D-Bus, GLib) and glibc's libmvec: they must match the running X server, fonts, desktop and libc, so the
  system's are used, and the .deb depends on them (linux/deb_depends.py). Copies a wheel vendors under its
  own hashed names (PyAV's libxcb-5ddf6756.so…) stay: only the wheel uses those.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePath

# PyInstaller's TOC entry: (name in the bundle, source path, type code)
Entry = tuple[str, str, str]

QT_PLUGIN_FOLDERS_DROPPED = {"egldeviceintegrations", "generic", "networkinformation", "designer", "qmltooling",
                             "qmllint", "sqldrivers", "printsupport", "vectorimageformats"}  # fmt: skip
QT_PLUGINS_DROPPED = {"libqgtk3", "libqeglfs", "libqlinuxfb", "libqminimalegl", "libqvkkhrdisplay", "libqvnc"}
SESSION_LIBRARIES = re.compile(
    r"lib(X11|X11-xcb|Xau|Xdmcp|Xext|Xfixes|Xi|Xinerama|Xrandr|Xrender|Xcursor|Xcomposite|Xdamage|xcb(-[a-z0-9-]+)?"
    r"|xkbcommon(-x11)?|fontconfig|freetype|dbus-1|glib-2\.0|gio-2\.0|gobject-2\.0|gmodule-2\.0|gthread-2\.0"
    r"|mvec)"  # glibc's vector maths: it must be the running libc's own
    r"\.so(\.\d+)*"
)


def _qt_parts(name: str) -> tuple[str, ...] | None:
    """The path below PySide6's Qt folder (Qt/… in the bundle), or None for anything else."""
    parts = PurePath(name).parts
    return parts[parts.index("Qt") + 1 :] if "Qt" in parts and "PySide6" in parts else None


def is_qt_translation(name: str) -> bool:
    parts = _qt_parts(name)
    return parts is not None and parts[:1] == ("translations",)


def is_dropped_qt_plugin(name: str) -> bool:
    parts = _qt_parts(name)
    if parts is None or len(parts) < 3 or parts[0] != "plugins":
        return False
    return parts[1] in QT_PLUGIN_FOLDERS_DROPPED or PurePath(parts[-1]).stem in QT_PLUGINS_DROPPED


def is_session_library(name: str, source: str) -> bool:
    """A system copy of a graphical-session library (not one a wheel vendors, which lives under a .libs folder
    or site-packages with a hashed name that the pattern does not match)."""
    return SESSION_LIBRARIES.fullmatch(PurePath(name).name) is not None and "site-packages" not in source


def prune_binaries(
    binaries: Iterable[Entry], imports_of: Callable[[str], Iterable[str]], linux: bool
) -> tuple[list[Entry], list[Entry]]:
    """(kept, dropped). `imports_of(source)` names every library a binary needs, directly or not (PyInstaller's
    bindepend.get_imports, which reads ldd's closure on Linux)."""
    entries = list(binaries)
    plugins_dropped = [entry for entry in entries if is_dropped_qt_plugin(entry[0])]
    others = [entry for entry in entries if not is_dropped_qt_plugin(entry[0])]
    # Libraries a dropped plugin needs, less those something else needs (and what those need in turn).
    candidates = {PurePath(lib).name for entry in plugins_dropped for lib in imports_of(entry[1])}
    needed_elsewhere: set[str] = set()
    reached = [entry for entry in others if PurePath(entry[0]).name not in candidates]
    while reached:
        needed = {PurePath(lib).name for entry in reached for lib in imports_of(entry[1])} - needed_elsewhere
        needed_elsewhere |= needed
        reached = [entry for entry in others if PurePath(entry[0]).name in needed & candidates]
    only_for_dropped = candidates - needed_elsewhere
    kept: list[Entry] = []
    dropped = plugins_dropped
    for entry in others:
        name = PurePath(entry[0]).name
        if name in only_for_dropped or (linux and is_session_library(entry[0], entry[1])):
            dropped.append(entry)
        else:
            kept.append(entry)
    return kept, dropped
