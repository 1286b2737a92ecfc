"""The real window in a process of its own, and what that process loaded.

A tiny launcher does what `python -m ingress_studio` does (runpy runs the package's __main__) and, when the
program has ended, writes the name of every module the process imported to a file. Nothing in the app
knows about it: no flag, no environment variable. Modules are not unloaded, so the list covers the
process's whole life. The libraries the process maps are read from outside, in /proc/<pid>/maps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = """
import runpy, sys
modules_file, sys.argv[1:] = sys.argv[1], sys.argv[2:]
try:
    runpy.run_module("ingress_studio", run_name="__main__", alter_sys=True)
finally:
    with open(modules_file, "w") as out:
        out.write("\\n".join(sorted(sys.modules.copy())))
"""
STOP_TIMEOUT_S = 30


@dataclass
class WindowProcess:
    folder: Path  # the module list and the window's stderr go here
    args: tuple[str, ...] = ("gui",)
    env: dict[str, str] | None = None  # added to this process's environment
    process: subprocess.Popen[bytes] | None = None

    @property
    def modules_file(self) -> Path:
        return self.folder / "modules.txt"

    @property
    def stderr_file(self) -> Path:
        return self.folder / "window-stderr.txt"

    def start(self) -> WindowProcess:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-c", LAUNCHER, str(self.modules_file), *self.args]
        with self.stderr_file.open("wb") as stderr:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr, env={**os.environ, **(self.env or {})}
            )
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def mapped_files(self) -> set[str]:
        """Every file the running process has mapped: shared libraries, extension modules."""
        assert self.process is not None
        lines = Path(f"/proc/{self.process.pid}/maps").read_text().splitlines()
        return {parts[5] for parts in (line.split(maxsplit=5) for line in lines) if len(parts) == 6}

    def stop(self) -> int:
        """SIGTERM, which closes the window the normal way; returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT_S)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()

    def loaded_modules(self) -> set[str]:
        """After stop(): the names in the process's sys.modules when the program ended."""
        return set(self.modules_file.read_text().split())

    def stderr_text(self) -> str:
        return self.stderr_file.read_text(errors="replace") if self.stderr_file.exists() else ""
