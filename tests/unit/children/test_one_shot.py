"""What one run of a one-shot child comes to, from the bytes it wrote and how it ended."""

from __future__ import annotations

import json
import signal

from ingress_studio.children.device_list import Device, DeviceList
from ingress_studio.children.devices_client import DEVICES
from ingress_studio.children.one_shot import OneShotFailed, OneShotRun
from ingress_studio.children.probe_client import PROBE

LISTING = json.dumps([{"kind": "test", "source": "test:", "name": "Test pattern"}]).encode() + b"\n"


def run_of(stdout: bytes, code: int | None, signal_number: int | None = None) -> DeviceList | OneShotFailed:
    run = OneShotRun(DEVICES)
    for event in run.session.read_stdout(stdout) + run.session.stdout_closed():
        run.take(event)
    return run.outcome(run.session.exited(code, signal_number))


def test_the_answer_whatever_the_exit_code() -> None:
    assert run_of(LISTING, 0) == DeviceList((Device("test", "test:", "Test pattern"),))
    assert isinstance(run_of(LISTING, 1), DeviceList)  # a refusing probe exits 1 with its report
    assert isinstance(run_of(LISTING.rstrip(b"\n"), 0), DeviceList)  # its last line without a newline


def test_no_answer_is_one_sentence_of_how_it_ended() -> None:
    assert str(run_of(b"", 1)) == "The device listing stopped with exit code 1 without an answer."
    assert str(run_of(b"", 2)) == (
        "The device listing stopped with exit code 2 without an answer (its arguments were refused)."
    )
    assert str(run_of(b"", 0)) == "The device listing stopped with exit code 0 without an answer."
    assert str(run_of(b"", None, signal.SIGKILL)) == "The device listing crashed (it was ended by SIGKILL, signal 9)."


def test_garbage_is_a_sentence_not_the_garbage() -> None:
    failed = run_of(b"Traceback (most recent call last):\n  File x\n", 1)
    assert isinstance(failed, OneShotFailed)
    assert failed.message == "The device listing answered with something this version of Ingress Studio cannot read."


def test_a_time_limit_is_a_sentence() -> None:
    assert OneShotRun(PROBE).timed_out(45).message == "The probe did not answer within 45 seconds, so it was stopped."


def test_a_child_that_could_not_start() -> None:
    run = OneShotRun(PROBE)
    failed = run.outcome(run.session.could_not_start("/nowhere/python", "No such file or directory"))
    assert isinstance(failed, OneShotFailed)
    assert failed.message == "The probe could not be started (/nowhere/python did not run)."
