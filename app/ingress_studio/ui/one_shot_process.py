"""A one-shot child (children.one_shot) run by QProcess with a time limit: one callback at its end, the answer
or the sentence why there is none; nothing at all after `cancel()`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Never

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from ingress_studio.children.child_protocol import ChildProtocol
from ingress_studio.children.exits import ChildExit
from ingress_studio.children.one_shot import AnswerT, OneShotFailed, OneShotRun
from ingress_studio.children.unreadable import Unreadable
from ingress_studio.ui.qprocess_child import QProcessChild

STOP_GRACE_MS = 200  # a probe ends at SIGTERM at once (it installs no handler): this is only a bound


class QOneShot(Generic[AnswerT]):
    def __init__(
        self,
        protocol: ChildProtocol[AnswerT, Never],
        on_answer: Callable[[AnswerT], None],
        on_failure: Callable[[str], None],
        timeout_s: float,
        parent: QObject,
    ) -> None:
        self._run = OneShotRun(protocol)
        self._on_answer = on_answer
        self._on_failure = on_failure
        self._timeout_s = timeout_s
        self._done = False
        self._disposed = False  # its QProcess is gone: it has ended and every signal of it has come
        self._child: QProcessChild[AnswerT, Never] = QProcessChild(self._run.session, self._take, self._exited, parent)
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)

    @property
    def running(self) -> bool:
        return not self._disposed and self._child.running

    @property
    def pid(self) -> int | None:
        return None if self._disposed else self._child.pid

    def start(self, command: Sequence[str]) -> None:
        self._timer.start(round(self._timeout_s * 1000))
        self._child.start(command)

    def cancel(self) -> None:
        """End it without a word: whoever cancels has moved on."""
        self._finish()
        self._stop()

    def _stop(self) -> None:
        if not self._disposed:
            self._child.stop(STOP_GRACE_MS)  # SIGTERM, SIGKILL if need be: it holds nothing that needs a clean end

    def _finish(self) -> bool:
        """True the first time: the one end that is reported."""
        if self._done:
            return False
        self._done = True
        self._timer.stop()
        return True

    def _take(self, event: AnswerT | Unreadable) -> None:
        self._run.take(event)

    def _exited(self, exit: ChildExit) -> None:
        if not self._finish():
            self._dispose()
            return
        outcome = self._run.outcome(exit)
        self._dispose()
        if isinstance(outcome, OneShotFailed):
            self._on_failure(outcome.message)
        else:
            self._on_answer(outcome)

    def _timed_out(self) -> None:
        if self._finish():
            self._stop()
            self._on_failure(self._run.timed_out(self._timeout_s).message)

    def _dispose(self) -> None:
        self._disposed = True
        self._timer.deleteLater()
        self._child.dispose()


class OneShotProcess(QObject):
    """One run at a time of a one-shot child, for the window: a new start cancels the one still running (its
    answer would be stale); `failed(sentence)` when there is no answer. Each kind adds its typed `finished`."""

    failed = Signal(str)
    finished: SignalInstance  # each kind declares its own, typed: Signal(ProbeReport), Signal(DeviceList)

    def __init__(self, protocol: ChildProtocol[Any, Never], timeout_s: float, parent: QObject | None) -> None:
        super().__init__(parent)
        self._protocol = protocol
        self._timeout_s = timeout_s
        self._run: QOneShot[Any] | None = None

    @property
    def running(self) -> bool:
        return self._run is not None and self._run.running

    @property
    def pid(self) -> int | None:
        return self._run.pid if self._run is not None else None

    def cancel(self) -> None:
        """Stop a running child; no signal follows for it."""
        if self._run is not None:
            self._run.cancel()

    def _start(self, command: Sequence[str]) -> None:
        self.cancel()
        self._run = QOneShot(self._protocol, self._answered, self.failed.emit, self._timeout_s, self)
        self._run.start(command)

    def _answered(self, answer: Any) -> None:
        self.finished.emit(answer)
