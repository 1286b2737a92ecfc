"""Imports every module of a package, as a frozen build must be able to: a hidden import PyInstaller missed,
or a data file it left out, fails here rather than in a user's hands.

pkgutil.walk_packages over the package's __path__ lists modules from the file system and from PyInstaller's
archive alike (its importer lists what it holds).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from dataclasses import dataclass
from types import ModuleType

PROGRAM_MODULE = "__main__"  # runs the program when imported: not a module to load


@dataclass(frozen=True)
class ImportFailure:
    module: str
    sentence: str  # "ModuleNotFoundError: No module named 'PySide6.QtSvg'"


@dataclass(frozen=True)
class ImportSweep:
    imported: int
    failures: tuple[ImportFailure, ...]
    seconds: float


def exception_sentence(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def import_every_module(package: ModuleType) -> ImportSweep:
    started = time.monotonic()
    failed: dict[str, str] = {}

    def package_failed(name: str) -> None:  # walk_packages calls this inside its own `except`
        exc = sys.exc_info()[1]
        failed[name] = exception_sentence(exc) if exc is not None else "ImportError"

    imported = 0
    for found in pkgutil.walk_packages(package.__path__, f"{package.__name__}.", onerror=package_failed):
        if found.name.rsplit(".", 1)[-1] == PROGRAM_MODULE or found.name in failed:
            continue
        try:
            importlib.import_module(found.name)
        except Exception as exc:  # any error at import time is what a user would meet
            failed[found.name] = exception_sentence(exc)
        else:
            imported += 1
    failures = tuple(ImportFailure(name, sentence) for name, sentence in sorted(failed.items()))
    return ImportSweep(imported, failures, time.monotonic() - started)
