"""The self-test's report: a line per check, the summary, the exit code, the JSON document; and its failure
paths with real causes — a module that does not import, an SDK library that is not there, a keyring that
does not encrypt, a step that overruns its time bound."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from ingress_studio.commands.self_test_installation import check_keyring, check_sdk_library
from ingress_studio.commands.self_test_live import LiveRoundTrip, NotRun
from ingress_studio.commands.self_test_modules import import_every_module
from ingress_studio.commands.self_test_report import (
    FAILED_EXIT,
    PASSED_EXIT,
    CheckResult,
    Outcome,
    SelfTestReport,
    check_line,
)
from support.secret_service import SecretService


def test_a_check_is_one_line_of_name_outcome_and_detail() -> None:
    assert check_line(CheckResult("encoder libx264", Outcome.OK, "libx264 H.264")) == (
        "encoder libx264          ok      libx264 H.264"
    )
    line = check_line(CheckResult("RTMP push", Outcome.FAILED, "the push stopped with exit code 1: refused."))
    assert line == "RTMP push                FAILED  the push stopped with exit code 1: refused."
    several = check_line(CheckResult("room watcher", Outcome.FAILED, "failed to load it\nInstall livekit.\n"))
    assert several == "room watcher             FAILED  failed to load it Install livekit."


def test_all_passing_with_a_warning_exits_0() -> None:
    out = io.StringIO()
    report = SelfTestReport(out)
    report.ok("modules", "250 modules imported")
    report.warning("keyring", "not an encrypting keyring")
    assert report.finish() == PASSED_EXIT
    lines = out.getvalue().splitlines()
    assert lines[:2] == [
        "modules                  ok      250 modules imported",
        "keyring                  warning not an encrypting keyring",
    ]
    assert lines[2].startswith("self-test passed: 1 check ok, 1 warning in ")


def test_a_failed_check_says_why_and_exits_non_zero() -> None:
    out = io.StringIO()
    report = SelfTestReport(out, log_dir=Path("/home/me/.local/state/ingress-studio/log"))
    report.ok("sandbox", "started")
    report.failed("WHIP push", "the ingress never showed ENDPOINT_PUBLISHING while the push ran")
    assert report.finish() == FAILED_EXIT
    text = out.getvalue()
    assert "WHIP push                FAILED  the ingress never showed ENDPOINT_PUBLISHING while the push ran\n" in text
    assert text.splitlines()[-1] == (
        "self-test FAILED: 1 of 2 checks failed (WHIP push). "
        "Details are in the logs in /home/me/.local/state/ingress-studio/log."
    )


def test_no_check_at_all_is_not_a_pass() -> None:
    out = io.StringIO()
    assert SelfTestReport(out).finish() == FAILED_EXIT
    assert out.getvalue() == "self-test FAILED: no check ran.\n"


def test_json_is_one_document_at_the_end() -> None:
    out = io.StringIO()
    report = SelfTestReport(out, as_json=True)
    report.ok("PyAV", "PyAV 18.1.0")
    report.failed("livekit FFI", "cannot be loaded")
    assert out.getvalue() == ""  # nothing before the end
    assert report.finish() == FAILED_EXIT
    document = json.loads(out.getvalue())
    assert document["passed"] is False and document["interrupted"] is False
    assert document["checks"] == [
        {"name": "PyAV", "status": "ok", "detail": "PyAV 18.1.0"},
        {"name": "livekit FFI", "status": "failed", "detail": "cannot be loaded"},
    ]


def test_an_interrupted_run_is_not_a_pass() -> None:
    out = io.StringIO()
    report = SelfTestReport(out)
    report.ok("modules", "imported")
    assert report.finish(interrupted=True) == FAILED_EXIT
    assert out.getvalue().splitlines()[-1].startswith("self-test interrupted after ")


def test_every_module_of_a_package_is_imported_and_each_failure_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "bundle_probe"
    (package / "broken_package").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "good.py").write_text("VALUE = 1\n")
    (package / "missing_import.py").write_text("import a_module_no_bundle_has\n")
    (package / "bad_data.py").write_text("raise FileNotFoundError('icons/app.png is not in the bundle')\n")
    (package / "__main__.py").write_text("raise SystemExit(3)\n")  # a program: must not run
    (package / "broken_package" / "__init__.py").write_text("raise RuntimeError('no backend\\nsecond line')\n")
    (package / "broken_package" / "inner.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    import bundle_probe

    sweep = import_every_module(bundle_probe)
    assert sweep.imported == 1  # good.py
    assert [(f.module, f.sentence) for f in sweep.failures] == [
        ("bundle_probe.bad_data", "FileNotFoundError: icons/app.png is not in the bundle"),
        ("bundle_probe.broken_package", "RuntimeError: no backend"),
        ("bundle_probe.missing_import", "ModuleNotFoundError: No module named 'a_module_no_bundle_has'"),
    ]


def test_an_sdk_library_that_cannot_be_loaded_fails_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEKIT_LIB_PATH", "/nowhere/liblivekit_ffi.so")  # the SDK's own override
    out = io.StringIO()
    report = SelfTestReport(out)
    check_sdk_library(report)
    assert report.finish() == FAILED_EXIT
    [result] = report.results
    assert result.name == "livekit FFI" and result.outcome is Outcome.FAILED
    assert result.detail.startswith(
        "the rtc SDK's native library cannot be loaded (OSError: /nowhere/liblivekit_ffi.so"
    )


def test_a_keyring_that_does_not_encrypt_is_a_warning_not_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "get_keyring", keyring.backends.fail.Keyring)
    report = SelfTestReport(io.StringIO())
    check_keyring(report)
    [result] = report.results
    assert result.outcome is Outcome.WARNING
    assert result.detail == (
        "keyring.backends.fail.Keyring (priority 0) is not an encrypting keyring: "
        "saved projects' secrets last the session only (on Linux, log in to a desktop session that runs "
        "GNOME Keyring or KWallet: their Secret Service is what keeps secrets encrypted)"
    )
    assert report.finish() == PASSED_EXIT


def test_a_missing_keyring_module_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # as a bundle that left it out: import fails
    report = SelfTestReport(io.StringIO())
    check_keyring(report)
    [result] = report.results
    assert result.outcome is Outcome.FAILED
    assert result.detail.startswith("the keyring module cannot be imported (ModuleNotFoundError: ")
    assert report.finish() == FAILED_EXIT


def test_an_encrypting_keyring_is_named_with_its_priority(secret_service: SecretService) -> None:
    report = SelfTestReport(io.StringIO())
    check_keyring(report)  # keyring offers a chainer: Secret Service first, keyrings.alt's files behind it
    [result] = report.results
    assert (result.outcome, result.detail) == (Outcome.OK, "keyring.backends.SecretService.Keyring (priority 5)")


async def test_a_step_past_its_bound_fails_and_stops_what_needs_it(tmp_path: Path) -> None:
    report = SelfTestReport(io.StringIO())
    round_trip = LiveRoundTrip(report, tmp_path, deadline=time.monotonic() + 0.2)  # the whole run's bound is nearer
    started = time.monotonic()
    with pytest.raises(NotRun):
        await round_trip._step("slow step", 30, lambda: asyncio.sleep(10))
    assert time.monotonic() - started < 2
    [result] = report.results
    assert (result.name, result.outcome) == ("slow step", Outcome.FAILED)
    assert result.detail.startswith("did not finish within 0.")


WATCHDOG_SCRIPT = """
import subprocess, sys, time
from ingress_studio.commands.self_test_cli import _Watchdog
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print(child.pid, flush=True)
_Watchdog(0.5, [lambda: [child.pid]]).start()
time.sleep(60)  # a step stuck where no bound reaches
"""


def test_the_watchdog_ends_a_stuck_run_and_what_it_started() -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", WATCHDOG_SCRIPT], capture_output=True, text=True, timeout=30, env=os.environ
    )
    assert time.monotonic() - started < 20
    assert result.returncode == FAILED_EXIT, result.stderr
    pid_line, said = result.stdout.splitlines()
    assert said == "self-test FAILED: still running after 0.5 s; stopped."
    deadline = time.monotonic() + 5
    while running(int(pid_line)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(int(pid_line))


def running(pid: int) -> bool:
    """Alive and not a zombie (a container's init may be slow to reap what the watchdog killed)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"
