"""Runs `ingress-studio sandbox` as a real child process on free ports and stops it with SIGTERM."""

from __future__ import annotations

import json
import os
import queue
import resource
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingress_studio.config.project import Project, ProjectSource

START_TIMEOUT_S = 30


@dataclass
class SandboxServer:
    data_dir: Path
    extra_args: list[str] = field(default_factory=list)
    api_key: str = "devkey"
    api_secret: str = "secret"
    api_port: int = 0
    max_open_files: int | None = None  # RLIMIT_NOFILE for the child (soft and hard)
    stderr_file: Path | None = None  # the child's stderr goes here instead of a pipe
    process: subprocess.Popen[str] | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return str(self.info["api_url"])

    def project(self, secret: str | None = None, key: str | None = None) -> Project:
        return Project("Test sandbox", self.url, key or self.api_key, secret or self.api_secret, ProjectSource.SANDBOX)

    def start(self) -> SandboxServer:
        # --exit-on-stdin-eof, with stdin a pipe this process holds: a test run that dies (killed, crashed)
        # takes its sandboxes with it instead of leaving them running.
        command = [sys.executable, "-m", "ingress_studio", "sandbox", "--ready-json", "--exit-on-stdin-eof"]
        command += [
            "--port",
            str(self.api_port),
            "--rtmp-port",
            "0",
            "--whip-port",
            "0",
            "--data-dir",
            str(self.data_dir),
        ]
        command += ["--api-key", self.api_key, "--api-secret", self.api_secret, *self.extra_args]
        limit = self.max_open_files

        def limit_open_files() -> None:
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

        stderr = self.stderr_file.open("w") if self.stderr_file else None
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr or subprocess.PIPE,
                text=True,
                env=os.environ.copy(),
                preexec_fn=limit_open_files if limit is not None else None,
            )
        finally:
            if stderr is not None:
                stderr.close()  # the child has its own copy
        lines: queue.Queue[str] = queue.Queue()
        stdout = self.process.stdout
        assert stdout is not None
        threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
        try:
            first = lines.get(timeout=START_TIMEOUT_S)
        except queue.Empty as exc:
            self.process.kill()
            raise RuntimeError("sandbox did not report ready") from exc
        if not first:
            self.process.wait(timeout=START_TIMEOUT_S)
            raise RuntimeError(f"sandbox exited: {self.stderr_text()}")
        self.info = json.loads(first)
        return self

    def stderr_text(self) -> str:
        """What the child wrote to stderr: all of it once it has exited."""
        if self.stderr_file is not None:
            return self.stderr_file.read_text(errors="replace")
        if self.process is not None and self.process.stderr is not None and self.process.poll() is not None:
            return self.process.stderr.read()
        return ""

    def stop(self) -> int:
        """SIGTERM and wait; returns the exit code (0 for a clean stop)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            if self.process.stdin is not None:
                self.process.stdin.close()
