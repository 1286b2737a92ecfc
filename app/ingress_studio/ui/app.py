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
from ingress_studio.children.program import DEFAULT_PORTS
from ingress_studio.config.lk_cli_config import read_lk_projects
from ingress_studio.config.project import SANDBOX_PROJECT_NAME, ProjectSource
from ingress_studio.config.projects import environment_project, find_project, sandbox_project
from ingress_studio.controllers.launch_request import LaunchRequest
from ingress_studio.ui.error_dialog import install_excepthook
from ingress_studio.ui.file_open_events import FileOpenEvents
from ingress_studio.ui.launch_binding import apply_launch, tell_problem
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.project_picker import ProjectPicker
from ingress_studio.ui.resources import app_icon
from ingress_studio.ui.sandbox_process import SandboxProcess
from ingress_studio.ui.single_instance import SingleInstance, hand_to_open_window
from ingress_studio.ui.tray import NO_TRAY, attach_tray

log = logging.getLogger(__name__)
# The app id: the .desktop file's name (resources/linux/), the icon's and the macOS bundle id. Wayland
# compositors match the window to its desktop file by it (X11 ones by WM_CLASS, the application name).
DESKTOP_FILE_NAME = "io.ingressstudio.IngressStudio"


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("Ingress Studio")
    app.setOrganizationName("Ingress Studio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(app_icon())
    return app


def attach_sandbox(
    window: MainWindow,
    data_dir: Path | None = None,
    picker: ProjectPicker | None = None,
    ports: tuple[int, int, int] = DEFAULT_PORTS,
) -> SandboxProcess:
    """Start the embedded sandbox; once it is ready, show it unless another project is chosen."""
    sandbox = SandboxProcess(data_dir, parent=window)

    def on_ready(info: dict[str, Any]) -> None:
        url = str(info["api_url"])
        if picker is not None:
            picker.set_sandbox_url(url)
        current = window.project
        if current is None or current.source is ProjectSource.SANDBOX:
            if picker is not None:
                picker.select(SANDBOX_PROJECT_NAME)
            window.connect_project(sandbox_project(url))

    sandbox.ready.connect(on_ready)
    sandbox.failed.connect(lambda sentence: window.show_problem(sentence, retry=sandbox.restart))
    sandbox.notice.connect(window.show_notice)
    sandbox.start(ports)
    return sandbox


def _first_project(window: MainWindow, picker: ProjectPicker, with_sandbox: bool) -> None:
    """Reopen the project used last time; without the sandbox, fall back to the environment or lk's default."""
    last = window.preferences.project_name
    if last and last != SANDBOX_PROJECT_NAME and picker.select(last):
        project = picker.current_project()
        if project is not None:
            window.connect_project(project)
            return
    if with_sandbox:
        return  # the sandbox is shown when it is ready
    project = environment_project()
    if project is None:
        projects, default = read_lk_projects()
        project = find_project(projects, default) if default else None
    if project is None:
        window.show_problem(
            "No project: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or a default lk project."
        )
        return
    picker.select(project.name)
    window.connect_project(project)


def _quit_on_signals(app: QApplication, window: MainWindow) -> None:
    """Ctrl+C or SIGTERM close the window the normal way, so the children are stopped too (a live push
    cleanly: nobody is there to answer "Quit while live?")."""

    def quit_now(*_: object) -> None:
        window.live.may_close = True
        window.quit()  # app.quit() alone asks each window to close, and one kept in the tray would refuse
        app.quit()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, quit_now)
    # Python handles signals only when it runs; a slow timer gives it that chance inside Qt's loop.
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)


def _take_handed(window: MainWindow, picker: ProjectPicker, request: LaunchRequest, with_sandbox: bool) -> str | None:
    """A second `ingress-studio …` handed its request over: carry it out here, and come to the front; while
    live, nothing changes under the push (the sentence goes back to the second process)."""
    if window.live.live and not request.empty:
        return "The open window is live: stop its push first, then open the files again."
    apply_launch(window, picker, request, with_sandbox)
    window.bring_to_front()  # hidden in the tray too
    return None


def _take_opened(window: MainWindow, picker: ProjectPicker, request: LaunchRequest, with_sandbox: bool) -> None:
    """Files the system asked this app to open (macOS: Finder's Open With, the Dock icon): as a second
    launch's, but the window says why not itself, as no second process is there to print it."""
    refusal = _take_handed(window, picker, request, with_sandbox)
    if refusal is not None:
        tell_problem(window, refusal)


def run_gui(no_sandbox: bool = False, launch: LaunchRequest | None = None, minimize_to_tray: bool = False) -> int:
    app = create_application(sys.argv)
    # Only macOS sends files as events; elsewhere they come as argv, and a filter would see every event.
    opened = FileOpenEvents(app) if sys.platform == "darwin" else None
    request = launch or LaunchRequest()
    handed = hand_to_open_window(request)
    if handed is not None:
        print(f"ingress-studio: {handed or 'the window that is already open took it.'}", file=sys.stderr)
        return 1 if handed else 0
    install_excepthook()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow()
    picker = ProjectPicker()
    window.set_project_picker(picker)
    picker.project_chosen.connect(window.connect_project)
    window.connection_state.connect(picker.set_status)
    sandbox = None if no_sandbox else attach_sandbox(window, picker=picker)
    if not apply_launch(window, picker, request, with_sandbox=not no_sandbox):
        _first_project(window, picker, with_sandbox=not no_sandbox)
    door = SingleInstance(lambda handed: _take_handed(window, picker, handed, not no_sandbox), parent=window)
    door.listen()
    if opened is not None:  # after the command line's own files: those that came meanwhile go now
        opened.deliver_to(lambda files: _take_opened(window, picker, files, not no_sandbox))
    tray = attach_tray(window, minimize_to_tray)
    if tray is None and minimize_to_tray:
        print(f"ingress-studio: {NO_TRAY}", file=sys.stderr)
    # The window's own close ends the app, not the last visible window: a window hidden in the tray is not
    # closed, and a box closing while it hides must not quit.
    app.setQuitOnLastWindowClosed(False)
    window.closed.connect(app.quit)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)
    _quit_on_signals(app, window)
    with loop:
        loop.run_until_complete(closed.wait())
        loop.run_until_complete(window.shutdown())
    if sandbox is not None:
        sandbox.stop()
    return 0
