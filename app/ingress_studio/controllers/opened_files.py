"""Files the system asks the app to open while it runs (macOS: Finder's Open With, a drop on the Dock
icon), which arrive one event per file instead of on the command line.

They are held until the window is ready (the launch's own files come right after the application is made)
and until the burst is over (Finder sends one event per selected file), then handed over together as one
request, as if they had been on the command line: several files are one playlist.
"""

from __future__ import annotations

from pathlib import Path

from ingress_studio.controllers.launch_request import LaunchRequest


class OpenedFiles:
    def __init__(self) -> None:
        self._pending: list[Path] = []
        self._window_ready = False
        self._burst_over = True

    def add(self, local_file: str) -> bool:
        """One event's file; "" when the event named no local file (a URL), which is left alone. True when
        taken: the burst goes on."""
        if not local_file:
            return False
        self._pending.append(Path(local_file).expanduser().absolute())
        self._burst_over = False
        return True

    def end_burst(self) -> LaunchRequest | None:
        """No event came for a while: the request to hand over now, if the window is ready."""
        self._burst_over = True
        return self._take()

    def window_is_ready(self) -> LaunchRequest | None:
        """The window can take files: what came before it, unless a burst is still going on."""
        self._window_ready = True
        return self._take()

    def _take(self) -> LaunchRequest | None:
        if not (self._window_ready and self._burst_over and self._pending):
            return None
        files, self._pending = tuple(self._pending), []
        return LaunchRequest(files)
