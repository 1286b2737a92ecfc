"""A virtual X screen for screen-capture tests (Debian's xvfb)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path


def available() -> bool:
    return shutil.which("Xvfb") is not None


class Xvfb:
    def __init__(self, width: int = 960, height: int = 540) -> None:
        self.size = (width, height)
        self.display = ""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Xvfb:
        for number in range(140, 200):
            if Path(f"/tmp/.X{number}-lock").exists():
                continue
            self.display = f":{number}"
            self.process = subprocess.Popen(
                ["Xvfb", self.display, "-screen", "0", f"{self.size[0]}x{self.size[1]}x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if Path(f"/tmp/.X11-unix/X{number}").exists():
                    return self
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
            self.stop()
        raise RuntimeError("could not start Xvfb")

    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None
