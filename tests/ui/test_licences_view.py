"""Help → Licences and Help → About, offscreen: the notices gathered from this venv's metadata, searchable."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from ingress_studio import __version__
from ingress_studio.ui.main_window import MainWindow
from ui.conftest import Scenario, eventually


def help_action(window: MainWindow, text: str) -> object:
    (found,) = [a for a in window.actions_.help_menu.actions() if a.text() == text]
    return found


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stacking
def test_help_licences_shows_the_notices_and_finds_in_them(window: MainWindow, run_on_qt_loop: Scenario) -> None:
    async def scenario() -> None:
        help_action(window, "Licences…").trigger()  # type: ignore[attr-defined]
        view = window.licences_view
        assert view is not None and view.isVisible()
        await eventually(lambda: view.view.toPlainText() != "", what="the notices")
        assert view.view.toPlainText().startswith("=" * 100 + "\nIngress Studio ")
        view.search.setText("GNU LESSER GENERAL PUBLIC LICENSE")
        assert view.matches.text().endswith(" found") and view.matches.text() != "Not found"
        assert view.view.textCursor().selectedText().upper() == "GNU LESSER GENERAL PUBLIC LICENSE"  # any case
        first = view.view.textCursor().position()
        assert view.find_next() and view.view.textCursor().position() != first
        view.search.setText("no such words in any licence")
        assert view.matches.text() == "Not found" and not view.find_next()
        view.close()
        help_action(window, "Licences…").trigger()  # type: ignore[attr-defined]
        assert window.licences_view is view and view.isVisible()  # the same view, not read again
        view.close()
        await view.notices.closed()

    run_on_qt_loop(scenario())


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_help_about_says_the_version_and_leads_to_the_licences(window: MainWindow, run_on_qt_loop: Scenario) -> None:
    async def scenario() -> None:
        help_action(window, "About Ingress Studio").trigger()  # type: ignore[attr-defined]
        (box,) = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
        assert f"Ingress Studio {__version__}" in box.text() and "GNU GPL version 3" in box.text()
        (licences,) = [b for b in box.findChildren(QPushButton) if b.text() == "Licences…"]
        licences.click()
        await eventually(lambda: window.licences_view is not None and window.licences_view.isVisible(), what="view")
        assert not box.isVisible()
        assert window.licences_view is not None
        window.licences_view.close()
        await window.licences_view.notices.closed()

    run_on_qt_loop(scenario())


def test_the_window_starts_without_the_notices_code() -> None:
    """Gathering reads every distribution's metadata: it is imported when Licences opens, never at start-up."""
    code = (
        "import sys\n"
        "import ingress_studio.ui.app, ingress_studio.ui.main_window\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ingress_studio.third_party.notices',"
        " 'ingress_studio.third_party.runtime', 'packaging', 'ingress_studio.ui.licences'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
