"""Pre-flight: before anything connects, the source is probed in a child process (`ingress-studio probe`)
for the selected ingress, and the plan is shown in words — or the one sentence that stops it.

The window asks for a check whenever the source, the ingress or the encoding changes (debounced), and
Start goes live only on a report that says the push can work: a start asked for while a check runs waits
for it. A probe of a newer request replaces an older one; the prober's adapter drops the old answer.
"""

from __future__ import annotations

from typing import Protocol

from ingress_studio.children.probe_report import ProbeReport
from ingress_studio.children.probe_request import ProbeRequest
from ingress_studio.controllers.events import Event
from ingress_studio.controllers.go_live import GoLive, GoLivePlan


class Prober(Protocol):
    def start(self, request: ProbeRequest) -> None:
        """Probe in a child; the answer comes back through Preflight.finished or Preflight.failed."""

    def cancel(self) -> None: ...


class Preflight:
    def __init__(self, prober: Prober, go_live: GoLive) -> None:
        self._prober = prober
        self._go_live = go_live
        self.request: ProbeRequest | None = None
        self.report: ProbeReport | None = None
        self.failure: str | None = None  # the probe itself failed (crashed, timed out)
        self._start_after: GoLivePlan | None = None
        self.checking: Event[[]] = Event()
        self.checked: Event[[ProbeReport]] = Event()
        self.could_not_check: Event[[str]] = Event()
        self.refused: Event[[str]] = Event()  # a Start that the check stopped, with why

    @property
    def running(self) -> bool:
        return self.request is not None and self.report is None and self.failure is None

    def check(self, request: ProbeRequest | None) -> None:
        """Probe this request, unless it is the one already checked or being checked."""
        if request == self.request and (self.running or self.report is not None):
            return
        self._prober.cancel()
        self.request, self.report, self.failure = request, None, None
        if request is not None:
            self._prober.start(request)
            self.checking.emit()

    def start(self, plan: GoLivePlan, request: ProbeRequest) -> str | None:
        """Go live once the check of `request` says it can work; a sentence when it is known it cannot."""
        self.check(request)
        if self.report is not None:
            return self._go_if_ok(plan, self.report)
        if self.failure is not None:
            return self._refuse(f"The source could not be checked: {self.failure}")
        self._start_after = plan  # the check is running: Start follows its answer
        return None

    def cancel_start(self) -> None:
        self._start_after = None

    @property
    def start_waiting(self) -> bool:
        return self._start_after is not None

    def finished(self, report: ProbeReport) -> None:
        if self.request is None:
            return
        self.report = report
        self.checked.emit(report)
        plan, self._start_after = self._start_after, None
        if plan is not None:
            self._go_if_ok(plan, report)

    def failed(self, sentence: str) -> None:
        if self.request is None:
            return
        self.failure = sentence
        self.could_not_check.emit(sentence)
        if self._start_after is not None:
            self._start_after = None
            self._refuse(f"The source could not be checked: {sentence}")

    def _go_if_ok(self, plan: GoLivePlan, report: ProbeReport) -> str | None:
        if not report.ok:
            return self._refuse(report.problem or "This source cannot be sent to this ingress.")
        refusal = self._go_live.go_live(plan)
        if refusal is not None:
            self.refused.emit(refusal)
        return refusal

    def _refuse(self, sentence: str) -> str:
        self.refused.emit(sentence)
        return sentence
