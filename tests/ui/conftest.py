"""GUI tests run the real widgets on a qasync loop, offscreen; scenarios are coroutines on that loop."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.preferences import Preferences
from support.waiting import until

Scenario = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """Widgets of a finished test that sit in reference cycles are freed here, on the GUI thread, not
    whenever the cycle collector next runs, which may be on a helper thread (Qt objects must die on theirs)."""
    yield
    qapp.processEvents()  # deleteLater() of the widgets pytest-qt closed
    gc.collect()


@pytest.fixture
def preferences(tmp_path: Path) -> Preferences:
    return Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot: QtBot, preferences: Preferences) -> MainWindow:
    """The main window, shown, with its own preferences file."""
    shown = MainWindow(preferences)
    qtbot.addWidget(shown)
    shown.show()
    return shown


@pytest.fixture
def run_on_qt_loop(qapp: QApplication) -> Iterator[Scenario]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)

    def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
        return loop.run_until_complete(asyncio.wait_for(coroutine, timeout=60))

    yield run
    loop.close()
    asyncio.set_event_loop(None)


eventually = until  # the GUI tests' name for it
