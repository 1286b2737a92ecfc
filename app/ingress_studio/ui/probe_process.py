"""The pre-flight probe as a child of the window: `finished(report)` with what a push would do, or
`failed(sentence)` when the probe itself could not tell (it crashed, or took too long)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ingress_studio.children.probe_client import PROBE, PROBE_TIMEOUT_S
from ingress_studio.children.probe_report import ProbeReport
from ingress_studio.children.probe_request import ProbeRequest
from ingress_studio.ui.one_shot_process import QOneShot


class ProbeProcess(QObject):
    """One probe at a time: a new `start` cancels the one still running (its answer would be stale).

    A report with `ok` False is a `finished` too: its `problem` is the sentence to show before Start."""

    finished = Signal(ProbeReport)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, timeout_s: float = PROBE_TIMEOUT_S) -> None:
        super().__init__(parent)
        self._timeout_s = timeout_s
        self._run: QOneShot[ProbeReport] | None = None

    @property
    def running(self) -> bool:
        return self._run is not None and self._run.running

    @property
    def pid(self) -> int | None:
        return self._run.pid if self._run is not None else None

    def start(self, request: ProbeRequest) -> None:
        self.cancel()
        self._run = QOneShot(PROBE, self.finished.emit, self.failed.emit, self._timeout_s, self)
        self._run.start(request.command())

    def cancel(self) -> None:
        """Stop a running probe; neither signal follows for it."""
        if self._run is not None:
            self._run.cancel()
