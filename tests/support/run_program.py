"""Runs `ingress-studio …` as a user would: a real process, its output captured."""

from __future__ import annotations

import asyncio
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


async def watch(
    url: str, api_key: str, api_secret: str, ingress_id: str, *options: str
) -> subprocess.CompletedProcess[str]:
    """`ingress-studio watch` with the project on the command line, in a thread (the test's loop stays free)."""
    project = ["--url", url, "--api-key", api_key, "--api-secret", api_secret]
    return await asyncio.to_thread(run_ingress_studio, "watch", "--ingress", ingress_id, *project, *options, timeout=60)
