"""Uncaught exceptions become a dialog with a copyable, redacted report - never a silent crash."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from ingress_studio import __version__
from ingress_studio.redaction import redact

log = logging.getLogger(__name__)
_open_reports: list[QMessageBox] = []  # parentless boxes must be held, or Python frees them at once


def _report(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> str:
    text = "".join(traceback.format_exception(kind, value, tb))
    return redact(f"Ingress Studio {__version__} on Python {sys.version.split()[0]}\n\n{text}")


def open_reports() -> list[QMessageBox]:
    return list(_open_reports)


def install_excepthook() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        report = _report(kind, value, tb)
        log.error("uncaught exception\n%s", report)
        if QApplication.instance() is None:
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "Ingress Studio hit a bug", "")
        box.setText("Something went wrong inside Ingress Studio. Your ingresses and settings are safe.")
        box.setInformativeText("Use “Show Details…” to copy a report (secrets removed) for a bug report.")
        box.setDetailedText(report)
        # open(), not exec(): a nested event loop would let qasync re-enter the task that just failed.
        _open_reports.append(box)
        box.finished.connect(lambda _result: _open_reports.remove(box))
        box.finished.connect(box.deleteLater)
        box.open()

    sys.excepthook = hook
