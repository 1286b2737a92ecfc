"""The Go-live panel's "Test latency" button and the line under Start that says how the test goes and what it
measured. They bind a LatencyTest; what to test (the project, the selected ingress, the panel's encoding)
comes from `ask`, the window's."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from ingress_studio.controllers.latency_test import LatencyPhase, LatencyResult, LatencyTest
from ingress_studio.display.stats_figures import Level
from ingress_studio.ui.level_colours import level_colour

IDLE_TIP = (
    "Push a clock-stamped test pattern to the selected ingress for about half a minute and measure how late "
    "its pictures reach the room (and the sandbox): the push stops by itself"
)
CANCELLED = "Latency test cancelled."


class LatencyTestControls(QObject):
    def __init__(self, latency: LatencyTest, ask: Callable[[], str | None], parent: QWidget) -> None:
        super().__init__(parent)
        self._latency = latency
        self._ask = ask  # starts a test of what the window shows; the sentence when it cannot
        self.button = QPushButton("Test latency")
        self.button.setToolTip(IDLE_TIP)
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setAccessibleName("Latency test")
        self.report.hide()  # until a first test: an empty line would only take room from the form
        self.button.clicked.connect(self._pressed)
        latency.progress.connect(lambda sentence: self._say(sentence))
        latency.finished.connect(self._finished)
        latency.failed.connect(lambda sentence: self._say(sentence, problem=True))
        latency.cancelled.connect(lambda: self._say(CANCELLED))
        latency.phase_changed.connect(self._phase_changed)

    def _pressed(self) -> None:
        if self._latency.running:
            self._latency.cancel()
            return
        refusal = self._ask()
        if refusal is not None:
            self._say(refusal, problem=True)

    def _finished(self, result: LatencyResult) -> None:
        self._say(f"{result.sentence()} (“{result.ingress_name}”).")

    def _phase_changed(self, phase: LatencyPhase) -> None:
        self.button.setText(
            "Stopping…" if phase is LatencyPhase.STOPPING else "Cancel test" if phase.running else "Test latency"
        )
        self.button.setEnabled(phase is not LatencyPhase.STOPPING)
        self.button.setToolTip("Stop the test pattern now, without figures" if phase.running else IDLE_TIP)

    def _say(self, sentence: str, problem: bool = False) -> None:
        self.report.setText(sentence)
        self.report.show()
        colour = level_colour(Level.DANGER, self.report.palette()).name() if problem else ""
        self.report.setStyleSheet(f"color: {colour};" if colour else "")
