"""The native libraries in installed distributions (or in a frozen bundle), told apart from Python extension
modules and put under the component each belongs to."""

from __future__ import annotations

import importlib.machinery
import importlib.metadata as metadata
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from ingress_studio.third_party.native_components import COMPONENTS, SYSTEM_COMPONENTS, NativeComponent
from ingress_studio.third_party.runtime_distributions import normalized

SHARED_LIBRARY = re.compile(r"\.(?:so(?:\.\d+)*|dylib|dll)$", re.IGNORECASE)
# Any platform's extension modules, not only this one's: a bundle may be scanned on another machine.
EXTENSION_MODULE = re.compile(r"\.(?:cpython-[^.]+|abi3|pypy[^.]*)\.so$|\.pyd$", re.IGNORECASE)
TAGGED_EXTENSION_SUFFIXES = tuple(s for s in importlib.machinery.EXTENSION_SUFFIXES if s not in {".so", ".pyd"})
PYTHON_RUNTIME = re.compile(r"(?:lib)?python3(?:\.?\d+)?(?=[-._]|$)|^Python$", re.IGNORECASE)


def is_native_library(path: PurePath) -> bool:
    """A shared library, not a Python extension module (those are their distribution's own code)."""
    name = path.name
    if EXTENSION_MODULE.search(name) or name.endswith(TAGGED_EXTENSION_SUFFIXES):
        return False
    if name.endswith(".so"):  # untagged: a module may be named so too, a library's name starts with lib
        return name.startswith("lib")
    if SHARED_LIBRARY.search(name):
        return True
    return f"{name}.framework" in path.parts  # a macOS framework's binary: QtCore.framework/Versions/A/QtCore


def identify(file_name: str, distribution: str = "") -> NativeComponent | None:
    """The component a library file belongs to; `distribution` (normalized) is the one it came in, if any."""
    for component in COMPONENTS:
        if component.in_distribution and not re.fullmatch(component.in_distribution, distribution):
            continue
        if component.matches(file_name):
            return component
    for component in SYSTEM_COMPONENTS:
        if component.matches(file_name):
            return component
    return None


@dataclass
class LibraryGroup:
    """The libraries of one component that one distribution (or the bundle) carries."""

    component: NativeComponent | None  # None: not identified
    files: list[PurePath] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return sorted({path.name for path in self.files}, key=str.lower)


def group_libraries(files: Iterable[tuple[PurePath, str]]) -> list[LibraryGroup]:
    """The native libraries among (path, normalized distribution name) pairs, one group per component, in
    the table's order; the unidentified last. The interpreter is left out: it has a section of its own."""
    groups: dict[NativeComponent | None, LibraryGroup] = {}
    for path, distribution in files:
        if is_native_library(path) and not PYTHON_RUNTIME.match(path.name):
            component = identify(path.name, distribution)
            groups.setdefault(component, LibraryGroup(component)).files.append(path)
    order = {component: index for index, component in enumerate((*COMPONENTS, *SYSTEM_COMPONENTS))}
    return sorted(groups.values(), key=lambda group: order[group.component] if group.component else len(order))


def distribution_libraries(dist: metadata.Distribution) -> list[LibraryGroup]:
    name = normalized(dist.metadata["Name"])
    return group_libraries((path, name) for path in dist.files or [])


def installed_path(dist: metadata.Distribution, path: PurePath) -> Path:
    return Path(str(dist.locate_file(str(path))))


def bundle_libraries(folder: Path, already_listed: set[str]) -> list[LibraryGroup]:
    """What a frozen bundle holds beyond the wheels' libraries (`already_listed`, by file name): what
    PyInstaller collected from the build machine."""
    paths = [path.relative_to(folder) for path in folder.rglob("*") if path.is_file()]
    return group_libraries((path, _wheel_of(path)) for path in paths if path.name not in already_listed)


def _wheel_of(path: PurePath) -> str:
    # The bundle keeps a wheel's folders (PySide6/Qt/lib/…): Qt's files are still told by where they are.
    return "pyside6-essentials" if {"PySide6", "shiboken6"} & set(path.parts) else ""
