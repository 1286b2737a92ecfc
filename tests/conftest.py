"""Test isolation: every test run gets its own HOME, XDG folders and keyring file; no LIVEKIT_* leaks in."""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from jwt.warnings import InsecureKeyLengthWarning

_ROOT = Path(tempfile.mkdtemp(prefix="ingress-studio-tests-"))
for _name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    (_ROOT / _name.lower()).mkdir()
    os.environ[_name] = str(_ROOT / _name.lower())
for _name in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"):
    os.environ.pop(_name, None)
# Never the developer's own keyring: no session bus unless a test starts its own (the secret_service
# fixture); keyring then finds only keyrings.alt's file backends, which the app must refuse.
for _name in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "XDG_RUNTIME_DIR"):
    os.environ.pop(_name, None)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
warnings.filterwarnings("ignore", category=InsecureKeyLengthWarning)

sys.path.insert(0, str(Path(__file__).parent))

from support.sandbox_process import SandboxServer  # noqa: E402
from support.secret_service import SecretService  # noqa: E402


@pytest.fixture
def secret_service() -> Iterator[SecretService]:
    """A real encrypting keyring (GNOME Keyring on a private D-Bus) for this test; keyring uses it."""
    service = SecretService().start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox for a test module (tests there must not depend on an empty server)."""
    server = SandboxServer(tmp_path_factory.mktemp("sandbox")).start()
    yield server
    assert server.stop() == 0


@pytest.fixture
def fresh_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "sandbox").start()
    yield server
    if server.process is not None and server.process.poll() is None:
        assert server.stop() == 0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses Qt (pytest-qt's qtbot or qapp, itself or through its fixtures) is a `gui` test."""
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)
