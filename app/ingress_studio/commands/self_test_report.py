"""What `ingress-studio self-test` found: one line per check as it finishes, then a summary and the exit code.

A warning is something the installed app copes with (no encrypting keyring: secrets last the session) or
that this machine, not the build, prevents; only failures make the exit code non-zero.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TextIO

from ingress_studio.commands.terminal_text import message_line

PASSED_EXIT = 0
FAILED_EXIT = 1
NAME_WIDTH = 24


class Outcome(Enum):
    OK = "ok"
    WARNING = "warning"
    FAILED = "FAILED"


@dataclass(frozen=True)
class CheckResult:
    name: str  # "encoder libx264", "RTMP push"
    outcome: Outcome
    detail: str  # a version, a backend, a time; for a failure, the sentence that says why


def check_line(result: CheckResult) -> str:
    """One line, whatever the detail holds (a child's sentence may run over several)."""
    detail = " ".join(part.strip() for part in result.detail.splitlines() if part.strip())
    return message_line(f"{result.name:<{NAME_WIDTH}} {result.outcome.value:<7} {detail}").rstrip()


@dataclass
class SelfTestReport:
    """Prints each check as it is added (unless `as_json`: then one JSON document at the end)."""

    out: TextIO
    as_json: bool = False
    log_dir: Path | None = None  # named in a failure's summary: the children's logs say more
    results: list[CheckResult] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def add(self, result: CheckResult) -> None:
        self.results.append(result)
        if not self.as_json:
            print(check_line(result), file=self.out, flush=True)

    def ok(self, name: str, detail: str) -> None:
        self.add(CheckResult(name, Outcome.OK, detail))

    def warning(self, name: str, detail: str) -> None:
        self.add(CheckResult(name, Outcome.WARNING, detail))

    def failed(self, name: str, detail: str) -> None:
        self.add(CheckResult(name, Outcome.FAILED, detail))

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome is Outcome.FAILED]

    @property
    def passed(self) -> bool:
        return bool(self.results) and not self.failures

    def summary(self, interrupted: bool = False) -> str:
        seconds = time.monotonic() - self.started
        warnings = sum(r.outcome is Outcome.WARNING for r in self.results)
        warned = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
        if interrupted:
            return f"self-test interrupted after {seconds:.1f} s, {len(self.results)} checks done."
        if not self.results:
            return "self-test FAILED: no check ran."
        if self.passed:
            passed = sum(r.outcome is Outcome.OK for r in self.results)
            return f"self-test passed: {passed} check{'s' if passed != 1 else ''} ok{warned} in {seconds:.1f} s."
        names = ", ".join(dict.fromkeys(r.name for r in self.failures))
        failed = f"self-test FAILED: {len(self.failures)} of {len(self.results)} checks failed ({names}){warned}."
        return failed + (f" Details are in the logs in {self.log_dir}." if self.log_dir else "")

    def finish(self, interrupted: bool = False) -> int:
        """Print the summary (or the JSON document); the exit code."""
        if self.as_json:
            document = {
                "passed": self.passed and not interrupted,
                "interrupted": interrupted,
                "seconds": round(time.monotonic() - self.started, 1),
                "checks": [
                    {"name": r.name, "status": r.outcome.name.lower(), "detail": r.detail} for r in self.results
                ],
            }
            print(json.dumps(document, ensure_ascii=False), file=self.out, flush=True)
        else:
            print(message_line(self.summary(interrupted)), file=self.out, flush=True)
        return PASSED_EXIT if self.passed and not interrupted else FAILED_EXIT
