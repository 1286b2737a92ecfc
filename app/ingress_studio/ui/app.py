"""Starts the window on a qasync event loop, with the embedded sandbox as a child process."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ingress_studio import __version__
from ingress_studio.config.lk_cli_config import read_lk_projects
from ingress_studio.config.projects import environment_project, find_project, sandbox_project
from ingress_studio.ui.error_dialog import install_excepthook
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.resources import app_icon
from ingress_studio.ui.sandbox_process import SandboxProcess

log = logging.getLogger(__name__)


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("Ingress Studio")
    app.setOrganizationName("Ingress Studio")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    return app


def attach_sandbox(window: MainWindow, data_dir: Path | None = None) -> SandboxProcess:
    """Start the embedded sandbox and point the window at it once it is ready."""
    sandbox = SandboxProcess(data_dir, parent=window)

    def on_ready(info: dict[str, Any]) -> None:
        window.connect_project(sandbox_project(str(info["api_url"])))

    sandbox.ready.connect(on_ready)
    sandbox.failed.connect(window.show_problem)
    sandbox.start()
    return sandbox


def _external_project_for(window: MainWindow) -> None:
    project = environment_project()
    if project is None:
        projects, default = read_lk_projects()
        project = find_project(projects, default) if default else None
    if project is None:
        window.show_problem(
            "No project: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or a default lk project."
        )
        return
    window.connect_project(project)


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C or SIGTERM close the window the normal way, so the sandbox child is stopped too."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    # Python handles signals only when it runs; a slow timer gives it that chance inside Qt's loop.
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)


def run_gui(no_sandbox: bool = False) -> int:
    app = create_application(sys.argv)
    install_excepthook()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow()
    sandbox = None if no_sandbox else attach_sandbox(window)
    if no_sandbox:
        _external_project_for(window)
    window.show()
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    _quit_on_signals(app)
    with loop:
        loop.run_until_complete(closed.wait())
        loop.run_until_complete(window.shutdown())
    if sandbox is not None:
        sandbox.stop()
    return 0
