"""How a child ended, as one sentence: clean, an exit code and what it means, a signal."""

from __future__ import annotations

import signal

from ingress_studio.children.exits import CleanExit, Crashed, ExitedWithCode, NotStarted, exit_event
from ingress_studio.children.sandbox_protocol import SANDBOX_EXIT_MEANINGS
from ingress_studio.sandbox_launch import PORT_IN_USE_EXIT, START_FAILED_EXIT


def test_the_kinds_of_exit() -> None:
    def ended(code: int | None, sig: int | None = None) -> object:
        return exit_event(
            "sandbox", requested=False, after_ready=True, code=code, signal=sig, meanings=SANDBOX_EXIT_MEANINGS
        )

    assert ended(0) == CleanExit("sandbox", False, True)
    assert ended(PORT_IN_USE_EXIT) == ExitedWithCode("sandbox", False, True, 3, "a port it needs is in use")
    assert ended(START_FAILED_EXIT) == ExitedWithCode(
        "sandbox", False, True, 1, "its data folder or database cannot be used"
    )
    assert ended(70) == ExitedWithCode("sandbox", False, True, 70, "")
    assert ended(None, signal.SIGKILL) == Crashed("sandbox", False, True, signal.SIGKILL)


def test_each_exit_is_one_sentence() -> None:
    assert CleanExit("engine", True, True).sentence == "The engine stopped with exit code 0."
    assert ExitedWithCode("sandbox", False, False, 3, "a port it needs is in use").sentence == (
        "The sandbox stopped with exit code 3: a port it needs is in use."
    )
    assert ExitedWithCode("engine", False, True, 1, "").sentence == "The engine stopped with exit code 1."
    assert Crashed("engine", False, True, 9).sentence == "The engine crashed (it was ended by SIGKILL, signal 9)."
    assert Crashed("engine", False, True, None).sentence == "The engine crashed."
    assert Crashed("engine", False, True, 200).sentence == "The engine crashed (it was ended by signal 200)."
    assert NotStarted("engine", False, False, "/no/python").sentence == (
        "The engine could not be started (/no/python did not run)."
    )
