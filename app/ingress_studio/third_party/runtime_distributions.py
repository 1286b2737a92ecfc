"""The installed distributions the app needs at run time: its requirement tree, read from their metadata.

Extras count only when a requirement asks for them (`foo[bar]`): the app's own `test` extra is not shipped.
A requirement whose marker does not hold here (another Python, another OS) is not followed, and one that is
not installed is reported rather than guessed at.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement

APP_DISTRIBUTION = "ingress-studio"


def normalized(name: str) -> str:
    """PEP 503's form: `PySide6_Essentials`, `pyside6-essentials` and `PySide6.Essentials` are one name."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class RuntimeTree:
    root: metadata.Distribution
    dependencies: list[metadata.Distribution] = field(default_factory=list)  # sorted by name, root excluded
    missing: list[str] = field(default_factory=list)  # required here but not installed


def _requirements(dist: metadata.Distribution, extras: frozenset[str]) -> list[Requirement]:
    wanted = []
    for line in dist.requires or []:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue  # a malformed line in someone's metadata: pip would have refused to install it
        if requirement.marker is None:
            wanted.append(requirement)
            continue
        # Evaluated once with no extra (plain requirements) and once per extra asked for.
        for extra in ("", *sorted(extras)):
            if requirement.marker.evaluate({"extra": extra}):  # over this interpreter's environment
                wanted.append(requirement)
                break
    return wanted


def runtime_tree(root_name: str = APP_DISTRIBUTION) -> RuntimeTree:
    """Raises metadata.PackageNotFoundError when `root_name` itself is not installed."""
    root = metadata.distribution(root_name)
    found: dict[str, metadata.Distribution] = {normalized(root_name): root}
    tree = RuntimeTree(root)
    pending: list[tuple[metadata.Distribution, frozenset[str]]] = [(root, frozenset())]
    followed: set[tuple[str, frozenset[str]]] = set()
    while pending:
        dist, extras = pending.pop()
        for requirement in _requirements(dist, extras):
            key = normalized(requirement.name)
            wanted_extras = frozenset(requirement.extras)
            if (key, wanted_extras) in followed:
                continue
            followed.add((key, wanted_extras))
            if key not in found:
                try:
                    found[key] = metadata.distribution(requirement.name)
                except metadata.PackageNotFoundError:
                    if requirement.name not in tree.missing:
                        tree.missing.append(requirement.name)
                    continue
            pending.append((found[key], wanted_extras))
    del found[normalized(root_name)]
    tree.dependencies = sorted(found.values(), key=lambda d: normalized(d.metadata["Name"]))
    return tree
