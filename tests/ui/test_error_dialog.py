"""An uncaught exception becomes a dialog with a report, secrets removed, and the app keeps running."""

from __future__ import annotations

import sys

from pytestqt.qtbot import QtBot

from ingress_studio.redaction import register_secret
from ingress_studio.ui.error_dialog import install_excepthook, open_reports


def test_a_bug_is_reported_in_a_dialog_without_secrets(qtbot: QtBot) -> None:
    previous = sys.excepthook
    install_excepthook()
    try:
        register_secret("super-secret-api-value")
        try:
            raise RuntimeError("failed while using super-secret-api-value")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        [box] = open_reports()
        report = box.detailedText()
        assert "RuntimeError" in report and "super-secret-api-value" not in report
        assert "settings are safe" in box.text()
        box.close()
        qtbot.waitUntil(lambda: open_reports() == [])
    finally:
        sys.excepthook = previous
