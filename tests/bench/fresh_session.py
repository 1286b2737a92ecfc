"""A first start's session for benchmarks that start the window: a fresh HOME and XDG folders (no saved
settings, no lk config, no LIVEKIT_* project), and the window ended as a desktop ends it."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path


def fresh_session_environment(folder: Path, base: dict[str, str]) -> dict[str, str]:
    """`base` with HOME and the XDG folders under `folder` (made here), and no LIVEKIT_* variables."""
    home = folder / "home"
    (folder / "runtime").mkdir(mode=0o700, parents=True)
    home.mkdir(parents=True)
    env = {key: value for key, value in base.items() if not key.startswith("LIVEKIT_")}
    env |= {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_RUNTIME_DIR": str(folder / "runtime"),
    }
    return env


def end_window(process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """SIGTERM (the window closes the normal way), killed if it does not end in time."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
