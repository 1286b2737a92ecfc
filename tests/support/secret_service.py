"""A real, encrypting OS keyring for tests: a private D-Bus session bus with GNOME Keyring's Secret Service.

It lives in the test run's isolated HOME (its login keyring, encrypted, under XDG_DATA_HOME/keyrings), so a
developer's own keyring is never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import keyring
import keyring.backend
import keyring.core

UNLOCK_PASSWORD = "test-login-password"
START_TIMEOUT_S = 15


def reload_keyring_backends() -> None:
    """keyring decides which backends are viable once per process; make it look again."""
    with contextlib.suppress(KeyError):  # nothing to forget: this process has not looked yet
        keyring.backend.get_all_keyring.reset()  # type: ignore[attr-defined]
    keyring.core.init_backend()


class SecretService:
    def __init__(self) -> None:
        self._bus: subprocess.Popen[str] | None = None
        self._daemon: subprocess.Popen[bytes] | None = None
        self._saved_env: dict[str, str | None] = {}
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="ingress-studio-keyring-"))

    def start(self) -> SecretService:
        for program in ("dbus-daemon", "gnome-keyring-daemon"):
            if shutil.which(program) is None:
                raise RuntimeError(f"{program} is missing: packaging/dev.sh test installs dbus and gnome-keyring")
        self.runtime_dir.chmod(0o700)
        self._bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address"], stdout=subprocess.PIPE, text=True
        )
        assert self._bus.stdout is not None
        address = self._bus.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon did not print its address")
        env = {"DBUS_SESSION_BUS_ADDRESS": address, "XDG_RUNTIME_DIR": str(self.runtime_dir)}
        for name, value in env.items():
            self._saved_env[name] = os.environ.get(name)
            os.environ[name] = value
        self._daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--components=secrets", "--unlock"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert self._daemon.stdin is not None
        self._daemon.stdin.write(UNLOCK_PASSWORD.encode())
        self._daemon.stdin.close()
        self._wait_until_it_answers()
        reload_keyring_backends()
        return self

    def _wait_until_it_answers(self) -> None:
        from keyring.backends import SecretService as backend

        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if backend.Keyring.priority > 0:
                    return
            except Exception:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("GNOME Keyring's Secret Service did not appear on the test bus")
            time.sleep(0.1)

    def stop(self) -> None:
        for process in (self._daemon, self._bus):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
        if self._bus is not None and self._bus.stdout is not None:
            self._bus.stdout.close()
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reload_keyring_backends()
        shutil.rmtree(self.runtime_dir, ignore_errors=True)
