"""What the command line asked the window for, like OBS's `--profile` and `--startstreaming`:
`ingress-studio [FILE…] [--project NAME] [--ingress ID] [--start-streaming]`.

Files become the source (what a file manager's "Open with" passes), the project is picked by the name the
picker shows, the ingress is selected once that project's list arrives, and `--start-streaming` then goes
live. A problem is one sentence for the window and nothing starts; the window never exits on its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingress_studio.controllers.dropped_items import SortedDrop, sort_drop

if TYPE_CHECKING:  # every command's start parses the window's flags: the protobuf modules load only for the window
    from livekit.protocol import ingress as ingress_pb

NOTHING_STARTED = "Nothing was started."


@dataclass(frozen=True)
class LaunchRequest:
    files: tuple[Path, ...] = ()
    project: str | None = None
    ingress: str | None = None
    start_streaming: bool = False

    @property
    def empty(self) -> bool:
        return not (self.files or self.project or self.ingress or self.start_streaming)

    def to_json(self) -> str:
        """One line, for handing the request to a window that is already open."""
        return json.dumps(
            {
                "files": [str(path) for path in self.files],
                "project": self.project,
                "ingress": self.ingress,
                "start_streaming": self.start_streaming,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> LaunchRequest | None:
        """None for anything but a request this version wrote (another program may knock on the door)."""
        try:
            data = json.loads(text)
            files = data["files"]
            project, ingress = data.get("project"), data.get("ingress")
            if not isinstance(files, list) or not all(isinstance(path, str) for path in files):
                return None
            if not all(value is None or isinstance(value, str) for value in (project, ingress)):
                return None
            return cls(tuple(Path(path) for path in files), project, ingress, bool(data.get("start_streaming")))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


@dataclass(frozen=True)
class LaunchStep:
    """What to do once the project's ingresses are listed."""

    select: str | None = None  # the ingress to select
    start: bool = False  # go live to it
    problem: str | None = None


@dataclass
class Launch:
    request: LaunchRequest
    dropped: SortedDrop = field(init=False)
    done: bool = False  # the listing step has been taken: later lists change nothing

    def __post_init__(self) -> None:
        self.dropped = sort_drop(list(self.request.files), [])

    def files_problem(self) -> str | None:
        if self.dropped.refusals:
            return " ".join([*self.dropped.refusals, NOTHING_STARTED])
        return None

    def project_problem(self, names: Sequence[str], found: bool) -> str | None:
        if self.request.project is None or found:
            return None
        return f"There is no project “{self.request.project}”: the projects are {', '.join(names)}. {NOTHING_STARTED}"

    def first_problem(self, names: Sequence[str], project_found: bool) -> str | None:
        """A problem known before anything connects; then the listing step does nothing."""
        problem = self.files_problem() or self.project_problem(names, project_found)
        if problem is None and self.request.start_streaming and self.request.ingress is None:
            problem = f"--start-streaming needs --ingress ID, the ingress to go live to. {NOTHING_STARTED}"
        if problem is not None:
            self.done = True
        return problem

    def on_listed(
        self, project_name: str, infos: Sequence[ingress_pb.IngressInfo], last_used: str = ""
    ) -> LaunchStep | None:
        """The step to take at the project's first list; None when there is none (or it was taken). Without
        --ingress, the ingress last gone live to is selected again, so Start is one click away."""
        if self.done:
            return None
        self.done = True
        wanted = self.request.ingress
        if wanted is None:
            known = any(info.ingress_id == last_used for info in infos)
            return LaunchStep(select=last_used) if last_used and known else None
        if not any(info.ingress_id == wanted for info in infos):
            return LaunchStep(problem=f"{project_name} has no ingress {wanted}. {NOTHING_STARTED}")
        return LaunchStep(select=wanted, start=self.request.start_streaming)
