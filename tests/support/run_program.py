"""Runs `ingress-studio …` as a user would: a real process, its output captured."""

from __future__ import annotations

import os
import subprocess
import sys


def run_ingress_studio(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    """`env` adds to (or overrides) this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "ingress_studio", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def push(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return run_ingress_studio("push", *args, timeout=timeout)
