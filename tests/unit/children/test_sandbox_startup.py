"""The sandbox's start across attempts: what each child said and how it ended decide the next step."""

from __future__ import annotations

import signal

from ingress_studio.children.exits import CleanExit, Crashed, ExitedWithCode, NotStarted
from ingress_studio.children.sandbox_messages import SandboxFailed, SandboxReady
from ingress_studio.children.sandbox_startup import RetryOn, SandboxAttempt, SandboxDown, SandboxServing, SandboxStartup
from ingress_studio.config.paths import user_log_dir
from ingress_studio.sandbox_launch import PORT_IN_USE_EXIT, START_FAILED_EXIT

READY = SandboxReady(1, "v", "http://127.0.0.1:41001", "rtmp://127.0.0.1:1935/x", "http://127.0.0.1:8080/w", "k", "d")
LOGS = f"Details are in the log in {user_log_dir()}."


def port_in_use(after_ready: bool = False) -> ExitedWithCode:
    return ExitedWithCode("sandbox", False, after_ready, PORT_IN_USE_EXIT, "a port it needs is in use")


def test_a_taken_port_is_retried_on_a_free_one_and_the_ready_says_so() -> None:
    startup = SandboxStartup((7880, 1935, 8080))
    startup.new_session()
    failed = SandboxFailed("port_in_use", "Cannot listen for API on 127.0.0.1:7880.", 7880, "--port")
    assert startup.on_event(failed) is None
    assert startup.on_exit(port_in_use()) == RetryOn((0, 1935, 8080))
    assert startup.attempts == [SandboxAttempt((7880, 1935, 8080), failed, port_in_use())]
    assert startup.ports == (0, 1935, 8080) and startup.requested == (7880, 1935, 8080)
    startup.new_session()
    serving = startup.on_event(READY)
    assert isinstance(serving, SandboxServing) and serving.ready == READY
    assert serving.notice is not None
    assert serving.notice.startswith("API port 7880 is in use, so the sandbox uses 41001")
    assert startup.on_event(READY) is None  # a child's ready counts once


def test_a_failed_line_is_the_sentence_when_no_retry_helps() -> None:
    startup = SandboxStartup((0, 0, 0))
    startup.new_session()
    startup.on_event(SandboxFailed("port_in_use", "Cannot listen for RTMP on 127.0.0.1:0.", 0, "--rtmp-port"))
    down = startup.on_exit(port_in_use())
    assert down == SandboxDown("The sandbox could not start: Cannot listen for RTMP on 127.0.0.1:0.")
    startup.new_session()
    startup.on_event(SandboxFailed("start_failed", "The database in /d cannot be used."))
    exit = ExitedWithCode("sandbox", False, False, START_FAILED_EXIT, "its data folder or database cannot be used")
    assert startup.on_exit(exit) == SandboxDown("The sandbox could not start: The database in /d cannot be used.")


def test_the_sentences_of_a_child_that_ended() -> None:
    startup = SandboxStartup()
    startup.new_session()
    assert startup.on_exit(Crashed("sandbox", False, True, signal.SIGKILL)) == SandboxDown(
        f"The sandbox crashed. {LOGS} Press Retry to start it again."
    )
    assert startup.on_exit(Crashed("sandbox", False, False, signal.SIGSEGV)) == SandboxDown(
        f"The sandbox could not start: it crashed. {LOGS}"
    )
    assert startup.on_exit(ExitedWithCode("sandbox", False, False, 2, "")) == SandboxDown(
        f"The sandbox could not start: it stopped with exit code 2. {LOGS}"
    )
    assert startup.on_exit(NotStarted("sandbox", False, False, "/no/python")) == SandboxDown(
        "The sandbox could not be started (/no/python did not run)."
    )


def test_an_exit_that_was_asked_for_is_no_failure() -> None:
    startup = SandboxStartup()
    startup.new_session()
    assert startup.on_exit(CleanExit("sandbox", True, True)) is None
    assert startup.on_exit(Crashed("sandbox", True, True, signal.SIGKILL)) is None  # killed after the grace time
