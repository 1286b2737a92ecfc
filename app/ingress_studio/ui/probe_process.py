"""The pre-flight probe as a child of the window: `finished(report)` with what a push would do, or
`failed(sentence)` when the probe itself could not tell (it crashed, or took too long)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ingress_studio.children.probe_client import PROBE, PROBE_TIMEOUT_S
from ingress_studio.children.probe_report import ProbeReport
from ingress_studio.children.probe_request import ProbeRequest
from ingress_studio.ui.one_shot_process import OneShotProcess


class ProbeProcess(OneShotProcess):
    """A report with `ok` False is a `finished` too: its `problem` is the sentence to show before Start.
    A new `start` cancels a probe still running; `cancel()` stops one without a signal."""

    finished = Signal(ProbeReport)

    def __init__(self, parent: QObject | None = None, timeout_s: float = PROBE_TIMEOUT_S) -> None:
        super().__init__(PROBE, timeout_s, parent)

    def start(self, request: ProbeRequest) -> None:
        self._start(request.command())
