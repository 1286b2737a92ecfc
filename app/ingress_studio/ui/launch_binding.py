"""The command line's request carried out in the window: the files into the Go-live panel, the project
picked, the ingress selected at its first list, and Start pressed — or one sentence and nothing started."""

from __future__ import annotations

from livekit.protocol import ingress as ingress_pb

from ingress_studio.config.project import ProjectSource
from ingress_studio.controllers.launch_request import Launch, LaunchRequest
from ingress_studio.ui.main_window import MainWindow
from ingress_studio.ui.project_picker import ProjectPicker

TITLE = "Cannot start streaming"


def apply_launch(window: MainWindow, picker: ProjectPicker, request: LaunchRequest, with_sandbox: bool) -> bool:
    """Carry out what can be done now, and the rest at the project's next list. False if no project was
    asked for (at start, the window then opens the usual one). Also for a request handed to the open window."""
    launch = Launch(request)
    found = request.project is not None and picker.select(request.project)
    problem = launch.first_problem([project.name for project in picker.projects], found)
    if problem is not None:
        tell_problem(window, problem)
    elif launch.dropped.media:
        window.live.take_files(launch.dropped.media)

    def listed(infos: list[ingress_pb.IngressInfo]) -> None:
        project = window.project
        if project is None or not window.ingresses.reachable:
            return  # the empty list shown while connecting is not the project's list
        last_used = window.preferences.last_ingress if window.selected_info() is None else ""
        step = launch.on_listed(project.name, infos, last_used)
        if step is None:
            return
        if step.problem is not None:
            tell_problem(window, step.problem)
            return
        if step.select is not None:
            window.select_ingress(step.select)
        if step.start:
            refusal = window.live.panel.start()
            if refusal is not None:
                tell_problem(window, refusal)

    window.ingresses.listed.connect(listed)
    if not found:
        return False
    project = picker.current_project()
    if project is None or (window.project is not None and window.project.name == project.name):
        return True  # already shown: its next list carries out the rest
    if window.project is None and project.source is ProjectSource.SANDBOX and with_sandbox:
        return True  # the embedded sandbox connects itself once it is ready
    window.connect_project(project)
    return True


def tell_problem(window: MainWindow, sentence: str) -> None:
    """In the Go-live panel's status and a box: the window was not looked at when the request came."""
    window.live.say(sentence)
    window.warn(TITLE, sentence)
