"""The third-party notices as one text: what the app ships, each part's licence and its full text, and what
that means for the licence of the bundle as a whole.

Made from what is installed: the app's requirement tree (importlib.metadata), the licence files in each
distribution's dist-info, the native libraries inside the wheels, and, for a frozen bundle, what
PyInstaller added beside them. The bundle's file is made by packaging/collect_notices.py at build time;
an unfrozen app makes it on the fly the same way.
"""

from __future__ import annotations

import html
import importlib.metadata as metadata
import platform
import re
import sys
import sysconfig
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from ingress_studio.third_party import debian_packages
from ingress_studio.third_party.ffmpeg_build import FfmpegBuild, is_libavutil, read_ffmpeg_build
from ingress_studio.third_party.licence_texts import licence_text, texts_for
from ingress_studio.third_party.native_components import FFMPEG, Copyleft, NativeComponent
from ingress_studio.third_party.native_libraries import (
    LibraryGroup,
    bundle_libraries,
    distribution_libraries,
    installed_path,
)
from ingress_studio.third_party.runtime_distributions import APP_DISTRIBUTION, runtime_tree

WIDTH = 100
RULE = "=" * WIDTH
LICENCE_FILE = re.compile(r"^(?:licen[cs]e|copying|notice|authors|copyright)", re.IGNORECASE)
NOT_A_NOTICE = (".py", ".pyc")  # av lists AUTHORS.py, the script that writes its AUTHORS.rst
# Short permissive texts go right under their copyright line; long ones once, at the end.
LONG_TEXTS = {"Apache-2.0", "GPL-2.0", "GPL-3.0", "LGPL-2.0", "LGPL-2.1", "LGPL-3.0", "GCC-exception-3.1"}


@dataclass
class Notices:
    text: str
    gpl_components: list[str] = field(default_factory=list)  # strong copyleft: the bundle is GPL
    unidentified: list[str] = field(default_factory=list)  # native libraries of unknown licence
    missing: list[str] = field(default_factory=list)  # distributions required but not installed


@dataclass
class _Found:
    """What gathering turns up, for the header and the licence texts section."""

    texts: list[str] = field(default_factory=list)
    strong: dict[str, NativeComponent] = field(default_factory=dict)
    weak: dict[str, NativeComponent] = field(default_factory=dict)
    apache: dict[str, NativeComponent] = field(default_factory=dict)  # Apache-2.0: GPLv3 yes, GPLv2 no
    unidentified: list[str] = field(default_factory=list)
    ffmpeg: FfmpegBuild | None = None

    def need(self, names: Iterable[str]) -> None:
        self.texts.extend(name for name in names if name not in self.texts)


def _heading(title: str) -> str:
    return f"{RULE}\n{title}\n{RULE}"


def _subheading(title: str) -> str:
    return f"--- {title} " + "-" * max(3, WIDTH - len(title) - 5)


def _wrapped(text: str, indent: str = "") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return html.unescape(text) if path.suffix.lower() == ".md" else text


def _licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(name, text) of the dist-info's licence files: those its License-File lines name, then the others
    there (older wheels put LICENSE beside METADATA without naming it)."""
    found: dict[str, str] = {}
    for name in dist.metadata.get_all("License-File") or []:
        if name.endswith(NOT_A_NOTICE):
            continue
        for candidate in (f"licenses/{name}", name):
            text = _safe_read_text(dist, candidate)
            if text is not None:
                found[name] = text
                break
    for path in dist.files or []:
        if not path.parts or not path.parts[0].endswith(".dist-info") or path.name.endswith(NOT_A_NOTICE):
            continue
        inside = PurePath(*path.parts[1:])
        name = str(PurePath(*inside.parts[1:])) if inside.parts[:1] == ("licenses",) else str(inside)
        if LICENCE_FILE.match(path.name) and name not in found:
            text = _safe_read_text(dist, str(inside))
            if text is not None:
                found[name] = text
    return list(found.items())


def _safe_read_text(dist: metadata.Distribution, name: str) -> str | None:
    try:
        return dist.read_text(name)
    except (OSError, UnicodeDecodeError):
        return None


def _field(dist: metadata.Distribution, name: str) -> str:
    """A metadata field's first value, "" when absent (indexing a missing one is deprecated)."""
    values = dist.metadata.get_all(name) or []
    return str(values[0]) if values else ""


def _licence_line(dist: metadata.Distribution) -> str:
    expression = _field(dist, "License-Expression")
    if not expression:
        field_text = _field(dist, "License").strip()
        expression = field_text if field_text and "\n" not in field_text and len(field_text) < 100 else ""
    return expression


def _classifiers(dist: metadata.Distribution) -> list[str]:
    return [str(c) for c in dist.metadata.get_all("Classifier") or [] if str(c).startswith("License ::")]


def _home(dist: metadata.Distribution) -> str:
    for entry in dist.metadata.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in {"homepage", "home", "source", "source code", "repository", "github"}:
            return url.strip()
    return _field(dist, "Home-page")


def _distribution_section(dist: metadata.Distribution, found: _Found) -> str:
    name, version = dist.metadata["Name"], dist.version
    lines = [_heading(f"{name} {version}")]
    expression = _licence_line(dist)
    lines.append(f"Licence: {expression or 'not stated in its metadata'}")
    lines.extend(f"Classifier: {c}" for c in _classifiers(dist))
    if home := _home(dist):
        lines.append(f"Home: {home}")
    files = _licence_files(dist)
    if not files:
        named = texts_for(expression) or [t for c in _classifiers(dist) for t in texts_for(c.rsplit("::", 1)[-1])]
        found.need(named)
        where = ", ".join(named) + " in the licence texts at the end" if named else "none known to this list"
        lines.append(f"Its distribution carries no licence file; the licence's text: {where}.")
    for file_name, text in files:
        lines.extend(["", _subheading(file_name), text.rstrip()])
    return "\n".join(lines)


def _file_list(names: list[str]) -> str:
    return _wrapped(f"Files ({len(names)}): {', '.join(names)}")


def _ffmpeg_lines(build: FfmpegBuild | None) -> list[str]:
    if build is None:
        return ["How it was configured could not be read from libavutil."]
    return [
        f"As built: FFmpeg calls itself “{build.licence}”"
        + (" (configured with --enable-gpl)." if build.gpl_flag else " (configured without --enable-gpl)."),
        _wrapped(f"Configuration: {build.configuration}"),
    ]


def _component_section(group: LibraryGroup, where: str, found: _Found, folder_notices: list[tuple[str, str]]) -> str:
    component = group.component
    if component is None:
        lines = [
            _heading(f"Not identified — {where}"),
            _file_list(group.names),
            "Their licences are not in this list: check them before distributing.",
        ]
        found.unidentified.extend(group.names)
        return "\n".join(lines)
    lines = [_heading(f"{component.name} — {where}"), _file_list(group.names)]
    lines.append(f"Licence: {component.licence} — {component.copyleft.value}")
    lines.append(component.copyright)
    if component is FFMPEG:
        lines.extend(_ffmpeg_lines(found.ffmpeg))
    lines.append(f"Source: {component.source}")
    if component.note:
        lines.append(_wrapped(component.note))
    if component.copyleft is Copyleft.STRONG:
        found.strong.setdefault(component.name, component)
    elif component.copyleft is Copyleft.WEAK:
        found.weak.setdefault(component.name, component)
    if "Apache-2.0" in component.licence.split():
        found.apache.setdefault(component.name, component)
    long = [name for name in component.texts if name in LONG_TEXTS]
    found.need(long)
    if long:
        lines.append(f"Licence text: {', '.join(long)}, at the end.")
    for name in component.texts:
        if name not in LONG_TEXTS:  # under the copyright line above: the notice these licences ask for
            lines.extend(["", licence_text(name).rstrip()])
    for file_name, text in folder_notices:
        lines.extend(["", _subheading(file_name), text.rstrip()])
    return "\n".join(lines)


def _notices_beside(dist: metadata.Distribution, group: LibraryGroup) -> list[tuple[str, str]]:
    """Licence files that sit beside a library in its wheel (livekit/rtc/resources/LICENSE.md)."""
    folders = {path.parent for path in group.files}
    notices = []
    for path in dist.files or []:
        if path.parent in folders and LICENCE_FILE.match(path.name) and not path.name.endswith(NOT_A_NOTICE):
            text = _read(installed_path(dist, path))
            if text is not None:
                notices.append((str(path), text))
    return notices


def _debian_sections(group: LibraryGroup) -> list[str]:
    """System libraries PyInstaller took from a Debian or Ubuntu build machine, under their packages'
    copyright files; the ones no package holds stay in `group` (not identified)."""
    packages: dict[str, tuple[debian_packages.DebianPackage, list[str]]] = {}
    unknown = []
    for path in group.files:
        package = debian_packages.package_of(path.name)
        if package is None:
            unknown.append(path)
        else:
            packages.setdefault(package.name, (package, []))[1].append(path.name)
    group.files = unknown
    sections = []
    for package, names in packages.values():
        lines = [
            _heading(f"{package.name} {package.version} (Debian package) — added to the bundle by PyInstaller"),
            _file_list(sorted(names)),
            f"Its copyright file, /usr/share/doc/{package.name}/copyright:",
            "",
            package.copyright.rstrip(),
        ]
        sections.append("\n".join(lines))
    return sections


def _python_section(found: _Found) -> str:
    version = platform.python_version()
    lines = [_heading(f"Python {version} (the interpreter and its standard library)"), "Licence: PSF-2.0"]
    candidates = [Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"]
    text = next((t for t in map(_read, candidates) if t is not None), None)
    if text is None:
        lines.append("Its LICENSE.txt is not on this machine: https://docs.python.org/3/license.html")
    else:
        lines.extend(["", text.rstrip()])
    return "\n".join(lines)


def _app_section(dist: metadata.Distribution, found: _Found) -> str:
    expression = _licence_line(dist) or "Apache-2.0"
    found.need(texts_for(expression))
    return "\n".join(
        [
            _heading(f"Ingress Studio {dist.version} (this application)"),
            f"Licence: {expression} (text at the end)",
            "Copyright the Ingress Studio authors.",
        ]
    )


def _short(component: NativeComponent) -> str:
    return component.name.split(" (")[0]


def _meaning(found: _Found) -> str:
    """What the parts' licences mean for the bundle as a whole."""
    if not found.strong:
        return _wrapped(
            "No GPL-only library was found in what is shipped: each part is distributed under its own licence, "
            "listed below. The LGPL libraries (Qt, FFmpeg…) are separate shared libraries in the bundle, which "
            "you may replace with your own builds of the same versions."
        )
    gpl = " and ".join(sorted(f"{_short(c)} ({c.licence})" for c in found.strong.values()))
    apache = ", ".join(["Ingress Studio itself", *sorted(_short(c) for c in found.apache.values())])
    lgpl = ", ".join(sorted(_short(c) for c in found.weak.values()))
    ffmpeg = found.ffmpeg
    configured = (
        f" FFmpeg here calls itself “{ffmpeg.licence}” because its build for PyAV was configured without "
        "--enable-gpl and stops FFmpeg's configure from classing x264 and x265 as GPL; that changes the label, "
        "not the licences of the libraries linked."
        if ffmpeg is not None and not ffmpeg.gpl_flag
        else ""
    )
    paragraphs = [
        f"Ingress Studio's own code is under the Apache License 2.0. The bundle also carries {gpl}, which "
        f"PyAV's FFmpeg (libavcodec) links.{configured} The engine, a child process of the same program, "
        "loads libavcodec and with it these libraries, so the bundle as distributed is a combined work that "
        "may be distributed only under the terms of the GNU GPL.",
        f"Which version: the bundle also holds code under the Apache License 2.0 ({apache}), which the Free "
        "Software Foundation holds compatible with GPL version 3 and not with version 2. The GPL libraries are "
        f"“version 2 or later”, so version 3 may be chosen for them; the LGPL libraries ({lgpl}) and the "
        "permissive ones may be combined into a GPLv3 work. FFmpeg's own rule agrees: "
        "configured with both --enable-gpl and --enable-version3, it is “GPL version 3 or later”. So the "
        "bundle as a whole is distributed under the GNU General Public License, version 3 (its text is at "
        "the end).",
        "What that changes, and what not: every part keeps its own licence, and Ingress Studio's source "
        "stays Apache-2.0, reusable under it on its own. Whoever distributes the bundle must also offer the "
        "complete corresponding source of the whole (GPLv3 section 6): Ingress Studio's source and that of "
        "the libraries at the versions bundled (each section below says where it is). Qt and the other LGPL "
        "libraries are separate shared libraries that a user may replace. A bundle that must not be GPL "
        "would need an FFmpeg built without x264 and x265, which PyAV's wheels on PyPI are not. Patent "
        "licences for the codecs (H.264, HEVC, AAC) are a separate matter that no copyright licence settles.",
        "This is a reading of the licences, not legal advice.",
    ]
    found.need(["GPL-3.0"])
    return "\n\n".join(_wrapped(paragraph) for paragraph in paragraphs)


def gather_notices(bundle: Path | None = None) -> Notices:
    """The notices of the installed app's run-time tree; with `bundle` (a frozen one-folder build), also
    the libraries PyInstaller put beside the wheels'. Raises metadata.PackageNotFoundError when the app
    itself is not installed."""
    tree = runtime_tree(APP_DISTRIBUTION)
    found = _Found()
    dist_sections = [_distribution_section(dist, found) for dist in tree.dependencies]
    native_sections, listed = [], set()
    for dist in tree.dependencies:
        groups = distribution_libraries(dist)
        libavutil = next((p for g in groups if g.component is FFMPEG for p in g.files if is_libavutil(p)), None)
        if libavutil is not None:
            found.ffmpeg = read_ffmpeg_build(installed_path(dist, libavutil))
        where = f"in {dist.metadata['Name']} {dist.version}"
        for group in groups:
            native_sections.append(_component_section(group, where, found, _notices_beside(dist, group)))
            listed.update(group.names)
    bundle_sections = []
    if bundle is not None:
        for group in bundle_libraries(bundle, listed):
            if group.component is None and debian_packages.available():
                bundle_sections.extend(_debian_sections(group))
            if group.files:
                bundle_sections.append(_component_section(group, "added to the bundle by PyInstaller", found, []))
    app_section = _app_section(tree.root, found)
    python_section = _python_section(found)
    parts = [
        _heading(f"Ingress Studio {tree.root.version}: third-party notices"),
        _wrapped(
            f"Made for {platform.system()} {platform.machine()} from the installed distributions: the app's "
            "run-time requirements, the licence files in their metadata, and the native libraries inside "
            "their wheels" + (", and those the frozen bundle adds." if bundle is not None else ".")
        ),
        "",
        "What this means for the licence of the bundle",
        "",
        _meaning(found),
    ]
    if tree.missing:
        parts.extend(["", _wrapped(f"Required but not installed here (not listed): {', '.join(tree.missing)}.")])
    parts.extend(["", app_section, "", python_section])
    parts.extend(["", _heading(f"Python distributions ({len(tree.dependencies)})")])
    parts.extend(["", "\n\n".join(dist_sections)])
    parts.extend(["", _heading("Native libraries inside the wheels"), "", "\n\n".join(native_sections)])
    if bundle_sections:
        parts.extend(["", "\n\n".join(bundle_sections)])
    parts.extend(["", _heading("Licence texts")])
    for name in found.texts:
        parts.extend(["", _subheading(name), licence_text(name).rstrip()])
    return Notices(
        "\n".join(parts) + "\n",
        gpl_components=sorted(found.strong),
        unidentified=sorted(set(found.unidentified)),
        missing=tree.missing,
    )
