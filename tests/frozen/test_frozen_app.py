"""The frozen app (what packaging/build.sh made), used as a user would: where missing hidden imports, data
files and keyring backends hide. Opt-in, since it needs a build (minutes):

    bash packaging/build.sh
    INGRESS_STUDIO_FROZEN=dist/ingress-studio/ingress-studio bash packaging/dev.sh test tests/frozen

(or an installed one: INGRESS_STUDIO_FROZEN=/usr/bin/ingress-studio)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingress_studio.config.project import SANDBOX_API_SECRET
from support.media_files import read_back
from support.nginx_rtmp import NginxRtmp
from support.secret_service import SecretService

FROZEN = os.environ.get("INGRESS_STUDIO_FROZEN", "")
pytestmark = pytest.mark.skipif(not FROZEN, reason="set INGRESS_STUDIO_FROZEN to a frozen ingress-studio to test it")


@pytest.fixture
def frozen() -> Path:
    path = Path(FROZEN).absolute()
    assert os.access(path, os.X_OK), f"{path} is not an executable"
    return path


def bare_environment(home: Path, **extra: str) -> dict[str, str]:
    """A user's session without our venv, PYTHONPATH or display."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", **extra}


def run(frozen: Path, *args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(frozen), *args], capture_output=True, text=True, env=env, timeout=timeout)


def test_the_self_test_passes_with_a_bare_environment(frozen: Path, tmp_path: Path) -> None:
    result = run(frozen, "self-test", "--json", env=bare_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    failed = [check for check in report["checks"] if check["status"] == "failed"]
    assert not failed, failed


@pytest.fixture
def secret_service() -> Iterator[SecretService]:
    service = SecretService().start()
    yield service
    service.stop()


def test_the_frozen_keyring_finds_the_sessions_secret_service(
    frozen: Path, tmp_path: Path, secret_service: SecretService
) -> None:
    # the backends come from keyring's entry points, which a bundle keeps only if the spec copied the metadata
    session = {name: os.environ[name] for name in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")}
    result = run(frozen, "self-test", "--json", env=bare_environment(tmp_path, **session))
    assert result.returncode == 0, result.stdout + result.stderr
    [keyring] = [check for check in json.loads(result.stdout)["checks"] if check["name"] == "keyring"]
    assert keyring["status"] == "ok", keyring
    assert "SecretService" in keyring["detail"], keyring


def test_the_frozen_push_reaches_nginx_rtmp(frozen: Path, tmp_path: Path) -> None:
    nginx = NginxRtmp(tmp_path / "nginx").start()
    try:
        args = ["push", "test:", "--rtmp", nginx.url, "--stream-key", "frozen", "--duration", "4"]
        result = run(frozen, *args, env=bare_environment(tmp_path))
        assert result.returncode == 0, result.stderr
        [recording] = nginx.recordings("frozen")
        info = read_back(recording)
    finally:
        nginx.stop()
    assert (info["video_codec"], info["audio_codec"]) == ("h264", "aac")
    assert info["video_span"] == pytest.approx(4, abs=0.5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_frozen_sandbox_serves_the_ingress_api(frozen: Path, tmp_path: Path) -> None:
    env = bare_environment(tmp_path)
    api = free_port()
    ports = ["--port", str(api), "--rtmp-port", "0", "--whip-port", "0"]
    sandbox = subprocess.Popen(
        [str(frozen), "sandbox", "--ready-json", *ports, "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert sandbox.stdout is not None
        ready = json.loads(sandbox.stdout.readline())
        project = ["--url", ready["api_url"], "--api-key", ready["api_key"], "--api-secret", SANDBOX_API_SECRET]
        request = json.dumps({"input_type": "RTMP_INPUT", "room_name": "frozen", "participant_identity": "cam"})
        created = run(frozen, "ingress", "create", request, *project, env=env)
        assert created.returncode == 0, created.stderr
        listed = run(frozen, "ingress", "list", "--json", *project, env=env)
        assert listed.returncode == 0, listed.stderr
        assert [item["room_name"] for item in json.loads(listed.stdout)["items"]] == ["frozen"]
    finally:
        sandbox.send_signal(signal.SIGINT)
        assert sandbox.wait(timeout=20) == 0
    assert sandbox.stderr is not None and "Traceback" not in sandbox.stderr.read()


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def mapped_files(pid: int) -> set[str]:
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return {parts[5] for parts in (line.split(maxsplit=5) for line in lines) if len(parts) == 6}


def test_the_frozen_window_opens_offscreen_runs_its_sandbox_as_a_child_and_loads_no_media_library(
    frozen: Path, tmp_path: Path
) -> None:
    env = bare_environment(tmp_path, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    window = subprocess.Popen(
        [str(frozen), "--project", "Sandbox"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
    )
    try:
        deadline = time.monotonic() + 60
        sandbox: list[int] = []
        while not sandbox and time.monotonic() < deadline and window.poll() is None:
            time.sleep(0.5)
            # PyInstaller's bootloader is the parent; the app itself is its child on Linux (onedir: exec'd in place)
            processes = [window.pid, *children_of(window.pid)]
            sandbox = [pid for parent in processes for pid in children_of(parent) if "sandbox" in command_line(pid)]
        assert window.poll() is None, window.stdout.read() if window.stdout else ""
        assert sandbox, "the window started no sandbox child within 60 s"
        assert command_line(sandbox[0])[0] == str(frozen.resolve()), command_line(sandbox[0])
        mapped = mapped_files(window.pid)
        assert any("libQt6Widgets" in path for path in mapped)
        assert not [path for path in mapped if "libavcodec" in path or "liblivekit_ffi" in path]
    finally:
        window.send_signal(signal.SIGTERM)
        code = window.wait(timeout=30)
    assert code == 0
    time.sleep(1)
    assert not Path(f"/proc/{sandbox[0]}").exists() or "zombie" in Path(f"/proc/{sandbox[0]}/status").read_text()
