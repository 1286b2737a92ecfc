"""Runs `ingress-studio sandbox` as a real child process on free ports and stops it with SIGTERM."""

from __future__ import annotations

import json
import os
import queue
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
    process: subprocess.Popen[str] | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return str(self.info["api_url"])

    def project(self, secret: str | None = None, key: str | None = None) -> Project:
        return Project("Test sandbox", self.url, key or self.api_key, secret or self.api_secret, ProjectSource.SANDBOX)

    def start(self) -> SandboxServer:
        command = [sys.executable, "-m", "ingress_studio", "sandbox", "--ready-json"]
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
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy()
        )
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
            raise RuntimeError(f"sandbox exited: {self.process.stderr.read() if self.process.stderr else ''}")
        self.info = json.loads(first)
        return self

    def stop(self) -> int:
        """SIGTERM and wait; returns the exit code (0 for a clean stop)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()
